import { planPosition } from './plan-position.js';
import { DEFAULT_PLAN_STAGES, type Guardrail, type PlanStage, type RolloutPlan } from './rollout-plan.js';

/**
 * The outcome of a change of a plan: the new plan, or why the change does not apply (`not_running`:
 * only a running plan can be paused; `not_paused`: only a paused or rolled-back plan can be resumed;
 * `last_stage`: there is no stage to advance to; `finished`: the plan is done or rolled back).
 */
export type PlanTransition =
  | { ok: true; plan: RolloutPlan }
  | { ok: false; reason: 'not_running' | 'not_paused' | 'last_stage' | 'finished'; message: string };

const iso = (time: number) => new Date(time).toISOString();
const timeOf = (now: Date | number) => (typeof now === 'number' ? now : now.getTime());

/** Options of {@link createRolloutPlan}. */
export interface CreateRolloutPlanOptions {
  /** When the first stage starts; `now` by default. */
  startAt?: Date | number;
  /** The stages; the seed's 10 % 24 h → 50 % 48 h → 100 % 1 w ({@link DEFAULT_PLAN_STAGES}) by default. */
  stages?: readonly PlanStage[];
  guardrails?: readonly Guardrail[];
}

/** A new running plan (pure; validate it with `RolloutPlanSchema` or `readRolloutPlan` before storing). */
export function createRolloutPlan(now: Date | number, options: CreateRolloutPlanOptions = {}): RolloutPlan {
  const startAt = iso(timeOf(options.startAt ?? now));
  const plan: RolloutPlan = { stages: (options.stages ?? DEFAULT_PLAN_STAGES).map((stage) => ({ ...stage })), startAt, state: 'running', stage: 0, stageStartedAt: startAt };
  if (options.guardrails !== undefined && options.guardrails.length > 0) plan.guardrails = options.guardrails.map((guardrail) => ({ ...guardrail }));
  return plan;
}

function refuse(reason: Extract<PlanTransition, { ok: false }>['reason'], message: string): PlanTransition {
  return { ok: false, reason, message };
}

/** Pauses a running plan at `now`: its percentage stays what it is now until resumed. */
export function pausePlan(plan: RolloutPlan, now: Date | number): PlanTransition {
  if (plan.state !== 'running') return refuse('not_running', `the plan is ${plan.state.replace('_', ' ')}, not running`);
  return { ok: true, plan: { ...plan, state: 'paused', pausedAt: iso(timeOf(now)) } };
}

/**
 * Resumes a paused plan: the stage it was paused in goes on for the rest of its hold, from `now`.
 * A rolled-back plan restarts from its first stage at `now` (the seed's "fix and redeploy, resume").
 */
export function resumePlan(plan: RolloutPlan, now: Date | number): PlanTransition {
  const time = timeOf(now);
  if (plan.state === 'rolled_back') {
    const { pausedAt: _, ...rest } = plan;
    return { ok: true, plan: { ...rest, state: 'running', stage: 0, stageStartedAt: iso(time) } };
  }
  if (plan.state !== 'paused') return refuse('not_paused', `the plan is ${plan.state}, not paused`);
  const position = planPosition(plan, time);
  const { pausedAt, ...rest } = plan;
  // The time already spent in the stage before the pause counts; the pause itself does not.
  const enteredAt = position.enteredAt + (time - Date.parse(pausedAt!));
  return { ok: true, plan: { ...rest, state: 'running', stage: position.stage, stageStartedAt: iso(enteredAt) } };
}

/**
 * Moves to the next stage at `now` (a plan that has not started starts its first stage), running.
 * Refused on the last stage, and for a done or rolled-back plan.
 */
export function advancePlan(plan: RolloutPlan, now: Date | number): PlanTransition {
  if (plan.state === 'done' || plan.state === 'rolled_back') return refuse('finished', `the plan is ${plan.state.replace('_', ' ')}`);
  const time = timeOf(now);
  const position = planPosition(plan, time);
  const stage = position.started ? position.stage + 1 : 0;
  if (stage >= plan.stages.length) return refuse('last_stage', `the plan is on its last stage (${plan.stages.at(-1)!.percentage} %)`);
  const { pausedAt: _, ...rest } = plan;
  return { ok: true, plan: { ...rest, state: 'running', stage, stageStartedAt: iso(time) } };
}

/** Rolls the plan back at `now`: 0 % until resumed, which restarts it from its first stage. */
export function rollBackPlan(plan: RolloutPlan, now: Date | number): PlanTransition {
  if (plan.state === 'rolled_back') return refuse('finished', 'the plan is rolled back already');
  const { pausedAt: _, ...rest } = plan;
  return { ok: true, plan: { ...rest, state: 'rolled_back', stageStartedAt: iso(timeOf(now)) } };
}

/** Marks a running plan `done` once its last stage has been held for its hold; otherwise returns it unchanged. */
export function settlePlan(plan: RolloutPlan, now: Date | number): RolloutPlan {
  if (plan.state !== 'running') return plan;
  const position = planPosition(plan, now);
  if (!position.complete) return plan;
  return { ...plan, state: 'done', stage: position.stage, stageStartedAt: iso(position.enteredAt) };
}
