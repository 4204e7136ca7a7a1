import { murmurhash3Bytes } from './murmurhash3-bytes.js';
import { SCRATCH_BYTES } from './scratch-bytes.js';

// One shared encoder: the `murmurhash` package builds a TextEncoder per call, which costs more
// than the hash itself.
const encoder = new TextEncoder();

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `key`.
 *
 * The same function as `v3` of the `murmurhash` npm package and every MurmurHash3 x86_32 over
 * UTF-8 bytes (Go's over `[]byte(s)`, Unleash Edge's). The Unleash Node SDK (`murmurhash3js`)
 * agrees only for ASCII keys; `unleashBucketing({ encoding: 'node-sdk' })` reproduces it for
 * every key. The package's tests check this function against `murmurhash@2.0.1` on many keys,
 * non-ASCII and lone surrogates included.
 *
 * @param key - Any string; lone surrogates hash as U+FFFD, as `TextEncoder` encodes them.
 * @param seed - Unsigned 32-bit seed, 0 when left out.
 * @returns An unsigned 32-bit integer.
 */
export function murmurhash3(key: string, seed?: number): number {
  // Encoded into the shared scratch buffer, which fits the UTF-8 of any key of up to 1,024
  // UTF-16 code units: `encode` would allocate an array per key, which cost more than the hash
  // itself. A longer key gets its own array.
  const bytes = key.length > 1024 ? new Uint8Array(key.length * 3) : SCRATCH_BYTES;
  return murmurhash3Bytes(bytes, encoder.encodeInto(key, bytes).written, seed);
}
