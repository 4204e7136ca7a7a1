import { type FlagState, exposureOf } from './flag-state.js';
import { ROLLOUT_PLAN } from './rollout-plan.js';

/** Why a change needs an explicit confirmation. */
export interface RolloutWarning {
  /** `lowering`: people who have the feature lose it. `jumping`: the change skips a stage of the plan. */
  kind: 'lowering' | 'jumping';
  message: string;
}

/**
 * The warnings of a change from one flag state to another, by exposure (the percentage when
 * enabled, else 0): lowering it takes the feature away from people who had it; raising it past the
 * next stage of the plan (0 → 50, 10 → 100, re-enabling a flag disabled at 50 %) skips the
 * monitoring the plan asks for. Empty when the change needs no confirmation.
 */
export function rolloutWarnings(from: FlagState, to: FlagState): RolloutWarning[] {
  const before = exposureOf(from);
  const after = exposureOf(to);
  if (after < before) {
    return [
      {
        kind: 'lowering',
        message: `Lowers exposure from ${before} % to ${after} %: about ${before - after} % of users lose a feature they have now.`,
      },
    ];
  }
  const next = ROLLOUT_PLAN.find((stage) => stage.percentage > before)?.percentage;
  if (next !== undefined && after > next) {
    return [
      {
        kind: 'jumping',
        message: `Jumps from ${before} % to ${after} %, past the ${next} % stage of the plan: its monitoring is skipped.`,
      },
    ];
  }
  return [];
}
