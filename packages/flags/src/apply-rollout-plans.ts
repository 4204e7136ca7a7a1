import { currentPercentage } from './current-percentage.js';
import { planOfRow } from './plan-of-row.js';

/**
 * The rows with each valid plan's percentage at `now` as their `rollout_percentage` (pure): what a
 * widget hands to `createFlagClient` of `@app/flags/core` so it answers as a server client of
 * `@app/flags` does for the same clock. Rows without a plan, or with an invalid one, are returned
 * as they are (the server client reports the invalid plan and ignores it too).
 *
 * @example
 * ```ts
 * const client = createFlagClient(applyRolloutPlans(rows, Date.now()));
 * ```
 */
export function applyRolloutPlans<R>(rows: readonly R[], now: Date | number): R[] {
  return rows.map((row) => {
    const read = planOfRow(row);
    return read?.ok ? { ...row, rollout_percentage: currentPercentage(read.plan, now) } : row;
  });
}
