import { parseHold } from './parse-hold.js';
import type { Guardrail, RolloutPlan } from './rollout-plan.js';

/** A plan read without zod: the plan, or the field that is wrong and what it must hold. */
export type ReadRolloutPlanResult = { ok: true; plan: RolloutPlan } | { ok: false; field: string; expected: string };

const STATES = ['running', 'paused', 'rolled_back', 'done'];
const isTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first wrong field of a guardrail, or `undefined`. */
function guardrailFault(g: unknown, at: string): [string, string] | undefined {
  if (!isObject(g)) return [at, 'an object'];
  if (typeof g.metric !== 'string' || !g.metric) return [`${at}.metric`, 'a non-empty string'];
  if (typeof g.threshold !== 'number' || !Number.isFinite(g.threshold) || g.threshold < 0) return [`${at}.threshold`, 'a finite number, at least 0'];
  if (g.action !== 'pause' && g.action !== 'rollback') return [`${at}.action`, '"pause" or "rollback"'];
  if (g.minSamples !== undefined && (!Number.isSafeInteger(g.minSamples) || (g.minSamples as number) < 0)) return [`${at}.minSamples`, 'an integer, at least 0'];
  if (g.comparedTo !== undefined && g.comparedTo !== 'off') return [`${at}.comparedTo`, '"off"'];
  return undefined;
}

/** The first wrong field of a plan, or `undefined`. The same rules as `RolloutPlanSchema` (a property test keeps them equal). */
function planFault(p: Record<string, unknown>): [string, string] | undefined {
  const stages = p.stages;
  if (!Array.isArray(stages) || stages.length < 1 || stages.length > 20) return ['stages', 'an array of 1 to 20 stages'];
  let previous = 0;
  for (const [i, s] of stages.entries()) {
    if (!isObject(s)) return [`stages[${i}]`, 'an object'];
    const percentage = s.percentage as number;
    if (!Number.isInteger(percentage) || percentage <= previous || percentage > 100) return [`stages[${i}].percentage`, 'an integer up to 100, above the stage before (and above 0)'];
    previous = percentage;
    if (s.hold !== undefined && parseHold(s.hold) === undefined) return [`stages[${i}].hold`, "a duration such as '30m', '24h', '2d' or '1w'"];
  }
  if (!isTime(p.startAt)) return ['startAt', 'an ISO 8601 time'];
  if (!STATES.includes(p.state as string)) return ['state', 'one of running, paused, rolled_back, done'];
  if (!Number.isInteger(p.stage) || (p.stage as number) < 0 || (p.stage as number) >= stages.length) return ['stage', 'the index of one of the stages'];
  if (!isTime(p.stageStartedAt)) return ['stageStartedAt', 'an ISO 8601 time'];
  if (p.state === 'paused' ? !isTime(p.pausedAt) : p.pausedAt !== undefined && !isTime(p.pausedAt)) return ['pausedAt', 'an ISO 8601 time (set while paused)'];
  if (p.decision !== undefined && (typeof p.decision !== 'string' || p.decision.length > 500)) return ['decision', 'a string of at most 500 characters'];
  if (p.guardrails !== undefined) {
    if (!Array.isArray(p.guardrails) || p.guardrails.length > 10) return ['guardrails', 'an array of at most 10 guardrails'];
    for (const [i, g] of p.guardrails.entries()) {
      const fault = guardrailFault(g, `guardrails[${i}]`);
      if (fault) return fault;
    }
  }
  return undefined;
}

/**
 * Validates a rollout plan by hand, for the zod-free entries (`@app/flags/plan`); `@app/flags`
 * validates with `RolloutPlanSchema`, by the same rules. Never throws. The plan returned is a copy
 * holding only the known fields.
 */
export function readRolloutPlan(value: unknown): ReadRolloutPlanResult {
  if (!isObject(value)) return { ok: false, field: '(plan)', expected: 'an object' };
  const fault = planFault(value);
  if (fault) return { ok: false, field: fault[0], expected: fault[1] };
  const p = value as unknown as RolloutPlan;
  const plan: RolloutPlan = {
    stages: p.stages.map((s) => (s.hold === undefined ? { percentage: s.percentage } : { percentage: s.percentage, hold: s.hold })),
    startAt: p.startAt,
    state: p.state,
    stage: p.stage,
    stageStartedAt: p.stageStartedAt,
  };
  if (p.pausedAt !== undefined) plan.pausedAt = p.pausedAt;
  if (p.decision !== undefined) plan.decision = p.decision;
  if (p.guardrails !== undefined) {
    plan.guardrails = p.guardrails.map((g) => {
      const copy: Guardrail = { metric: g.metric, threshold: g.threshold, action: g.action };
      if (g.minSamples !== undefined) copy.minSamples = g.minSamples;
      if (g.comparedTo !== undefined) copy.comparedTo = g.comparedTo;
      return copy;
    });
  }
  return { ok: true, plan };
}
