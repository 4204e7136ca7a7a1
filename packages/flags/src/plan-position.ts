import { parseHold } from './parse-hold.js';
import type { RolloutPlan } from './rollout-plan.js';

/** Where a plan stands at a moment. */
export interface PlanPosition {
  /** The index of the current stage. */
  stage: number;
  /** The percentage the plan gives now: 0 before its start and once rolled back. */
  percentage: number;
  /** When the current stage began (ms since the epoch). */
  enteredAt: number;
  /** When the current stage's hold ends (ms since the epoch), or `null` when it has none. */
  holdEndsAt: number | null;
  /** Whether the plan has started (`startAt` has passed, or a person started it). */
  started: boolean;
  /** Whether the last stage was reached and held for its hold (or the plan is `done`). */
  complete: boolean;
}

const timeOf = (now: Date | number) => (typeof now === 'number' ? now : now.getTime());

/**
 * Where a plan stands at `now`, by its state and the clock (pure). A running plan walks from its
 * anchor stage through every hold that has passed; one with guardrails stays on its anchor stage
 * until a check clears it. A paused plan stands where it was when paused; a `done` plan on its last
 * stage; a rolled-back plan at 0 %.
 */
export function planPosition(plan: RolloutPlan, now: Date | number): PlanPosition {
  const last = plan.stages.length - 1;
  let at = plan.state === 'paused' ? Date.parse(plan.pausedAt!) : timeOf(now);
  if (plan.state === 'done') at = Infinity;
  let stage = plan.stage;
  let enteredAt = Date.parse(plan.stageStartedAt);
  const started = stage > 0 || at >= enteredAt;
  const gated = (plan.guardrails?.length ?? 0) > 0 && plan.state !== 'done';
  let hold = parseHold(plan.stages[stage]!.hold);
  while (started && !gated && stage < last && hold !== undefined && at >= enteredAt + hold) {
    enteredAt += hold;
    hold = parseHold(plan.stages[++stage]!.hold);
  }
  if (plan.state === 'done') stage = last;
  const holdEndsAt = hold === undefined ? null : enteredAt + hold;
  const percentage = plan.state === 'rolled_back' || !started ? 0 : plan.stages[stage]!.percentage;
  const complete = plan.state === 'done' || (stage === last && started && (holdEndsAt === null || at >= holdEndsAt));
  return { stage, percentage, enteredAt, holdEndsAt, started, complete };
}
