import type { EvaluableFlag } from './evaluable-flag.js';

/**
 * Why an evaluation returned its value, in the vocabulary of OpenFeature:
 * - `STATIC`: the flag is enabled at 0 % or 100 %, so every subject gets the same value.
 * - `SPLIT`: the subject's bucket decided (a rollout between 1 and 99 %).
 * - `DISABLED`: the flag is disabled; everyone gets `false` whatever the percentage.
 * - `DEFAULT`: the default (`false`) was returned because the flag could not be decided for this
 *   subject, e.g. an anonymous visitor without a subject key (`errorCode` says why).
 * - `ERROR`: the flag is unknown, its row is invalid, or the evaluation options are unusable;
 *   the default (`false`) is returned.
 */
export type EvaluationReason = 'STATIC' | 'SPLIT' | 'DISABLED' | 'DEFAULT' | 'ERROR';

/**
 * Why an evaluation fell back to the default, in the vocabulary of OpenFeature:
 * `FLAG_NOT_FOUND` (no flag of that name), `PARSE_ERROR` (the flag's row is invalid),
 * `TARGETING_KEY_MISSING` (a partial rollout needs a subject key and there was none),
 * `GENERAL` (the options are unusable, e.g. `bucketing` is not a {@link Bucketing}, or a custom
 * bucketing threw; `errorMessage` says which).
 */
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'GENERAL';

/** The outcome of evaluating one flag for one subject. Never thrown, always returned. */
export interface FlagEvaluation {
  /** The flag's name, as asked for. */
  flagName: string;
  /** Whether the feature is on for this subject. */
  value: boolean;
  /** Why the value is what it is. */
  reason: EvaluationReason;
  /**
   * The subject's bucket when it decided (`reason: "SPLIT"`): `0..9999` with the default
   * bucketing, `1..100` with Unleash bucketing.
   */
  bucket?: number;
  /** Set when the default was returned because something was missing or wrong. */
  errorCode?: EvaluationErrorCode;
  /** A sentence for logs when `errorCode` is set. */
  errorMessage?: string;
}

/**
 * How subjects are assigned to buckets, and which buckets a rollout includes. The default is
 * {@link defaultBucketing}; {@link unleashBucketing} reproduces Unleash's gradual rollout.
 */
export interface Bucketing {
  /** The subject's bucket for this flag. */
  bucketOf(flag: EvaluableFlag, subjectKey: string): number;
  /** Whether `bucket` is inside a rollout of `percentage` % (1..99); must only grow with `percentage`. */
  includes(bucket: number, percentage: number): boolean;
}

/** Options of {@link evaluate}, {@link isEnabled} and `createFlagClient`. */
export interface EvaluateOptions {
  /**
   * The bucketing algorithm; {@link defaultBucketing} unless told otherwise, e.g.
   * `unleashBucketing()`. A value that is not a {@link Bucketing} (such as the string
   * `"unleash"`) is never thrown over: a partial rollout (1–99 %) fails closed with `ERROR`/`GENERAL`.
   */
  bucketing?: Bucketing;
}
