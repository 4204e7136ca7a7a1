import { planPosition } from './plan-position.js';
import { advancePlan, pausePlan, rollBackPlan, settlePlan } from './plan-transitions.js';
import type { Guardrail, RolloutPlan } from './rollout-plan.js';

/** Counts under one variant of a flag: `on` (the feature was on for the subject) and `off`. */
export interface VariantCounts {
  on: number;
  off: number;
}

/**
 * What telemetry measured for one flag over a window: its evaluations by value, and each
 * tracked metric (`error`, `checkout`…) by the variant the subject had.
 */
export interface FlagMetrics {
  evaluations: VariantCounts;
  metrics: Record<string, VariantCounts>;
}

/** One guardrail's numbers in a check. */
export interface GuardrailReading {
  guardrail: Guardrail;
  /** The metric's count per `on` evaluation (0 without evaluations). */
  onRate: number;
  /** The metric's count per `off` evaluation (0 without evaluations). */
  offRate: number;
  /** What is compared with the threshold: `onRate`, or `onRate − offRate` with `comparedTo: 'off'`. */
  value: number;
  /** `on` evaluations the rate is measured over. */
  samples: number;
  /** Whether there were enough samples (`minSamples`) to judge. */
  judged: boolean;
  /** Whether `value` is above the threshold (and judged). */
  breached: boolean;
}

/**
 * The outcome of a guardrail check: what to do (`rollback` or `pause` when a guardrail is
 * breached, `advance` when the stage's hold is over and every guardrail is judged and within its
 * threshold, `done` when the last stage has been held, `hold` otherwise, `none` for a plan that
 * is not running), the readings, a sentence with the numbers, and the plan after the action.
 */
export interface GuardrailDecision {
  action: 'rollback' | 'pause' | 'advance' | 'done' | 'hold' | 'none';
  readings: GuardrailReading[];
  message: string;
  /** The plan with the action applied and `decision` set to `message`; the same plan for `hold` and `none`. */
  plan: RolloutPlan;
}

const rate = (count: number | undefined, of: number) => (of > 0 ? (count ?? 0) / of : 0);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** One guardrail's reading of `metrics`. */
function read(guardrail: Guardrail, metrics: FlagMetrics): GuardrailReading {
  const counts = Object.hasOwn(metrics.metrics, guardrail.metric) ? metrics.metrics[guardrail.metric] : undefined;
  const samples = metrics.evaluations.on;
  const onRate = rate(counts?.on, samples);
  const offRate = rate(counts?.off, metrics.evaluations.off);
  const value = guardrail.comparedTo === 'off' ? onRate - offRate : onRate;
  const judged = samples >= (guardrail.minSamples ?? 0);
  return { guardrail, onRate, offRate, value, samples, judged, breached: judged && value > guardrail.threshold };
}

/** A reading in words: `error rate 12.0 % (120 of 1000 on) above 5.0 %`. */
function describe(r: GuardrailReading): string {
  const g = r.guardrail;
  const measured = g.comparedTo === 'off' ? `${percent(r.onRate)} on − ${percent(r.offRate)} off = ${percent(r.value)}` : percent(r.value);
  const verdict = !r.judged ? `not judged (${r.samples} of ${g.minSamples} evaluations)` : r.breached ? `above ${percent(g.threshold)}` : `within ${percent(g.threshold)}`;
  return `${g.metric} rate ${measured} (${r.samples} on) ${verdict}`;
}

/**
 * Checks a plan's guardrails against the metrics of its current stage at `now` (pure): run it on
 * a schedule and whenever a stage's hold ends. A breached guardrail takes its action (a rollback
 * wins over a pause); a plan whose stage has been held long enough advances only when every
 * guardrail was judged and is within its threshold. The decision's `plan` carries the numbers in
 * `decision`, so storing it records them in the flag's history.
 */
export function checkGuardrails(plan: RolloutPlan, metrics: FlagMetrics, now: Date | number): GuardrailDecision {
  const readings = (plan.guardrails ?? []).map((guardrail) => read(guardrail, metrics));
  const at = new Date(now).toISOString();
  const decide = (action: GuardrailDecision['action'], next: RolloutPlan, what: string): GuardrailDecision => {
    const message = `guardrail check at ${at}: ${readings.map(describe).join('; ') || 'no guardrails'}: ${what}`;
    return { action, readings, message, plan: action === 'hold' || action === 'none' ? plan : { ...next, decision: message.slice(0, 500) } };
  };
  if (plan.state !== 'running') return decide('none', plan, `the plan is ${plan.state.replace('_', ' ')}`);
  const breached = readings.filter((r) => r.breached);
  if (breached.length > 0) {
    const rollback = breached.some((r) => r.guardrail.action === 'rollback');
    const next = rollback ? rollBackPlan(plan, now) : pausePlan(plan, now);
    return decide(rollback ? 'rollback' : 'pause', next.ok ? next.plan : plan, rollback ? 'rolled back' : 'paused');
  }
  const position = planPosition(plan, now);
  const settled = settlePlan(plan, now);
  if (settled !== plan) return decide('done', settled, 'done');
  const holdOver = position.started && position.holdEndsAt !== null && position.holdEndsAt <= new Date(now).getTime();
  if (!holdOver || position.stage === plan.stages.length - 1) return decide('hold', plan, 'holding the stage');
  if (readings.some((r) => !r.judged)) return decide('hold', plan, 'holding the stage until every guardrail can judge it');
  const next = advancePlan(plan, now);
  return next.ok ? decide('advance', next.plan, `advanced to ${next.plan.stages[next.plan.stage]!.percentage} %`) : decide('hold', plan, next.message);
}
