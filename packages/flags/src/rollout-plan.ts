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

/** Where a scheduled rollout plan stands: the clock moves a `running` plan; people move the others. */
export type RolloutPlanState = 'running' | 'paused' | 'rolled_back' | 'done';

/**
 * One stage of a {@link RolloutPlan}: its percentage (an integer 1–100, each stage above the one
 * before) and how long to hold it before the next (`'30m'`, `'24h'`, `'2d'`, `'1w'`; see
 * `parseHold`). A stage without a hold waits for a person (or a guardrail check) to advance it.
 */
export interface PlanStage {
  percentage: number;
  hold?: string;
}

/**
 * A guardrail of a plan: when the rate of `metric` among subjects who got the feature (the
 * metric's count under the `on` variant divided by the `on` evaluations of the window) is above
 * `threshold`, take `action`. With `comparedTo: 'off'` the rate is measured against the `off`
 * variant's (on − off), so errors the feature does not cause do not count. Below `minSamples`
 * `on` evaluations the guardrail does not judge, and holds the next stage.
 */
export interface Guardrail {
  metric: string;
  threshold: number;
  action: 'pause' | 'rollback';
  minSamples?: number;
  comparedTo?: 'off';
}

/**
 * A scheduled rollout, stored as data in the flag's `metadata.rolloutPlan`, so servers and
 * widgets compute the same percentage from it and the clock (`currentPercentage`).
 *
 * The clock advances a running plan through its stages by their holds, except a plan with
 * guardrails, which moves past a stage only when a guardrail check clears it (`checkGuardrails`).
 * `stage` and `stageStartedAt` anchor the schedule: stage `stage` began at `stageStartedAt`
 * (`startAt` at first); pausing, resuming and advancing move the anchor, never backwards.
 */
export interface RolloutPlan {
  stages: PlanStage[];
  /** When the first stage starts (ISO 8601); before it, the plan gives 0 %. */
  startAt: string;
  state: RolloutPlanState;
  /** The index of the stage that began at `stageStartedAt`. */
  stage: number;
  /** ISO 8601. */
  stageStartedAt: string;
  /** When the plan was paused (ISO 8601); set while `state` is `paused`. */
  pausedAt?: string;
  guardrails?: Guardrail[];
  /**
   * Why the plan last changed, in words, with a guardrail check's numbers (`"guardrail error
   * rate 12.0 % (120 of 1000 on) above 5 %: rolled back"`), so the flag's history keeps them.
   * At most 500 characters.
   */
  decision?: string;
}

/** The key of the flag's `metadata` that holds its {@link RolloutPlan}. */
export const PLAN_METADATA_KEY = 'rolloutPlan';

/** The seed's plan as stages: 10 % for 24 h, 50 % for 48 h, then 100 % watched for a week. */
export const DEFAULT_PLAN_STAGES: readonly PlanStage[] = [
  { percentage: 10, hold: '24h' },
  { percentage: 50, hold: '48h' },
  { percentage: 100, hold: '1w' },
];
