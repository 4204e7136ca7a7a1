import { murmurhash3Bytes } from './murmurhash3-bytes.js';
import { SCRATCH_BYTES } from './scratch-bytes.js';

/**
 * MurmurHash3 x86 32-bit of the low byte of each UTF-16 code unit of `key`: what `murmurhash3js`
 * (`x86.hash32`), and so the Unleash Node SDK, computes. It equals {@link murmurhash3} for ASCII
 * keys only: `é` hashes as the single byte `E9`, `東` (U+6771) as `71`, an emoji as the low bytes
 * of its two surrogates.
 *
 * @returns An unsigned 32-bit integer.
 */
export function murmurhash3LowBytes(key: string, seed = 0): number {
  const length = key.length;
  const bytes = length > SCRATCH_BYTES.length ? new Uint8Array(length) : SCRATCH_BYTES;
  // A Uint8Array keeps each value modulo 256: exactly murmurhash3js's `charCodeAt(i) & 0xff`.
  for (let i = 0; i < length; i++) bytes[i] = key.charCodeAt(i);
  return murmurhash3Bytes(bytes, length, seed);
}
