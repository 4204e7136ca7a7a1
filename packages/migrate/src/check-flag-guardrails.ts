import { type GuardrailDecision, checkGuardrails, flagMetricsOf, planPosition } from '@app/flags';
import { type FlagPlanResult, changeFlagPlan, storedPlanOf } from './change-flag-plan.js';
import type { FlagMetricsStore } from './flag-metrics-store.js';
import type { FlagStore } from './flag-store.js';

/** What {@link checkFlagGuardrails} decided and wrote. */
export interface FlagGuardrailCheck {
  flagName: string;
  /** `null` when the flag has no valid running plan. */
  decision: GuardrailDecision | null;
  /** The write of the decided plan (a rollback, pause, advance or `done`), or `null` when nothing was written. */
  write: FlagPlanResult | null;
}

/**
 * The edge of the pure `checkGuardrails` of `@app/flags/plan`: reads the flag's plan and the telemetry of its
 * current stage (windows since the stage began), decides at `now`, and stores the decided plan
 * through {@link changeFlagPlan} as `actor` (a rollback also writes 0 % and disabled), so the
 * decision and its numbers are in the flag's history. Run it on a schedule (every telemetry
 * flush, say) and whenever a stage's hold ends.
 */
export async function checkFlagGuardrails(store: FlagStore, metrics: FlagMetricsStore, flagName: string, now: Date, actor = 'guardrail'): Promise<FlagGuardrailCheck> {
  const flag = await store.getFlag(flagName);
  const stored = flag === null ? { plan: null } : storedPlanOf(flag);
  if (stored.plan === null) return { flagName, decision: null, write: null };
  const plan = stored.plan;
  const since = new Date(planPosition(plan, now).enteredAt).toISOString();
  // Every window that started in the stage, the current one included.
  const rows = await metrics.readFlagMetrics({ flagName, since, until: new Date(now.getTime() + 1).toISOString() });
  const decision = checkGuardrails(plan, flagMetricsOf(rows, flagName), now);
  if (decision.action === 'hold' || decision.action === 'none') return { flagName, decision, write: null };
  const write = await changeFlagPlan(store, flagName, { kind: 'decide', plan: decision.plan }, { actor }, now);
  return { flagName, decision, write };
}
