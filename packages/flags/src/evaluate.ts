import { defaultBucketing } from './default-bucketing.js';
import type { EvaluateOptions, FlagEvaluation } from './evaluation.js';
import type { EvaluableFlag } from './evaluable-flag.js';
import { invalidEvaluationField } from './flag-fields.js';

/**
 * A subject key: a stable user or visitor id. A finite number is the same subject as its decimal
 * string (`42` and `"42"` share a bucket), since database ids are often numeric. Empty strings,
 * `null`, `undefined`, `NaN` and infinities mean anonymous. (A bigint id is passed as
 * `String(id)`: accepting it here would cost the widget bundle bytes for a rare case.)
 */
export type SubjectKey = string | number | null | undefined;

/** A column of the row when it is the row's own: a polluted Object.prototype supplies none. */
function ownColumn(flag: EvaluableFlag, column: keyof EvaluableFlag): unknown {
  return Object.hasOwn(flag, column) ? flag[column] : undefined;
}

/**
 * Decides a flag for one subject. Never throws: anything that cannot be decided returns
 * `false` with a reason and an error code.
 *
 * Order: an invalid flag is `ERROR`/`PARSE_ERROR`; a disabled flag is `DISABLED` (off for
 * everyone, whatever the percentage); 0 % and 100 % are `STATIC`; otherwise the subject's
 * bucket decides (`SPLIT`), and a `bucketing` option that is not a {@link Bucketing} (or a
 * custom one that throws) gives `ERROR`/`GENERAL` with the cause in `errorMessage`.
 * Between 1 and 99 % a missing subject key gives `DEFAULT` (off) with `TARGETING_KEY_MISSING`:
 * an anonymous visitor only sees features rolled out to everyone, unless it gets an id (see
 * `getAnonymousId` in `@app/flags/browser`).
 *
 * @param flag - A parsed {@link EvaluableFlag} (see `parseFlag`); invalid objects are reported, not thrown.
 * @param subjectKey - The user's or visitor's stable id; numbers are used as `String(key)`.
 */
export function evaluate(flag: EvaluableFlag, subjectKey: SubjectKey, options?: EvaluateOptions): FlagEvaluation {
  let name: unknown;
  let enabled: unknown;
  let percentage: unknown;
  try {
    // The columns evaluation reads, own properties only, each read once: a polluted
    // Object.prototype supplies none, and a getter or Proxy trap that throws leaves the columns
    // after it unset, so the flag fails as PARSE_ERROR below. No copy of the row: a copy per call
    // (a null-prototype object) cost more than the hash.
    name = ownColumn(flag, 'name');
    enabled = ownColumn(flag, 'enabled');
    percentage = ownColumn(flag, 'rollout_percentage');
  } catch {}
  // Plain object literals on purpose: a shared result builder with a spread costs 3-4x here.
  const flagName = typeof name === 'string' ? name : '';
  if (invalidEvaluationField(name, enabled, percentage)) return { flagName, value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' };
  if (!enabled) return { flagName, value: false, reason: 'DISABLED' };
  // An integer from 0 to 100 here, so `% 100 === 0` means 0 or 100 (spelled short for the widget bundle).
  if ((percentage as number) % 100 === 0) return { flagName, value: (percentage as number) > 0, reason: 'STATIC' };
  // String(number) is fixed by ECMAScript, so a numeric id buckets alike in every engine.
  const key = typeof subjectKey === 'string' || Number.isFinite(subjectKey) ? `${subjectKey}` : '';
  if (!key) return { flagName, value: false, reason: 'DEFAULT', errorCode: 'TARGETING_KEY_MISSING' };
  // A `bucketing` that is not a Bucketing (the string "unleash") or a custom one that throws
  // fails closed here rather than inside a widget's render.
  try {
    const bucketing = options?.bucketing ?? defaultBucketing;
    const bucket = bucketing.bucketOf(flag, key);
    return { flagName, value: bucketing.includes(bucket, percentage as number), reason: 'SPLIT', bucket };
  } catch (error) {
    return { flagName, value: false, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: String(error) };
  }
}

/**
 * `evaluate(flag, subjectKey, options).value`: whether the feature is on for this subject.
 * Never throws; anything undecidable is `false`.
 */
export function isEnabled(flag: EvaluableFlag, subjectKey: SubjectKey, options?: EvaluateOptions): boolean {
  return evaluate(flag, subjectKey, options).value;
}
