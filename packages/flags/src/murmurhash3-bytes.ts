const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3 x86 32-bit of `bytes[0..length)`. Every string hash of the package calls it, so
 * the choice of encoding (UTF-8, or the Unleash Node SDK's low byte per UTF-16 code unit) is the
 * only thing that differs between them.
 *
 * @param seed - `undefined` is 0 (`undefined | 0`), so callers need no default parameter.
 * @returns An unsigned 32-bit integer.
 */
export function murmurhash3Bytes(bytes: Uint8Array, length: number, seed: number | undefined): number {
  let h = seed! | 0;
  for (let i = 0; i < length; i += 4) {
    // The last 1-3 bytes go through the same loop: bytes past `length` (a shared buffer's
    // leftovers, or reads past the end, which are 0) are masked off, and the tail skips the
    // rotation of `h`. One loop instead of a block loop and a tail keeps the widget bundle small.
    const tail = length - i < 4;
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    if (tail) k &= -1 >>> (32 - 8 * (length & 3));
    k = Math.imul(k, C1);
    h ^= Math.imul((k << 15) | (k >>> 17), C2);
    if (!tail) h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  // The reference's steps, folded into fewer statements for the widget bundle.
  h ^= length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
