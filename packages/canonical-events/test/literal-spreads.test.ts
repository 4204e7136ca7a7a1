import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// V8 (Node 20) builds an object literal that opens with a spread (`{ ...a, b }`, `{ ...a, ...b }`)
// through a slow path: about a microsecond, and several when a second spread follows, against tens of
// nanoseconds for `{ b, ...a }`. Such a literal once cost Stripe's payer more than the rest of the
// event (see bench/normalize.bench.ts), so none may come back into the code events run through.
const SRC = new URL('../src/', import.meta.url);

function sourceFiles(folder: URL, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(new URL(`${entry.name}/`, folder), `${prefix}${entry.name}/`) : entry.name.endsWith('.ts') ? [`${prefix}${entry.name}`] : [],
  );
}

/** The code of a file without its comments (a comment may show `{ ...}` as text). */
function code(file: string): string {
  return readFileSync(new URL(file, SRC), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('object literals on the hot path', () => {
  it.each(sourceFiles(SRC))('%s has no object literal that opens with a spread', (file) => {
    expect(code(file).match(/\{\s*\.\.\.[^}]*/g) ?? []).toEqual([]);
  });
});
