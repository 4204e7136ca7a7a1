import { murmurhash3Bytes } from './murmurhash3-bytes.js';
import { SCRATCH_BYTES } from './scratch-bytes.js';

// One shared encoder: the `murmurhash` package builds a TextEncoder per call, which costs more
// than the hash itself.
const encoder = new TextEncoder();

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `key`.
 *
 * The same function as `v3` of the `murmurhash` npm package and every MurmurHash3 x86_32 over
 * UTF-8 bytes (Go's over `[]byte(s)`, Unleash Edge's), with one shared `TextEncoder` so
 * evaluation stays allocation-free. The Unleash Node SDK (`murmurhash3js`) agrees only for
 * ASCII keys; `unleashBucketing({ encoding: 'node-sdk' })` reproduces it for every key. The
 * package's tests check this function against `murmurhash@2.0.1` on many keys, non-ASCII included.
 *
 * @param key - Any string; lone surrogates hash as U+FFFD, as `TextEncoder` encodes them.
 * @param seed - Unsigned 32-bit seed, 0 by default.
 * @returns An unsigned 32-bit integer.
 */
export function murmurhash3(key: string, seed = 0): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair takes 4 for 2 units).
  const bytes = key.length * 3 > SCRATCH_BYTES.length ? new Uint8Array(key.length * 3) : SCRATCH_BYTES;
  return murmurhash3Bytes(bytes, encoder.encodeInto(key, bytes).written, seed);
}
