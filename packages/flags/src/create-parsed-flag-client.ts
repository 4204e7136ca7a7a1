import { FlagValidationError } from './errors.js';
import { type FlagClient, type FlagClientOptions, createFlagClientWith } from './flag-client.js';
import { type Flag, FlagSchema, safeParseFlag } from './flag-schema.js';
import type { InvalidFlagRow } from './invalid-flag-row.js';
import { readEvaluableFlag } from './read-evaluable-flag.js';

/**
 * The row with every column zod rejects set to `null` (all of them accept it, except the
 * evaluation columns, which are already valid here), parsed: the typed flag of a row whose only
 * faults are in columns evaluation does not read.
 */
function salvage(row: Record<string, unknown>): Flag | undefined {
  const patched: Record<string, unknown> = { __proto__: null, ...row } as Record<string, unknown>;
  for (let attempt = 0; attempt < 8; attempt++) {
    const result = FlagSchema.safeParse(patched);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const column = issue.path[0];
      if (typeof column !== 'string' || column === 'name' || column === 'enabled' || column === 'rollout_percentage') return undefined;
      patched[column] = null;
    }
  }
  return undefined;
}

/**
 * Builds a client over `feature_flags` rows (or parsed flags), validating every column with
 * {@link FlagSchema} so `flags` holds typed {@link Flag}s. Never throws.
 *
 * It decides exactly as `createFlagClient` of `@app/flags/core` does, so a server and a widget
 * reading the same rows give every subject the same answer: a row whose `name`, `enabled` or
 * `rollout_percentage` is unusable is reported in `errors` (and to `onInvalidFlag`) and fails
 * closed — its flag, when its name is readable, evaluates to `false` with
 * `ERROR`/`PARSE_ERROR` — while every other flag keeps working; two rows with the same name
 * fail closed the same way. A bad column evaluation does not read (`created_at` the strict
 * parser rejects, `metadata` that is not an object or JSON text of one) is reported the same way
 * but never changes the answer: the flag keeps working, with that column `null`. Unusable options
 * do not throw either: a `bucketing` that is not a `Bucketing` (say the string `"unleash"`
 * instead of `unleashBucketing()`) makes every partial rollout (1–99 %) evaluate to
 * `ERROR`/`GENERAL`.
 *
 * Widgets that want no zod in their bundle import the same function from `@app/flags/core`,
 * which checks only the columns evaluation reads.
 *
 * @param rowsOrFlags - Database rows or parsed flags; anything that is not an array counts as one invalid row.
 */
export function createFlagClient(rowsOrFlags: readonly unknown[], options?: FlagClientOptions): FlagClient<Flag> {
  const columnErrors: InvalidFlagRow[] = [];
  const onInvalidFlag = ({ __proto__: null, ...options } as FlagClientOptions).onInvalidFlag;
  const client = createFlagClientWith(
    rowsOrFlags,
    (row, rowIndex) => {
      // The decision follows the zod-free reader, so both entries answer alike.
      const lean = readEvaluableFlag(row, rowIndex);
      if (!lean.ok) return { ok: false, error: new FlagValidationError(lean.error) };
      const result = safeParseFlag(row, rowIndex);
      if (result.success) return { ok: true, flag: result.data };
      const flag = salvage(row as Record<string, unknown>);
      if (flag === undefined) return { ok: false, error: result.error };
      columnErrors.push(result.error);
      onInvalidFlag?.(result.error);
      return { ok: true, flag };
    },
    options,
  );
  if (columnErrors.length === 0) return client;
  const errors = [...client.errors, ...columnErrors].sort((a, b) => (a.rowIndex ?? 0) - (b.rowIndex ?? 0));
  return { ...client, errors };
}
