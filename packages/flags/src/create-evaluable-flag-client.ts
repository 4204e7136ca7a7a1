import type { EvaluableFlag } from './evaluable-flag.js';
import { type FlagClient, type FlagClientOptions, createFlagClientWith } from './flag-client.js';
import { readEvaluableFlag } from './read-evaluable-flag.js';

/**
 * Builds a client over `feature_flags` rows, without zod (the `@app/flags/core` entry, for
 * widgets). Rows are checked on the columns evaluation reads — `name`, `enabled`,
 * `rollout_percentage` — by the same rules as `FlagSchema`; other columns are kept as given.
 * Never throws: an invalid row is reported in `errors` (and to `onInvalidFlag`) and fails closed
 * — its flag, when its name is readable, evaluates to `false` with `ERROR`/`PARSE_ERROR` —
 * while every other flag keeps working. Two rows with the same name fail closed the same way.
 * Unusable options do not throw either: a `bucketing` that is not a `Bucketing` (say the string
 * `"unleash"` instead of `unleashBucketing()`) makes every partial rollout (1–99 %)
 * evaluate to `ERROR`/`GENERAL`.
 *
 * @param rowsOrFlags - Database rows or parsed flags; anything that is not an array counts as one invalid row.
 */
export function createFlagClient(rowsOrFlags: readonly unknown[], options?: FlagClientOptions): FlagClient<EvaluableFlag> {
  return createFlagClientWith(rowsOrFlags, readEvaluableFlag, options);
}
