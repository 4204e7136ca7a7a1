import { readFileSync } from 'node:fs';

/**
 * The version of `@app/migrate` this CLI belongs to, from its package.json: one directory up
 * from the built bin (`dist/cli.js`), two from the source (`src/cli/`).
 */
export function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === '@app/migrate' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not this one: try the next.
    }
  }
  return 'unknown';
}
