import { parseArgs } from 'node:util';
import { campaignsCommand } from './campaigns-command.js';
import { type CliIo, warn } from './cli-io.js';
import { eventsCommand } from './events-command.js';
import { describeAbsentColumns } from '../errors.js';
import type { AbsentColumn } from '../migration-store.js';
import { EXIT_CODES, exitCodeFor, migrationErrorCodeOf } from './exit-codes.js';
import { flagsCommand } from './flags-command.js';
import { didYouMean } from './did-you-mean.js';
import { type CommandName, HELP } from './help-text.js';
import { packageVersion } from './package-version.js';
import { initCommand } from './init-command.js';
import { serveCommand } from './serve-command.js';
import { statusCommand } from './status-command.js';
import { verifyCommand } from './verify-command.js';

const common = { db: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
const OPTIONS = {
  init: common,
  events: {
    ...common,
    apply: { type: 'boolean' },
    resume: { type: 'boolean' },
    takeover: { type: 'boolean' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    'writes-in-flight': { type: 'string' },
    renormalize: { type: 'boolean' },
    report: { type: 'string' },
    'received-at-fallback': { type: 'string' },
    json: { type: 'boolean' },
    'acknowledge-failures': { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
    'canonical-payload': { type: 'string' },
    'max-replication-lag': { type: 'string', multiple: true },
  },
  campaigns: {
    ...common,
    apply: { type: 'boolean' },
    resolutions: { type: 'string' },
    'resolutions-template': { type: 'string' },
    report: { type: 'string', multiple: true },
    'owner-key': { type: 'string' },
    'single-owner': { type: 'boolean' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    resume: { type: 'boolean' },
    takeover: { type: 'boolean' },
    json: { type: 'boolean' },
    'max-replication-lag': { type: 'string', multiple: true },
  },
  verify: {
    ...common,
    sample: { type: 'string' },
    report: { type: 'string' },
    resolutions: { type: 'string' },
    'owner-key': { type: 'string' },
    'single-owner': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  status: { ...common, shards: { type: 'string' }, json: { type: 'boolean' } },
  flags: {
    ...common,
    enabled: { type: 'boolean' },
    disabled: { type: 'boolean' },
    rollout: { type: 'string' },
    description: { type: 'string' },
    force: { type: 'boolean' },
    actor: { type: 'string' },
    limit: { type: 'string' },
    stages: { type: 'string' },
    start: { type: 'string' },
    guardrail: { type: 'string', multiple: true },
    days: { type: 'string' },
    'unused-days': { type: 'string' },
    code: { type: 'string', multiple: true },
    window: { type: 'string' },
    json: { type: 'boolean' },
    'keep-days': { type: 'string' },
    'expect-version': { type: 'string' },
  },
  serve: { ...common, port: { type: 'string' }, host: { type: 'string' }, 'max-replication-lag': { type: 'string', multiple: true } },
} as const;

/**
 * An error of `@app/migrate` in the CLI's words: absent legacy columns name the `--config` keys
 * and flags that point at them, not the library's options.
 */
function cliMessageOf(error: Error): string {
  const absent = (error as { absent?: unknown }).absent;
  if (Array.isArray(absent) && absent.length > 0) {
    return `The database lacks legacy columns the migrations read: ${describeAbsentColumns(absent as AbsentColumn[], 'cli')}. (init adds none of them.)`;
  }
  return error.message;
}

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(OPTIONS, name);

/** `--name` of every option of `command`, `--help` included. */
const optionNamesOf = (command: CommandName) => Object.keys(OPTIONS[command]).map((name) => `--${name}`);

/**
 * The usage error of an unknown option, with the option meant when one is close (`--aply`:
 * did you mean --apply?) or the commands that have it (`status --apply`).
 */
function unknownOptionMessage(command: CommandName, error: Error & { code?: string }): string {
  const typed = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-{1,2}[^'=\s]+)/.exec(error.message)?.[1] : undefined;
  if (typed === undefined) return `app-migrate ${command}: ${error.message}. Run app-migrate ${command} --help.`;
  const elsewhere = (Object.keys(OPTIONS) as CommandName[]).filter((other) => other !== command && optionNamesOf(other).includes(typed));
  const meant = didYouMean(typed, optionNamesOf(command));
  const hint =
    meant !== undefined ? ` Did you mean ${meant}?` : elsewhere.length > 0 ? ` ${typed} is an option of ${elsewhere.map((other) => `app-migrate ${other}`).join(', ')}.` : '';
  return `app-migrate ${command}: unknown option ${typed}.${hint} Run app-migrate ${command} --help.`;
}

/**
 * With `--json`, the command's report is the only thing on stdout (for scripts: \`app-migrate
 * events --json | jq\`); the lines meant for people, progress included, go to stderr.
 */
function jsonIo(io: CliIo): CliIo {
  return {
    ...io,
    stdout: { write: (text: string) => io.stderr.write(text), isTTY: false },
    report: (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. It never
 * calls `process.exit`: only the bin's main does, so the CLI can be tested in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${HELP.main}\n`);
    return command === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_CODES.OK;
  }
  if (!isCommand(command)) {
    const meant = didYouMean(command, Object.keys(OPTIONS));
    warn(io, `app-migrate: unknown command "${command}".${meant === undefined ? '' : ` Did you mean ${meant}?`} Run app-migrate --help for the list.`);
    return EXIT_CODES.USAGE;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS[command], strict: true, allowPositionals: command === 'flags' });
  } catch (error) {
    warn(io, unknownOptionMessage(command, error as Error & { code?: string }));
    return EXIT_CODES.USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(`${HELP[command]}\n`);
    return EXIT_CODES.OK;
  }
  if (parsed.values.json === true) io = jsonIo(io);
  try {
    const values = parsed.values;
    switch (command) {
      case 'init':
        return await initCommand(values, io);
      case 'events':
        return await eventsCommand(values, io);
      case 'campaigns':
        return await campaignsCommand(values, io);
      case 'verify':
        return await verifyCommand(values, io);
      case 'status':
        return await statusCommand(values, io);
      case 'flags':
        return await flagsCommand(parsed.positionals, values, io);
      case 'serve':
        return await serveCommand(values, io);
    }
  } catch (error) {
    const code = migrationErrorCodeOf(error);
    if (code !== undefined) {
      warn(io, `app-migrate ${command}: ${cliMessageOf(error as Error)}`);
      return exitCodeFor(code);
    }
    // The message may come from the database: escaped on its line. The stack frames are this code's own.
    warn(io, `app-migrate ${command}: unexpected error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    for (const frame of frames) warn(io, frame);
    return EXIT_CODES.FAILURE;
  }
}
