import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root: the CLI loads adapters and drivers from the project it runs in, as a user's would. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The built bin the package publishes. */
export const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const execFileAsync = promisify(execFile);

/** What one spawned CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the bin with `args` and waits for it. `env` is added to the test's environment, minus
 * APP_MIGRATE_CONFIG, so a config of the machine running the tests cannot leak into them.
 */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { APP_MIGRATE_CONFIG: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...inherited, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** {@link runCli} with its arguments spread. */
export function cli(...args: string[]): Promise<CliRun> {
  return runCli(args);
}
