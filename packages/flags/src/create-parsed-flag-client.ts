import { type FlagClient, type FlagClientOptions, createFlagClientWith } from './flag-client.js';
import { type Flag, safeParseFlag } from './flag-schema.js';

/**
 * Builds a client over `feature_flags` rows (or parsed flags), validating every column with
 * {@link FlagSchema} so `flags` holds typed {@link Flag}s. Never throws: an invalid row is
 * reported in `errors` (and to `onInvalidFlag`) and fails closed — its flag, when its name is
 * readable, evaluates to `false` with `ERROR`/`PARSE_ERROR` — while every other flag keeps
 * working. Two rows with the same name fail closed the same way. Unusable options do not throw
 * either: a `bucketing` that is not a `Bucketing` (say the string `"unleash"` instead of
 * `unleashBucketing()`) makes every partial rollout (1–99 %)
 * evaluate to `ERROR`/`GENERAL`.
 *
 * Widgets that want no zod in their bundle import the same function from `@app/flags/core`,
 * which checks only the columns evaluation reads.
 *
 * @param rowsOrFlags - Database rows or parsed flags; anything that is not an array counts as one invalid row.
 */
export function createFlagClient(rowsOrFlags: readonly unknown[], options?: FlagClientOptions): FlagClient<Flag> {
  return createFlagClientWith(
    rowsOrFlags,
    (row, rowIndex) => {
      const result = safeParseFlag(row, rowIndex);
      return result.success ? { ok: true, flag: result.data } : { ok: false, error: result.error };
    },
    options,
  );
}
