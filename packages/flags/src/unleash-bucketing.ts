import type { Bucketing } from './evaluation.js';
import type { EvaluableFlag } from './evaluable-flag.js';
import { unleashNormalizedValue } from './unleash-normalized-value.js';

/** Options of {@link unleashBucketing}. */
export interface UnleashBucketingOptions {
  /**
   * Unleash's `groupId` for a flag. Defaults to the flag's `metadata.unleash_group_id` when it is
   * a non-empty string, else the flag name, as Unleash does.
   */
  groupId?: (flag: EvaluableFlag) => string;
}

/**
 * Bucketing that decides exactly as Unleash's gradual-rollout strategies do:
 * `murmurhash3(groupId + ":" + key) % 100 + 1`, inside a rollout of `p` % when `<= p`. A team
 * moving from Unleash keeps every user in the same cohort.
 *
 * @example
 * ```ts
 * const client = createFlagClient(rows, { bucketing: unleashBucketing() });
 * ```
 */
export function unleashBucketing(options: UnleashBucketingOptions = {}): Bucketing {
  const groupIdOf =
    options.groupId ??
    ((flag: EvaluableFlag) => {
      const fromMetadata = flag.metadata?.unleash_group_id;
      return typeof fromMetadata === 'string' && fromMetadata !== '' ? fromMetadata : flag.name;
    });
  return {
    bucketOf: (flag, subjectKey) => unleashNormalizedValue(subjectKey, groupIdOf(flag)),
    includes: (b, percentage) => b <= percentage,
  };
}
