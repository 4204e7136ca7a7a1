const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One stage of the product's rollout plan: its percentage and how long to hold it before the next. */
export interface RolloutPlanStage {
  readonly percentage: number;
  /** The recommended time at this stage, watching errors and feedback, before moving on (or, at 100 %, before cleanup). */
  readonly holdMs: number;
}

/**
 * The seed's rollout plan: 10 % for 24 hours, 50 % for 48 hours, then 100 % for a week before
 * cleanup is planned.
 */
export const ROLLOUT_PLAN: readonly RolloutPlanStage[] = Object.freeze([
  Object.freeze({ percentage: 10, holdMs: 24 * HOUR_MS }),
  Object.freeze({ percentage: 50, holdMs: 48 * HOUR_MS }),
  Object.freeze({ percentage: 100, holdMs: 7 * DAY_MS }),
]);

/** How long a flag must stay fully on (or off), unchanged, before its code and row can be removed: two weeks. */
export const CLEANUP_AFTER_MS = 14 * DAY_MS;
