import { murmurhash3 } from './murmurhash3.js';
import { murmurhash3LowBytes } from './murmurhash3-low-bytes.js';
import type { UnleashEncoding } from './unleash-encoding.js';

/**
 * The MurmurHash3 of an {@link UnleashEncoding}, `'utf-8'` when none is given.
 *
 * @throws RangeError for any other value, so a typo cannot silently move users to other cohorts.
 */
export function unleashHash(encoding: UnleashEncoding | undefined): (key: string, seed?: number) => number {
  if (encoding === undefined || encoding === 'utf-8') return murmurhash3;
  if (encoding === 'node-sdk') return murmurhash3LowBytes;
  const received = typeof encoding === 'string' ? JSON.stringify(encoding) : typeof encoding;
  throw new RangeError(`Unleash encoding must be "utf-8" or "node-sdk", received ${received}`);
}

/**
 * Unleash's normalized value with an already chosen hash: `hash(groupId + ":" + id, seed) %
 * normalizer + 1`. Bucketing resolves the hash once, so evaluation does not look it up per call.
 */
export function unleashValueWith(hash: (key: string, seed?: number) => number, id: string, groupId: string, normalizer: number, seed?: number): number {
  return (hash(`${groupId}:${id}`, seed) % normalizer) + 1;
}
