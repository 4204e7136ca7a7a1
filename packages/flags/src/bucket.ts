import { murmurhash3 } from './murmurhash3.js';

/**
 * Number of buckets a subject can fall into: 10,000, i.e. steps of 0.01 %.
 * Rollouts today are whole percentages (100 buckets each); the finer grain lets fractional
 * rollouts come later without moving anyone to another bucket.
 */
export const BUCKET_COUNT = 10_000;

/**
 * The exact string that is hashed for a flag and a subject: `${flagName}:${subjectKey}`.
 * Exported so other languages and tests can rebuild the input byte for byte.
 */
export function bucketInput(flagName: string, subjectKey: string): string {
  return `${flagName}:${subjectKey}`;
}

/**
 * The deterministic bucket of a subject for a flag, an integer in `0..9999`.
 *
 * `murmurhash3_x86_32(utf8(flagName + ":" + subjectKey), seed 0) % 10000`. A subject is in a
 * rollout of `p` % when `bucket < p * 100`, so raising `p` only ever adds subjects.
 *
 * @param flagName - The flag's unique name, used verbatim (no trimming or case folding).
 * @param subjectKey - A stable id of the user or visitor, used verbatim.
 */
export function bucket(flagName: string, subjectKey: string): number {
  return murmurhash3(`${flagName}:${subjectKey}`) % 10_000; // BUCKET_COUNT, inlined for the widget bundle
}
