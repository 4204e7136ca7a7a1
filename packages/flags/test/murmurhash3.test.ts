import fc from 'fast-check';
import murmurhash from 'murmurhash';
import { describe, expect, it } from 'vitest';
import { murmurhash3 } from '../src/index.js';

describe('murmurhash3', () => {
  it('matches murmurhash@2.0.1 v3 on fixed keys, non-ASCII and lone surrogates included', () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'héllo', 'Łódź', '東京', '😀', '👩‍👩‍👧‍👦', '\ud800', 'x\udc00y', '\ud83d', 'é'.repeat(400), 'x'.repeat(5000)];
    for (const key of keys) {
      expect(murmurhash3(key), JSON.stringify(key)).toBe(murmurhash.v3(key, 0));
      expect(murmurhash3(key, 0x9747b28c)).toBe(murmurhash.v3(key, 0x9747b28c));
    }
  });

  it('matches the reference on any UTF-16 string and seed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.nat({ max: 0xffffffff }), (key, seed) => {
        expect(murmurhash3(key, seed)).toBe(murmurhash.v3(key, seed));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the reference on grapheme-heavy strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
        expect(murmurhash3(key)).toBe(murmurhash.v3(key, 0));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns the same value after hashing a long key (scratch buffer is not shared state)', () => {
    const before = murmurhash3('user-42');
    murmurhash3('ü'.repeat(10_000));
    expect(murmurhash3('user-42')).toBe(before);
  });
});
