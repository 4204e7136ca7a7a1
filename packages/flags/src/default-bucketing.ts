import { bucket } from './bucket.js';
import type { Bucketing } from './evaluation.js';

/**
 * The SDK's bucketing: `bucket(flag.name, key)` in `0..9999`, inside a rollout of `p` % when
 * `bucket < p * 100`. Raising `p` only adds subjects, so rollouts are sticky.
 */
export const defaultBucketing: Bucketing = {
  bucketOf: (flag, subjectKey) => bucket(flag.name, subjectKey),
  // BUCKET_COUNT / 100 buckets per percent, written out so the bundle needs no division.
  includes: (b, percentage) => b < percentage * 100,
};
