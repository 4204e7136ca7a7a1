import { FlagValidationError } from './errors.js';
import { type FlagClient, type FlagClientOptions, createFlagClientWith } from './flag-client.js';
import type { SubjectKey } from './evaluate.js';
import type { FlagEvaluation } from './evaluation.js';
import { type Flag, FlagSchema, safeParseFlag } from './flag-schema.js';
import type { InvalidFlagRow } from './invalid-flag-row.js';
import { readEvaluableFlag } from './read-evaluable-flag.js';
import { currentPercentage } from './current-percentage.js';
import { evaluate } from './evaluate.js';
import { PLAN_METADATA_KEY, type RolloutPlan } from './rollout-plan.js';
import { RolloutPlanSchema } from './rollout-plan-schema.js';

/** Options of `createFlagClient` of `@app/flags`. */
export interface ServerFlagClientOptions extends FlagClientOptions {
  /**
   * The clock a flag's rollout plan (`metadata.rolloutPlan`) is read with at each evaluation;
   * `Date.now` by default. A widget gets the same answers for the same clock with
   * `applyRolloutPlans(rows, now)` before `createFlagClient` of `@app/flags/core`.
   */
  now?: () => Date | number;
}

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
export function createFlagClient(rowsOrFlags: readonly unknown[], options?: ServerFlagClientOptions): FlagClient<Flag> {
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
  const plans = new Map<string, RolloutPlan>();
  client.flags.forEach((flag) => {
    if (flag.metadata === null || !Object.hasOwn(flag.metadata, PLAN_METADATA_KEY)) return;
    const parsed = RolloutPlanSchema.safeParse(flag.metadata[PLAN_METADATA_KEY]);
    if (parsed.success) return plans.set(flag.name, parsed.data);
    // An invalid plan is reported and ignored: the row's own percentage decides, as in a widget.
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const field = ['metadata', PLAN_METADATA_KEY, ...path].join('.');
    // The value of the field the issue names (`stages`, `stages.0.percentage`), not the whole plan.
    const received = path.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<PropertyKey, unknown>)[key] : undefined), flag.metadata[PLAN_METADATA_KEY]);
    const error = new FlagValidationError({ flagName: flag.name, field, expected: issue?.message ?? 'a rollout plan', received, rowIndex: undefined });
    columnErrors.push(error);
    onInvalidFlag?.(error);
  });
  const errors = columnErrors.length === 0 ? client.errors : [...client.errors, ...columnErrors].sort((a, b) => (a.rowIndex ?? 0) - (b.rowIndex ?? 0));
  if (plans.size === 0) return columnErrors.length === 0 ? client : { ...client, errors };
  const clock = ({ __proto__: null, ...options } as ServerFlagClientOptions).now ?? Date.now;
  const byName = new Map(client.flags.map((flag) => [flag.name, flag]));
  const evaluatePlanned = (flagName: string, subjectKey: SubjectKey): FlagEvaluation => {
    const plan = plans.get(flagName);
    if (plan === undefined) return client.evaluate(flagName, subjectKey);
    return evaluate({ ...byName.get(flagName)!, rollout_percentage: currentPercentage(plan, clock()) }, subjectKey, options);
  };
  return {
    flags: client.flags,
    errors,
    evaluate: evaluatePlanned,
    isEnabled: (flagName, subjectKey) => evaluatePlanned(flagName, subjectKey).value,
    allEnabled: (subjectKey) => client.flags.filter((flag) => evaluatePlanned(flag.name, subjectKey).value).map((flag) => flag.name),
  };
}
