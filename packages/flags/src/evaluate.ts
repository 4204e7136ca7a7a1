import { defaultBucketing } from './default-bucketing.js';
import type { EvaluateOptions, FlagEvaluation } from './evaluation.js';
import type { EvaluableFlag } from './evaluable-flag.js';
import { invalidEvaluationField } from './flag-fields.js';

/**
 * A subject key: a stable user or visitor id. A finite number or a bigint is the same subject as
 * its decimal string (`42` and `"42"` share a bucket), since database ids are often numeric.
 * Empty strings, `null`, `undefined`, `NaN` and infinities mean anonymous.
 */
export type SubjectKey = string | number | bigint | null | undefined;

/**
 * Decides a flag for one subject. Never throws: anything that cannot be decided returns
 * `false` with a reason and an error code.
 *
 * Order: an invalid flag is `ERROR`/`PARSE_ERROR`; unusable options (a `bucketing` that is not
 * a {@link Bucketing}) are `ERROR`/`GENERAL` for every flag, so the mistake shows before a
 * rollout depends on it; a disabled flag is `DISABLED` (off for everyone, whatever the
 * percentage); 0 % and 100 % are `STATIC`; otherwise the subject's bucket decides (`SPLIT`).
 * Between 1 and 99 % a missing subject key gives `DEFAULT` (off) with `TARGETING_KEY_MISSING`:
 * an anonymous visitor only sees features rolled out to everyone, unless it gets an id (see
 * `getAnonymousId` in `@app/flags/browser`). A custom bucketing that throws gives
 * `ERROR`/`GENERAL`.
 *
 * @param flag - A parsed {@link EvaluableFlag} (see `parseFlag`); invalid objects are reported, not thrown.
 * @param subjectKey - The user's or visitor's stable id; numbers are used as `String(key)`.
 */
export function evaluate(flag: EvaluableFlag, subjectKey: SubjectKey, options?: EvaluateOptions): FlagEvaluation {
  // Plain object literals on purpose: a shared result builder with a spread costs 3-4x here.
  const flagName = typeof (flag as { name?: unknown } | null)?.name === 'string' ? flag.name : '';
  if (invalidEvaluationField(flag)) return { flagName, value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' };
  try {
    const bucketing = options?.bucketing ?? defaultBucketing;
    // Checked before the flag's state, so a wrong option shows on every flag at once, not only
    // when a rollout between 1 and 99 % first asks for a bucket.
    if (typeof bucketing.bucketOf !== 'function' || typeof bucketing.includes !== 'function') {
      throw new TypeError('options.bucketing is not a Bucketing (see unleashBucketing)');
    }
    if (!flag.enabled) return { flagName, value: false, reason: 'DISABLED' };
    const percentage = flag.rollout_percentage;
    if (percentage === 0 || percentage === 100) return { flagName, value: percentage === 100, reason: 'STATIC' };
    // String(number) is fixed by ECMAScript, so a numeric id buckets alike in every engine.
    const key = typeof subjectKey === 'string' ? subjectKey : Number.isFinite(subjectKey) || typeof subjectKey === 'bigint' ? String(subjectKey) : '';
    if (!key) return { flagName, value: false, reason: 'DEFAULT', errorCode: 'TARGETING_KEY_MISSING' };
    const bucket = bucketing.bucketOf(flag, key);
    return { flagName, value: bucketing.includes(bucket, percentage), reason: 'SPLIT', bucket };
  } catch (error) {
    const why = error instanceof Error ? error.message : 'the bucketing threw';
    return { flagName, value: false, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: `Feature flag "${flagName}": ${why}` };
  }
}

/**
 * `evaluate(flag, subjectKey, options).value`: whether the feature is on for this subject.
 * Never throws; anything undecidable is `false`.
 */
export function isEnabled(flag: EvaluableFlag, subjectKey: SubjectKey, options?: EvaluateOptions): boolean {
  return evaluate(flag, subjectKey, options).value;
}
