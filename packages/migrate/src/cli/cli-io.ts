import { printable } from './printable.js';

/** Where the CLI writes, so tests can run it in-process and capture everything. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown };
  /** Stops runs after the current batch (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** The clock for progress lines. */
  now?: () => number;
  /** The environment (`APP_MIGRATE_CONFIG`); none when absent, so in-process runs see only what they are given. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Set with `--json`: writes the command's report to stdout as JSON (everything else then goes to stderr). */
  report?: ((value: unknown) => void) | undefined;
}

/** Writes one line to stdout, escaped with {@link printable}: one call, one line on the terminal. */
export const say = (io: CliIo, line = '') => io.stdout.write(`${printable(line)}\n`);

/** Writes one line to stderr, escaped with {@link printable}. */
export const warn = (io: CliIo, line: string) => io.stderr.write(`${printable(line)}\n`);

/** Formats a count with thousands separators, the same on every machine. */
export const count = (n: number) => n.toLocaleString('en-US');
