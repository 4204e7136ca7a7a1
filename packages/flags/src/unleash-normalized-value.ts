import { murmurhash3 } from './murmurhash3.js';

/**
 * Unleash's `normalizedValue`: `murmurhash3_x86_32(groupId + ":" + id, seed 0) % normalizer + 1`,
 * an integer in `1..normalizer`. Unleash's gradual rollout enables a subject when the value is
 * `<= percentage` (and the percentage is above 0), which `evaluate` reproduces with
 * `{ bucketing: "unleash" }`.
 *
 * @param id - The stickiness value (user id, session id…).
 * @param groupId - Unleash's `groupId` parameter; Unleash defaults it to the flag name.
 * @param normalizer - 100 for strategies; the sum of variant weights for variants.
 */
export function unleashNormalizedValue(id: string, groupId: string, normalizer = 100): number {
  return (murmurhash3(`${groupId}:${id}`) % normalizer) + 1;
}
