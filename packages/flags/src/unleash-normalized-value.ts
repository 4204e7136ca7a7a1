import type { UnleashEncoding } from './unleash-encoding.js';
import { unleashHash, unleashValueWith } from './unleash-hash.js';

/** Options of {@link unleashNormalizedValue}. */
export interface UnleashNormalizedValueOptions {
  /** How the string is turned into bytes; `'utf-8'` by default. See {@link UnleashEncoding}. */
  encoding?: UnleashEncoding;
  /** The hash seed: 0 (the default) for strategies, 86028157 for Unleash's variants. */
  seed?: number;
}

/**
 * Unleash's `normalizedValue`: `murmurhash3_x86_32(groupId + ":" + id, seed) % normalizer + 1`,
 * an integer in `1..normalizer`. Unleash's gradual rollout enables a subject when the value is
 * `<= percentage` (and the percentage is above 0); evaluation reproduces that with
 * `{ bucketing: unleashBucketing() }` (see {@link unleashBucketing}).
 *
 * @param id - The stickiness value (user id, session id…).
 * @param groupId - Unleash's `groupId` parameter; Unleash defaults it to the flag name.
 * @param normalizer - 100 for strategies; the sum of variant weights for variants (with
 *   `seed: 86028157`).
 * @param options - The string encoding (UTF-8 unless `'node-sdk'`) and the seed.
 * @throws RangeError when `options.encoding` is neither `'utf-8'` nor `'node-sdk'`.
 */
export function unleashNormalizedValue(
  id: string,
  groupId: string,
  normalizer = 100,
  options: UnleashNormalizedValueOptions = {},
): number {
  return unleashValueWith(unleashHash(options.encoding), id, groupId, normalizer, options.seed);
}
