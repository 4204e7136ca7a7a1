import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A process that runs the event migration over a SQL store must not load zod (about 12 MB of its
// memory, see the adapters' READMEs): the built entries, as a runner imports them, in a fresh
// Node. zod sets `globalThis.__zod_globalConfig` when it loads, from its ESM and CJS builds alike.
const here = fileURLToPath(new URL('..', import.meta.url));

function loadsZod(entries: readonly string[], format: 'esm' | 'cjs'): boolean {
  const load = format === 'esm' ? entries.map((entry) => `await import(${JSON.stringify(entry)});`).join('') : entries.map((entry) => `require(${JSON.stringify(entry)});`).join('');
  const script = `${load}process.stdout.write(String('__zod_globalConfig' in globalThis));`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  return execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }) === 'true';
}

describe('the runner and a SQL store without zod', () => {
  for (const format of ['esm', 'cjs'] as const) {
    it(`@app/migrate/core and @app/sql-store load no zod (${format})`, () => {
      expect(loadsZod(['@app/migrate/core', '@app/sql-store'], format)).toBe(false);
    });

    it(`while the package root of @app/migrate does, for its schemas (${format})`, () => {
      expect(loadsZod(['@app/migrate'], format)).toBe(true);
    });
  }
});
