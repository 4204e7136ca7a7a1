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

// A field written after a spread is a store of its own whose object shape depends on what the
// spread brought (a name with or without its initial, a place or none): with names and places that
// vary from row to row, V8 builds such a literal several times slower (about 350-500 against 70-100
// ns) than one whose spreads come last. A template's key order is not observable (the core writes
// the event's fields in vocabulary order), so providers put their spreads after every field.
const SPREAD_THEN_FIELD = /^[ \t]*\.\.\.[^\n]*,[ \t]*\n(?:[ \t]*\n)*[ \t]*(?!\.\.\.)[\w'"[]+[ \t]*[:,]/gm;

describe('object literals on the hot path', () => {
  it.each(sourceFiles(SRC))('%s has no object literal that opens with a spread', (file) => {
    expect(code(file).match(/\{\s*\.\.\.[^}]*/g) ?? []).toEqual([]);
  });

  it.each(sourceFiles(new URL('providers/', SRC), 'providers/'))('%s writes no field after a spread', (file) => {
    expect(code(file).match(SPREAD_THEN_FIELD) ?? []).toEqual([]);
  });
});
