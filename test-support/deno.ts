/**
 * Deno for the edge-runtime tests of every package: the root devDependency `deno`, whose binary
 * ships in the npm registry's @deno/<platform> package (nothing is downloaded at test time). CI
 * sets REQUIRE_DENO=1, so a machine without it fails instead of silently skipping.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The Deno binary, or `null` where the `deno` package is not installed. */
export const denoBinary: string | null = (() => {
  try {
    const binary = join(dirname(createRequire(join(root, 'package.json')).resolve('deno/package.json')), 'deno');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
})();
export const denoRequired = process.env.REQUIRE_DENO === '1';

/** Says once, on a machine without Deno and without REQUIRE_DENO, that `suite` is skipped. */
export function warnIfDenoSkipped(suite: string): void {
  if (denoBinary === null && !denoRequired) console.warn(`${suite} Deno tests skipped: the deno package is not installed (REQUIRE_DENO=1 makes this a failure).`);
}

/** The test that makes a missing Deno a failure where REQUIRE_DENO=1 (CI). */
export function testDenoInstalledWhenRequired(): void {
  it.skipIf(!denoRequired)('REQUIRE_DENO=1: deno is installed', () => {
    expect(denoBinary).not.toBeNull();
  });
}

/** The environment Deno runs in here: no update check, no prompt, no colour. */
export const denoEnvironment: NodeJS.ProcessEnv = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' };

/** Runs Deno quietly, with `input` on its standard input, killed after `timeoutMs`. */
export function runDeno(args: string[], cwd: string, input = '', timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(denoBinary!, args, { cwd, env: denoEnvironment, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}
