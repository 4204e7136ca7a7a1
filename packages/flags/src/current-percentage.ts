import { planPosition } from './plan-position.js';
import type { RolloutPlan } from './rollout-plan.js';

/**
 * The rollout percentage a plan gives at `now` (pure): the same answer on a server and in a
 * widget for the same clock, with no job moving it. 0 before the start and after a rollback;
 * while running it only ever rises as the clock moves.
 */
export function currentPercentage(plan: RolloutPlan, now: Date | number): number {
  return planPosition(plan, now).percentage;
}
