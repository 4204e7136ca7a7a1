import { createFlagClient, createFlagTelemetry, createRolloutPlan, flushFlagTelemetry } from '@app/flags';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeFlagPlan, checkFlagGuardrails, createMemoryFlagMetricsStore, createMemoryStore } from '../src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const SUBJECTS = Array.from({ length: 400 }, (_, i) => `user-${i}`);

describe('guardrails on a rollout plan', () => {
  it('drives a plan through a simulated clock: it advances while errors are low, and rolls back by itself on an error spike', async () => {
    let clock = T0;
    const store = createMemoryStore({ flags: [{ name: 'checkout_v2', enabled: false, rollout_percentage: 0 }] }, { now: () => new Date(clock) });
    const metrics = createMemoryFlagMetricsStore();
    const telemetry = createFlagTelemetry({ windowMs: 10 * MINUTE, now: () => clock });
    const plan = createRolloutPlan(T0, { stages: [{ percentage: 10, hold: '1h' }, { percentage: 50, hold: '2h' }, { percentage: 100, hold: '1h' }], guardrails: [{ metric: 'error', threshold: 0.05, action: 'rollback', minSamples: 20 }] });
    expect(await changeFlagPlan(store, 'checkout_v2', { kind: 'start', plan }, { actor: 'alice' }, new Date(clock))).toMatchObject({ ok: true });

    const timeline: string[] = [];
    // Every 10 minutes: each subject is evaluated once; those with the feature fail at `errorRate`.
    const simulate = async (minutes: number, errorRate: (minute: number) => number) => {
      for (let m = 0; m < minutes; m += 10) {
        clock += 10 * MINUTE;
        const client = createFlagClient(await store.listFlags(), { now: () => clock });
        SUBJECTS.forEach((subject, i) => {
          const evaluation = client.evaluate('checkout_v2', subject);
          telemetry.recordEvaluation(evaluation);
          if (evaluation.value && (i % 100) / 100 < errorRate(m)) telemetry.track('checkout_v2', 'on', 'error');
          if (!evaluation.value && i % 100 === 0) telemetry.track('checkout_v2', 'off', 'error');
        });
        await flushFlagTelemetry(telemetry, (rows) => metrics.writeFlagMetrics(rows));
        const check = await checkFlagGuardrails(store, metrics, 'checkout_v2', new Date(clock));
        if (check.decision!.action !== 'hold' && check.decision!.action !== 'none') timeline.push(`${(clock - T0) / MINUTE} min ${check.decision!.action} -> ${(await store.getFlag('checkout_v2'))!.rollout_percentage} %`);
      }
    };
    await simulate(130, () => 0.01); // 1 % errors: healthy
    expect((await store.getFlag('checkout_v2'))!.rollout_percentage).toBe(50);
    await simulate(60, () => 0.3); // a bug shows at 50 %: 30 % of the exposed subjects fail
    expect(timeline, timeline.join('\n')).toHaveLength(2);
    expect(timeline[0]).toBe('60 min advance -> 50 %');
    // The stage's error rate (since it began at 60 min) crosses 5 % within a few checks of the spike.
    expect(timeline[1]).toMatch(/^1[4-9]0 min rollback -> 0 %$/);
    const flag = (await store.getFlag('checkout_v2'))!;
    expect(flag).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect(createFlagClient([flag], { now: () => clock }).evaluate('checkout_v2', 'user-1').value).toBe(false);

    const history = await store.readFlagHistory({ name: 'checkout_v2' });
    const rollback = history.find((change) => change.field === 'metadata' && (change.to as { rolloutPlan: { state: string } }).rolloutPlan.state === 'rolled_back')!;
    expect(rollback.actor).toBe('guardrail');
    expect((rollback.to as { rolloutPlan: { decision: string } }).rolloutPlan.decision).toMatch(/^guardrail check at 2026-03-02T1[12]:\d0:00.000Z: error rate \d+\.\d % \(\d+ on\) above 5\.0 %: rolled back$/);
  });

  it('holds a stage while a guardrail has too few samples to judge, and pauses on a breach when told to', async () => {
    let clock = T0;
    const store = createMemoryStore({ flags: [{ name: 'banner', enabled: true, rollout_percentage: 0 }] });
    const metrics = createMemoryFlagMetricsStore();
    const plan = createRolloutPlan(T0, { stages: [{ percentage: 10, hold: '1h' }, { percentage: 100 }], guardrails: [{ metric: 'error', threshold: 0.1, action: 'pause', minSamples: 50 }] });
    await changeFlagPlan(store, 'banner', { kind: 'start', plan }, { actor: 'alice' }, new Date(clock));
    clock += 2 * HOUR;
    await metrics.writeFlagMetrics([{ windowStart: new Date(T0 + HOUR).toISOString(), flagName: 'banner', metric: '$evaluation', variant: 'on', reason: 'SPLIT', count: 10 }]);
    expect((await checkFlagGuardrails(store, metrics, 'banner', new Date(clock))).decision).toMatchObject({ action: 'hold', message: expect.stringContaining('not judged (10 of 50 evaluations)') });
    await metrics.writeFlagMetrics([
      { windowStart: new Date(T0 + HOUR).toISOString(), flagName: 'banner', metric: '$evaluation', variant: 'on', reason: 'SPLIT', count: 90 },
      { windowStart: new Date(T0 + HOUR).toISOString(), flagName: 'banner', metric: 'error', variant: 'on', reason: '', count: 30 },
    ]);
    const paused = await checkFlagGuardrails(store, metrics, 'banner', new Date(clock));
    expect(paused.decision).toMatchObject({ action: 'pause', readings: [{ samples: 100, onRate: 0.3, breached: true }] });
    expect((await store.getFlag('banner'))!).toMatchObject({ enabled: true, rollout_percentage: 10, metadata: { rolloutPlan: { state: 'paused' } } });
  });

  it('records a check that holds, with its numbers, in the history: when its verdict changes or an hour after the last recorded one, not on every check', async () => {
    const store = createMemoryStore({ flags: [{ name: 'banner', enabled: true, rollout_percentage: 0 }] });
    const metrics = createMemoryFlagMetricsStore();
    const plan = createRolloutPlan(T0, { stages: [{ percentage: 10, hold: '4h' }, { percentage: 100 }], guardrails: [{ metric: 'error', threshold: 0.1, action: 'pause', minSamples: 50 }] });
    await changeFlagPlan(store, 'banner', { kind: 'start', plan }, { actor: 'alice' }, new Date(T0));
    const evaluations = (minute: number, count: number, errors = 0) =>
      metrics.writeFlagMetrics([
        { windowStart: new Date(T0 + minute * MINUTE).toISOString(), flagName: 'banner', metric: '$evaluation', variant: 'on', reason: 'SPLIT', count },
        ...(errors === 0 ? [] : [{ windowStart: new Date(T0 + minute * MINUTE).toISOString(), flagName: 'banner', metric: 'error', variant: 'on' as const, reason: '', count: errors }]),
      ]);
    const recorded: string[] = [];
    // A check every 10 minutes for 2 h 30: 15 checks, all holding the stage.
    for (let minute = 10; minute <= 150; minute += 10) {
      await evaluations(minute - 10, 10, minute >= 60 ? 1 : 0);
      const check = await checkFlagGuardrails(store, metrics, 'banner', new Date(T0 + minute * MINUTE));
      expect(check.decision!.action).toBe('hold');
      if (check.write !== null) {
        expect(check.write).toMatchObject({ ok: true, changes: [{ field: 'metadata', actor: 'guardrail' }] });
        recorded.push(`${minute} min: ${((await store.getFlag('banner'))!.metadata as { rolloutPlan: { decision: string } }).rolloutPlan.decision}`.replace(/^(\d+ min: )guardrail check at \S+: /, '$1'));
      }
    }
    expect(recorded).toEqual([
      // The first check after a person's start, not yet judged.
      '10 min: error rate 0.0 % (10 on) not judged (10 of 50 evaluations): holding the stage',
      // Judged from 50 evaluations on: the verdict changed.
      '50 min: error rate 0.0 % (50 on) within 10.0 %: holding the stage',
      // The same verdict an hour later, with its numbers of then: 6 errors (one a window from 50 min on) in 110 evaluations.
      '110 min: error rate 5.5 % (110 on) within 10.0 %: holding the stage',
    ]);
    const history = await store.readFlagHistory({ name: 'banner' });
    expect(history.filter((change) => change.actor === 'guardrail')).toHaveLength(3);
    // The row follows the plan in each recorded check, as a sync would write it.
    expect((await store.getFlag('banner'))!).toMatchObject({ enabled: true, rollout_percentage: 10 });
    // recordHoldsEvery: 0 records every hold.
    await evaluations(150, 10, 1);
    expect((await checkFlagGuardrails(store, metrics, 'banner', new Date(T0 + 160 * MINUTE), { recordHoldsEvery: 0, actor: 'cron' })).write).toMatchObject({ ok: true, changes: [{ actor: 'cron' }] });
    expect((await checkFlagGuardrails(store, metrics, 'banner', new Date(T0 + 161 * MINUTE))).write).toBeNull();
  });

  it('property: telemetry counts add up exactly however evaluations and flushes interleave, failed flushes included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ flag: fc.constantFrom('a', 'b'), value: fc.boolean(), tracked: fc.boolean(), advance: fc.integer({ min: 0, max: 3 }) }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 199 }), { maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 10 }),
        async (events, flushAt, failures) => {
          let clock = T0;
          const telemetry = createFlagTelemetry({ windowMs: MINUTE, now: () => clock });
          const written = createMemoryFlagMetricsStore();
          let attempt = 0;
          const flushes: Promise<unknown>[] = [];
          const flush = () =>
            flushFlagTelemetry(telemetry, async (rows) => {
              await Promise.resolve();
              if (failures[attempt++ % Math.max(1, failures.length)]) throw new Error('database down');
              await written.writeFlagMetrics(rows);
            }).catch(() => undefined);
          for (const [index, event] of events.entries()) {
            clock += event.advance * 20_000;
            telemetry.recordEvaluation({ flagName: event.flag, value: event.value, reason: 'SPLIT' });
            if (event.tracked) telemetry.track(event.flag, event.value ? 'on' : 'off', 'error');
            if (flushAt.includes(index)) flushes.push(flush());
            // Interleave: let pending flushes run between evaluations.
            if (index % 7 === 0) await Promise.resolve();
          }
          await Promise.all(flushes);
          failures.length = 0;
          await flush();
          const totals = await written.readFlagMetrics();
          const count = (flag: string, metric: string, variant: string) => totals.filter((t) => t.flagName === flag && t.metric === metric && t.variant === variant).reduce((sum, t) => sum + t.count, 0);
          for (const flag of ['a', 'b']) {
            for (const variant of ['on', 'off']) {
              const mine = events.filter((e) => e.flag === flag && (e.value ? 'on' : 'off') === variant);
              expect(count(flag, '$evaluation', variant)).toBe(mine.length);
              expect(count(flag, 'error', variant)).toBe(mine.filter((e) => e.tracked).length);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
