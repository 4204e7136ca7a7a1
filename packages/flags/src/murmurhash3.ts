const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
// One shared encoder and scratch buffer: the `murmurhash` package builds a TextEncoder per call,
// which costs more than the hash itself. Keys longer than the scratch buffer get their own array
// so one huge key cannot pin memory for ever.
const encoder = new TextEncoder();
const scratch = new Uint8Array(1024);

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `key`.
 *
 * The same function as `v3` of the `murmurhash` npm package (and Unleash's `murmurhash3js`
 * for ASCII keys), with one shared `TextEncoder` so evaluation stays allocation-free.
 * The package's tests check it against `murmurhash@2.0.1` on many keys, non-ASCII included.
 *
 * @param key - Any string; lone surrogates hash as U+FFFD, as `TextEncoder` encodes them.
 * @param seed - Unsigned 32-bit seed, 0 by default.
 * @returns An unsigned 32-bit integer.
 */
export function murmurhash3(key: string, seed = 0): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit; lone surrogates become U+FFFD, as everywhere.
  let bytes = scratch;
  let length: number;
  if (key.length * 3 <= scratch.length) length = encoder.encodeInto(key, scratch).written;
  else length = (bytes = encoder.encode(key)).length;
  const blocksEnd = length & ~3;
  let h = seed | 0;
  let k = 0;
  let i = 0;
  for (; i < blocksEnd; i += 4) {
    k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    k = 0;
    if (tail === 3) k ^= bytes[i + 2]! << 16;
    if (tail >= 2) k ^= bytes[i + 1]! << 8;
    k ^= bytes[i]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
