import { type GuardrailDecision, checkGuardrails, flagMetricsOf, planPosition } from '@app/flags';
import { type FlagPlanResult, changeFlagPlan, storedPlanOf } from './change-flag-plan.js';
import type { FlagMetricsStore } from './flag-metrics-store.js';
import type { FlagStore } from './flag-store.js';

/** What {@link checkFlagGuardrails} decided and wrote. */
export interface FlagGuardrailCheck {
  flagName: string;
  /** `null` when the flag has no valid running plan. */
  decision: GuardrailDecision | null;
  /**
   * The write of the decided plan (a rollback, pause, advance or `done`, or a `hold` worth
   * recording: see {@link GuardrailCheckOptions.recordHoldsEvery}), or `null` when nothing was written.
   */
  write: FlagPlanResult | null;
}

/** Options of {@link checkFlagGuardrails}. */
export interface GuardrailCheckOptions {
  /** Who the history records for the check's writes; `guardrail` by default. */
  actor?: string;
  /**
   * The longest a held stage goes without a recorded check, in ms (an hour by default). A check
   * that holds is recorded (the plan's `decision`, with its numbers, in the flag's history) when
   * its verdict differs from the last recorded check's (a guardrail becomes judged, a stage's hold
   * ends, the previous decision was a person's), or when the last recorded check is this old; any
   * other hold writes nothing, so a check every minute adds at most one history row an hour per
   * flag, plus one per change of verdict. `0` records every hold.
   */
  recordHoldsEvery?: number;
}

const HOUR_MS = 3_600_000;
const CHECK_PREFIX = /^guardrail check at (\S+?): /;

/** A check's message without its time and numbers: equal shapes are the same verdict. */
const verdictOf = (message: string) => message.replace(CHECK_PREFIX, '').replace(/\d+(?:\.\d+)?/g, '#');

/**
 * Whether a holding check's `message` is worth a history row after the plan's last `decision`
 * (pure): when the last decision was no guardrail check, when the verdict changed, or when the
 * last check was recorded `every` ms or more before `now`.
 */
export function holdWorthRecording(lastDecision: string | undefined, message: string, now: Date, every = HOUR_MS): boolean {
  const last = lastDecision === undefined ? null : CHECK_PREFIX.exec(lastDecision);
  if (last === null || lastDecision === undefined) return true;
  const recordedAt = Date.parse(last[1]!);
  if (Number.isNaN(recordedAt) || now.getTime() - recordedAt >= every) return true;
  return verdictOf(lastDecision) !== verdictOf(message);
}

/**
 * The edge of the pure `checkGuardrails` of `@app/flags/plan`: reads the flag's plan and the telemetry of its
 * current stage (windows since the stage began), decides at `now`, and stores the decided plan
 * through {@link changeFlagPlan} as the actor (a rollback also writes 0 % and disabled), so the
 * decision and its numbers are in the flag's history. A check that holds is recorded too, without
 * flooding the history: see {@link GuardrailCheckOptions.recordHoldsEvery}. Run it on a schedule
 * (every telemetry flush, say) and whenever a stage's hold ends. `options` may be the actor alone.
 */
export async function checkFlagGuardrails(
  store: FlagStore,
  metrics: FlagMetricsStore,
  flagName: string,
  now: Date,
  options: string | GuardrailCheckOptions = {},
): Promise<FlagGuardrailCheck> {
  const { actor = 'guardrail', recordHoldsEvery = HOUR_MS } = typeof options === 'string' ? { actor: options } : options;
  const flag = await store.getFlag(flagName);
  const stored = flag === null ? { plan: null } : storedPlanOf(flag);
  if (stored.plan === null) return { flagName, decision: null, write: null };
  const plan = stored.plan;
  const since = new Date(planPosition(plan, now).enteredAt).toISOString();
  // Every window that started in the stage, the current one included.
  const rows = await metrics.readFlagMetrics({ flagName, since, until: new Date(now.getTime() + 1).toISOString() });
  const decision = checkGuardrails(plan, flagMetricsOf(rows, flagName), now);
  if (decision.action === 'none') return { flagName, decision, write: null };
  if (decision.action === 'hold') {
    if (!holdWorthRecording(plan.decision, decision.message, now, recordHoldsEvery)) return { flagName, decision, write: null };
    const held = { ...plan, decision: decision.message.slice(0, 500) };
    return { flagName, decision, write: await changeFlagPlan(store, flagName, { kind: 'decide', plan: held }, { actor }, now) };
  }
  const write = await changeFlagPlan(store, flagName, { kind: 'decide', plan: decision.plan }, { actor }, now);
  return { flagName, decision, write };
}
