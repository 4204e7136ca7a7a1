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
  let own: EvaluableFlag;
  try {
    // Own properties only, each read once: a polluted Object.prototype adds no column, and a
    // row whose getter or Proxy trap throws reads as empty, so it fails as PARSE_ERROR below.
    own = { __proto__: null, ...flag } as EvaluableFlag;
  } catch {
    own = { __proto__: null } as unknown as EvaluableFlag;
  }
  // Plain object literals on purpose: a shared result builder with a spread costs 3-4x here.
  const flagName = typeof own.name === 'string' ? own.name : '';
  if (invalidEvaluationField(own)) return { flagName, value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' };
  if (!own.enabled) return { flagName, value: false, reason: 'DISABLED' };
  const percentage = own.rollout_percentage;
  // An integer from 0 to 100 here, so `% 100 === 0` means 0 or 100 (spelled short for the widget bundle).
  if (percentage % 100 === 0) return { flagName, value: percentage > 0, reason: 'STATIC' };
  // String(number) is fixed by ECMAScript, so a numeric id buckets alike in every engine.
  const key = typeof subjectKey === 'string' || Number.isFinite(subjectKey) ? `${subjectKey}` : '';
  if (!key) return { flagName, value: false, reason: 'DEFAULT', errorCode: 'TARGETING_KEY_MISSING' };
  // A `bucketing` that is not a Bucketing (the string "unleash") or a custom one that throws
  // fails closed here rather than inside a widget's render.
  try {
    const bucketing = options?.bucketing ?? defaultBucketing;
    const bucket = bucketing.bucketOf(own, key);
    return { flagName, value: bucketing.includes(bucket, percentage), reason: 'SPLIT', bucket };
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
