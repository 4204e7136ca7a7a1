import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteLiteral } from '../src/index.js';

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

// PostgreSQL truncates identifiers to 63 bytes; names within that come back exactly.
const identifier = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0') && new TextEncoder().encode(s).length <= 63);

describe('quoting', () => {
  it('any name, quoted, is the column name PostgreSQL sees, and any text, quoted, is that text', async () => {
    await fc.assert(
      fc.asyncProperty(identifier, fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')), async (name, text) => {
        const result = await db.query(`SELECT ${quoteLiteral(text)}::text AS ${quoteIdentifier(name)}`);
        expect(result.fields.map((f) => f.name)).toEqual([name]);
        expect(result.rows[0]).toEqual({ [name]: text });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses names SQL cannot hold', () => {
    expect(() => quoteIdentifier('')).toThrow(TypeError);
    expect(() => quoteIdentifier('a\0b')).toThrow(TypeError);
    expect(() => quoteLiteral('a\0b')).toThrow(TypeError);
  });
});
