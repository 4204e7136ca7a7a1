import type { Bucketing } from './evaluation.js';
import type { EvaluableFlag } from './evaluable-flag.js';
import type { UnleashEncoding } from './unleash-encoding.js';
import { unleashHash, unleashValueWith } from './unleash-hash.js';

/** Options of {@link unleashBucketing}. */
export interface UnleashBucketingOptions {
  /**
   * Unleash's `groupId` for a flag. Defaults to the flag's `metadata.unleash_group_id` when it is
   * a non-empty string, else the flag name, as Unleash does.
   */
  groupId?: (flag: EvaluableFlag) => string;
  /**
   * How `groupId + ":" + key` is turned into bytes: `'utf-8'` (the default; Unleash Edge, the Go,
   * .NET and Java SDKs) or `'node-sdk'` (the Unleash Node SDK, `unleash-client`). The two differ
   * only for non-ASCII ids or group ids. See {@link UnleashEncoding}.
   */
  encoding?: UnleashEncoding;
}

/**
 * Bucketing that decides exactly as Unleash's gradual-rollout strategies do:
 * `murmurhash3(groupId + ":" + key) % 100 + 1`, inside a rollout of `p` % when `<= p`. A team
 * moving from Unleash keeps every user in the same cohort, provided it picks the `encoding` of
 * the SDK that bucketed them (it matters only for non-ASCII keys).
 *
 * @example
 * ```ts
 * const client = createFlagClient(rows, { bucketing: unleashBucketing() });
 * // Users bucketed by the Unleash Node SDK (unleash-client), non-ASCII ids included:
 * const fromNode = createFlagClient(rows, { bucketing: unleashBucketing({ encoding: 'node-sdk' }) });
 * ```
 *
 * @throws RangeError when `options.encoding` is neither `'utf-8'` nor `'node-sdk'`: at creation,
 * so a typo fails at start-up instead of moving users to other cohorts.
 */
export function unleashBucketing(options: UnleashBucketingOptions = {}): Bucketing {
  // Resolved once: changing `options` later cannot move anyone, an unknown encoding throws at
  // start-up rather than at the first partial rollout, and evaluation does no lookup per call.
  const hash = unleashHash(options.encoding);
  const groupIdOf =
    options.groupId ??
    ((flag: EvaluableFlag) => {
      // Own only: `evaluate` hands over the row as given, so a polluted Object.prototype must not
      // supply a group id (and move a cohort) to a row that has no metadata.
      let metadata: unknown = Object.hasOwn(flag, 'metadata') ? flag.metadata : undefined;
      // `@app/flags/core` keeps metadata as the driver returned it: JSON text from MySQL/SQLite.
      if (typeof metadata === 'string') {
        try {
          metadata = JSON.parse(metadata);
        } catch {
          metadata = null;
        }
      }
      const fromMetadata = metadata && typeof metadata === 'object' && Object.hasOwn(metadata, 'unleash_group_id') ? (metadata as Record<string, unknown>).unleash_group_id : undefined;
      return typeof fromMetadata === 'string' && fromMetadata !== '' ? fromMetadata : flag.name;
    });
  return {
    bucketOf: (flag, subjectKey) => unleashValueWith(hash, subjectKey, groupIdOf(flag), 100),
    includes: (b, percentage) => b <= percentage,
  };
}
