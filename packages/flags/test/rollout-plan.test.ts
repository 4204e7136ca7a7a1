import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as full from '../src/index.js';
import * as planEntry from '../src/plan.js';

const { advancePlan, applyRolloutPlans, createRolloutPlan, currentPercentage, pausePlan, planPosition, readRolloutPlan, resumePlan, rollBackPlan, settlePlan, RolloutPlanSchema } = full;
type RolloutPlan = full.RolloutPlan;

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const ok = (transition: full.PlanTransition): RolloutPlan => {
  if (!transition.ok) throw new Error(transition.message);
  return transition.plan;
};

describe('scheduled rollout plans', () => {
  it("follows the seed's plan by the clock alone: 0 % before the start, 10 % for 24 h, 50 % for 48 h, then 100 %", () => {
    const plan = createRolloutPlan(T0);
    expect(plan.stages).toEqual([{ percentage: 10, hold: '24h' }, { percentage: 50, hold: '48h' }, { percentage: 100, hold: '1w' }]);
    expect(RolloutPlanSchema.safeParse(plan).success).toBe(true);
    expect(readRolloutPlan(plan)).toEqual({ ok: true, plan });
    const at = (hours: number) => currentPercentage(plan, T0 + hours * HOUR);
    expect([at(-1), at(0), at(23.9), at(24), at(71.9), at(72), at(72 + 24 * 7)]).toEqual([0, 10, 10, 50, 50, 100, 100]);
    expect(planPosition(plan, T0 + 72 * HOUR)).toMatchObject({ stage: 2, complete: false, holdEndsAt: T0 + (72 + 168) * HOUR });
    expect(planPosition(plan, T0 + 240 * HOUR).complete).toBe(true);
    expect(settlePlan(plan, T0 + 100 * HOUR)).toBe(plan);
    expect(settlePlan(plan, T0 + 240 * HOUR)).toMatchObject({ state: 'done', stage: 2 });
  });

  it('pauses where it stands, resumes with the rest of the hold, advances now, and rolls back to 0 %', () => {
    const plan = createRolloutPlan(T0);
    const paused = ok(pausePlan(plan, T0 + 20 * HOUR));
    expect(currentPercentage(paused, T0 + 500 * HOUR)).toBe(10);
    expect(pausePlan(paused, T0 + 21 * HOUR)).toMatchObject({ ok: false, reason: 'not_running' });
    const resumed = ok(resumePlan(paused, T0 + 30 * HOUR));
    // 20 h of the 24 h hold were spent before the pause: 4 h remain from the resume.
    expect(currentPercentage(resumed, T0 + 33.9 * HOUR)).toBe(10);
    expect(currentPercentage(resumed, T0 + 34 * HOUR)).toBe(50);
    const advanced = ok(advancePlan(resumed, T0 + 35 * HOUR));
    expect(currentPercentage(advanced, T0 + 35 * HOUR)).toBe(100);
    expect(advancePlan(advanced, T0 + 36 * HOUR)).toMatchObject({ ok: false, reason: 'last_stage' });
    const rolledBack = ok(rollBackPlan(advanced, T0 + 36 * HOUR));
    expect(currentPercentage(rolledBack, T0 + 1000 * HOUR)).toBe(0);
    expect(advancePlan(rolledBack, T0 + 37 * HOUR)).toMatchObject({ ok: false, reason: 'finished' });
    const restarted = ok(resumePlan(rolledBack, T0 + 40 * HOUR));
    expect(currentPercentage(restarted, T0 + 40 * HOUR)).toBe(10);
    // Starting a plan scheduled for later now.
    const later = createRolloutPlan(T0, { startAt: T0 + 10 * HOUR });
    expect(currentPercentage(later, T0)).toBe(0);
    expect(currentPercentage(ok(advancePlan(later, T0)), T0)).toBe(10);
  });

  it('a plan with guardrails moves past a stage only when advanced (by a guardrail check or a person)', () => {
    const plan = createRolloutPlan(T0, { guardrails: [{ metric: 'error', threshold: 0.05, action: 'rollback' }] });
    expect(currentPercentage(plan, T0 + 1000 * HOUR)).toBe(10);
    expect(planPosition(plan, T0 + 25 * HOUR)).toMatchObject({ stage: 0, holdEndsAt: T0 + 24 * HOUR });
  });

  const stagesArbitrary = fc
    .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 })
    .chain((percentages) =>
      fc.tuple(...[...percentages].sort((a, b) => a - b).map((percentage) => fc.option(fc.constantFrom('30m', '2h', '1d'), { nil: undefined }).map((hold) => (hold === undefined ? { percentage } : { percentage, hold })))),
    );
  const planArbitrary = fc.record({
    stages: stagesArbitrary,
    startOffset: fc.integer({ min: -48, max: 48 }),
    guarded: fc.boolean(),
  }).map(({ stages, startOffset, guarded }) =>
    createRolloutPlan(T0, { stages, startAt: T0 + startOffset * HOUR, ...(guarded ? { guardrails: [{ metric: 'error', threshold: 0.1, action: 'pause' as const }] } : {}) }),
  );
  const step = fc.record({
    hours: fc.integer({ min: 0, max: 30 }),
    action: fc.constantFrom('wait', 'wait', 'pause', 'resume', 'advance', 'settle', 'rollback'),
  });

  it('property: the percentage never decreases as the clock moves and people act, except through a rollback', () => {
    fc.assert(
      fc.property(planArbitrary, fc.array(step, { maxLength: 25 }), (initial, steps) => {
        let plan = initial;
        let now = T0 - 50 * HOUR;
        let last = currentPercentage(plan, now);
        for (const { hours, action } of steps) {
          now += hours * HOUR;
          const before = currentPercentage(plan, now);
          expect(before).toBeGreaterThanOrEqual(last);
          const transition =
            action === 'pause' ? pausePlan(plan, now)
            : action === 'resume' ? resumePlan(plan, now)
            : action === 'advance' ? advancePlan(plan, now)
            : action === 'rollback' ? rollBackPlan(plan, now)
            : action === 'settle' ? { ok: true as const, plan: settlePlan(plan, now) }
            : { ok: true as const, plan };
          if (transition.ok) plan = transition.plan;
          expect(readRolloutPlan(plan).ok).toBe(true);
          const after = currentPercentage(plan, now);
          if (action === 'rollback' && transition.ok) expect(after).toBe(0);
          else expect(after).toBeGreaterThanOrEqual(before);
          last = after;
        }
      }),
      { numRuns: 300 },
    );
  });

  // A valid plan with up to three fields replaced by junk: most are invalid, in every way.
  const planField = fc.constantFrom('stages', 'startAt', 'state', 'stage', 'stageStartedAt', 'pausedAt', 'guardrails');
  const planJunk = fc.oneof(
    fc.constantFrom(undefined, null, -1, 0, 1, 2, 3, 1.5, 101, 'running', 'paused', 'done', 'rolled_back', 'x', '', '2026-01-01T00:00:00Z', 'soon', 1e300, NaN, [], {}),
    fc.array(fc.record({ percentage: fc.constantFrom(0, 10, 50, 100, 101, 2.5, '10'), hold: fc.constantFrom(undefined, '24h', '1w', '0h', '1.5h', 24, null) }, { requiredKeys: [] }), { maxLength: 3 }),
    fc.array(fc.record({ metric: fc.constantFrom('error', '', 3), threshold: fc.constantFrom(0, 0.05, -1, Infinity, '1'), action: fc.constantFrom('pause', 'rollback', 'stop'), minSamples: fc.constantFrom(undefined, 0, 10, -1, 1.5, 1e300), comparedTo: fc.constantFrom(undefined, 'off', 'on') }, { requiredKeys: [] }), { maxLength: 2 }),
  );
  const editedPlan = fc.tuple(planArbitrary, fc.array(fc.tuple(planField, planJunk), { maxLength: 3 })).map(([plan, edits]) => {
    const edited: Record<string, unknown> = { ...plan };
    for (const [key, value] of edits) edited[key] = value;
    return edited;
  });

  it('property: the zod schema and the hand validator of the zod-free entry accept exactly the same plans', () => {
    fc.assert(
      fc.property(editedPlan, (edited) => {
        expect(readRolloutPlan(edited).ok).toBe(RolloutPlanSchema.safeParse(edited).success);
      }),
      { numRuns: 1000 },
    );
    for (const value of [null, 'plan', [], 42]) expect(readRolloutPlan(value).ok).toBe(RolloutPlanSchema.safeParse(value).success);
  });

  it('property: an invalid plan is reported in one sentence naming the field, what it must hold and the value found', () => {
    const valueAt = (plan: unknown, field: string) => field.split('.').slice(2).reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], plan);
    fc.assert(
      fc.property(editedPlan, (plan) => {
        const server = full.createFlagClient([{ name: 'f', enabled: true, rollout_percentage: 100, metadata: { rolloutPlan: plan } }]);
        const issues = RolloutPlanSchema.safeParse(plan).error?.issues ?? [];
        expect(server.errors).toHaveLength(issues.length > 0 ? 1 : 0);
        for (const error of server.errors) {
          // Not zod's own words ("Invalid input: expected array, received undefined", "Too small: …").
          expect(error.message).toMatch(/^Feature flag "f": metadata\.rolloutPlan[\w.]* must be (a |an |one of |the |in rising order |"pause" |"off")[^:]*, received /);
          expect(error.received).toBe(valueAt(plan, error.field));
        }
        // The zod-free reader names a fault in the same words when it finds the same field first.
        const hand = readRolloutPlan(plan);
        const first = issues[0];
        if (!hand.ok && first !== undefined && hand.field.replace(/\[(\d+)\]/g, '.$1') === first.path.join('.')) expect(first.message).toBe(hand.expected);
        // Every consumer of the schema (the CLI, the admin's write checks) quotes the same words.
        for (const issue of issues) expect(issue.message).toMatch(/^(a |an |one of |the |in rising order |"pause" |"off"$)/);
      }),
      { numRuns: 1000 },
    );
    const reported = full.createFlagClient([{ name: 'f', enabled: true, rollout_percentage: 100, metadata: { rolloutPlan: { state: 'running' } } }]);
    expect(reported.errors[0]?.message).toBe('Feature flag "f": metadata.rolloutPlan.stages must be an array of 1 to 20 stages, received undefined');
  });

  it('property: a server client with a clock and a widget over applyRolloutPlans at the same clock answer alike', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: -60, max: 400 }), fc.boolean(), fc.constantFrom('object', 'text'), (plan, hours, enabled, shape) => {
        const now = T0 + hours * HOUR;
        const metadata = { owner: 'growth', rolloutPlan: plan };
        const rows = [{ name: 'planned', enabled, rollout_percentage: 100, metadata: shape === 'text' ? JSON.stringify(metadata) : metadata }];
        const server = full.createFlagClient(rows, { now: () => now });
        const widget = core.createFlagClient(planEntry.applyRolloutPlans(rows, new Date(now)));
        for (let i = 0; i < 40; i++) expect(server.evaluate('planned', `user-${i}`)).toEqual(widget.evaluate('planned', `user-${i}`));
        expect(server.errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('an invalid plan is reported by the server and ignored by both: the row decides', () => {
    const rows = [{ name: 'f', enabled: true, rollout_percentage: 100, metadata: { rolloutPlan: { stages: [{ percentage: 50 }, { percentage: 10 }] } } }];
    const server = full.createFlagClient(rows, { now: () => T0 });
    expect(server.errors).toHaveLength(1);
    expect(server.errors[0]).toMatchObject({ flagName: 'f', field: expect.stringMatching(/^metadata\.rolloutPlan/) });
    expect(server.evaluate('f', 'u1')).toMatchObject({ value: true, reason: 'STATIC' });
    expect(applyRolloutPlans(rows, T0)).toEqual(rows);
  });
});
