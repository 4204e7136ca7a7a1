import { type FlagState, type FlagStateChange, exposureOf, stageEnteredAt } from './flag-state.js';
import { formatDuration } from './format-duration.js';
import { ROLLOUT_PLAN, type RolloutPlanStage } from './rollout-plan.js';

/** Where a flag stands in the rollout plan, and what to do next. */
export interface RolloutGuidance {
  /** The plan stage the flag is in (10 % covers 1–49 %, 50 % covers 50–99 %), or `null` when nobody gets the feature. */
  stage: RolloutPlanStage | null;
  /** When the flag reached its current exposure, from its history; `null` when unknown. */
  since: Date | null;
  /** How long it has been there (0 when unknown). */
  heldMs: number;
  /** How much of the recommended hold is left (0 when held long enough, or off). */
  remainingMs: number;
  /** The next percentage of the plan, or `null` at 100 % and when off. */
  next: number | null;
  /** One or two sentences for the admin. */
  message: string;
}

/** The plan stage an exposure is in: the highest stage at or below it, the first stage below 10 %. */
function stageOf(exposure: number): RolloutPlanStage | null {
  if (exposure === 0) return null;
  let stage = ROLLOUT_PLAN[0]!;
  for (const candidate of ROLLOUT_PLAN) if (candidate.percentage <= exposure) stage = candidate;
  return stage;
}

/**
 * Guidance from the seed's plan (10 %: hold 24 h, 50 %: 48 h, 100 %: a week before cleanup):
 * the stage the flag is in, how long it has been there (from its history; `fallback`, e.g. the
 * row's `updated_at`, when the history is empty), and the next step. `now` is the clock.
 */
export function rolloutGuidance(flag: FlagState, history: readonly FlagStateChange[], now: Date, fallback: string | Date | null = null): RolloutGuidance {
  const exposure = exposureOf(flag);
  const since = stageEnteredAt(history, fallback);
  const heldMs = since === null ? 0 : Math.max(0, now.getTime() - since.getTime());
  const stage = stageOf(exposure);
  if (stage === null) {
    const message = flag.rollout_percentage > 0
      ? `Disabled: nobody gets the feature. Enabling it exposes ${flag.rollout_percentage} % at once; to restart the plan, set 10 % first.`
      : `Off: nobody gets the feature. Start the rollout at ${ROLLOUT_PLAN[0]!.percentage} % and hold it ${formatDuration(ROLLOUT_PLAN[0]!.holdMs)}.`;
    return { stage, since, heldMs, remainingMs: 0, next: flag.rollout_percentage > 0 ? null : ROLLOUT_PLAN[0]!.percentage, message };
  }
  const remainingMs = Math.max(0, stage.holdMs - heldMs);
  const next = ROLLOUT_PLAN.find((candidate) => candidate.percentage > exposure)?.percentage ?? null;
  const held = since === null ? 'for an unknown time' : `for ${formatDuration(heldMs)}`;
  const recommended = `the recommended ${formatDuration(stage.holdMs)} at ${stage.percentage} %`;
  let message: string;
  if (next === null) {
    message = remainingMs > 0
      ? `Fully on ${held} of ${recommended}: watch errors and tickets ${formatDuration(remainingMs)} more, then plan cleanup.`
      : `Fully on ${held}, past ${recommended}: plan cleanup once it has been stable for two weeks.`;
  } else {
    message = remainingMs > 0
      ? `At ${exposure} % ${held} of ${recommended}: hold ${formatDuration(remainingMs)} more, then go to ${next} %.`
      : `At ${exposure} % ${held}, past ${recommended}: if errors and feedback are fine, go to ${next} %.`;
  }
  return { stage, since, heldMs, remainingMs, next, message };
}
