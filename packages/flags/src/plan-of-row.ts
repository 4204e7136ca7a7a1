import { type ReadRolloutPlanResult, readRolloutPlan } from './read-rollout-plan.js';
import { PLAN_METADATA_KEY } from './rollout-plan.js';

/**
 * The rollout plan a `feature_flags` row carries in `metadata.rolloutPlan` (metadata as an object
 * or as its JSON text, as MySQL and SQLite drivers return it), read without zod; `undefined` when
 * the row has none. Never throws.
 */
export function planOfRow(row: unknown): ReadRolloutPlanResult | undefined {
  try {
    let metadata = (row as { metadata?: unknown } | null)?.metadata;
    if (typeof metadata === 'string') metadata = JSON.parse(metadata) as unknown;
    const plan = metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[PLAN_METADATA_KEY] : undefined;
    return plan === undefined || !Object.hasOwn(metadata as object, PLAN_METADATA_KEY) ? undefined : readRolloutPlan(plan);
  } catch {
    return undefined;
  }
}
