/**
 * `@app/flags/core`: bucketing, evaluation and the flag client without zod, for browser
 * widgets and edge functions where every byte counts. `@app/flags` re-exports all of it.
 *
 * @packageDocumentation
 */
export { BUCKET_COUNT, bucket, bucketInput } from './bucket.js';
export type { InvalidFlagRow } from './invalid-flag-row.js';
export type { FlagField } from './flag-fields.js';
export type { Flag, FlagRow } from './flag-schema.js';
export { type SubjectKey, evaluate, isEnabled } from './evaluate.js';
export { defaultBucketing } from './default-bucketing.js';
export type { Bucketing, EvaluateOptions, EvaluationErrorCode, EvaluationReason, FlagEvaluation } from './evaluation.js';
export type { FlagClient, FlagClientOptions } from './flag-client.js';
export { createFlagClient } from './create-evaluable-flag-client.js';
export type { EvaluableFlag } from './evaluable-flag.js';
export { murmurhash3 } from './murmurhash3.js';
