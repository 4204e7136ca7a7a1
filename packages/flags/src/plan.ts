/**
 * `@app/flags/plan`: scheduled rollout plans without zod, for widgets and edge functions: the
 * percentage a flag's plan gives at a moment, and the plan's changes (pause, resume, advance,
 * roll back). `@app/flags` re-exports all of it, with `RolloutPlanSchema` for servers.
 *
 * @packageDocumentation
 */
export { type PlanStage, type Guardrail, type RolloutPlan, type RolloutPlanState, DEFAULT_PLAN_STAGES, PLAN_METADATA_KEY } from './rollout-plan.js';
export { parseHold } from './parse-hold.js';
export { type ReadRolloutPlanResult, readRolloutPlan } from './read-rollout-plan.js';
export { type PlanPosition, planPosition } from './plan-position.js';
export { currentPercentage } from './current-percentage.js';
export { planOfRow } from './plan-of-row.js';
export { applyRolloutPlans } from './apply-rollout-plans.js';
export {
  type CreateRolloutPlanOptions,
  type PlanTransition,
  advancePlan,
  createRolloutPlan,
  pausePlan,
  resumePlan,
  rollBackPlan,
  settlePlan,
} from './plan-transitions.js';
export { type FlagMetrics, type GuardrailDecision, type GuardrailReading, type VariantCounts, checkGuardrails } from './check-guardrails.js';
