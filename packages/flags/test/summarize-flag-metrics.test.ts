import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVALUATION_METRIC, createFlagClient, createFlagTelemetry, summarizeFlagMetrics } from '../src/index.js';

const FLAG = 'v2_canonical_system';

describe('summarizeFlagMetrics', () => {
  it('gives the seed checklist its numbers: adoption, evaluation errors, error rate on against off', () => {
    const telemetry = createFlagTelemetry({ now: () => Date.parse('2026-03-02T09:00:00Z') });
    const client = createFlagClient([{ name: FLAG, enabled: true, rollout_percentage: 10 }, { name: 'other', enabled: true, rollout_percentage: 100 }]);
    const keys = Array.from({ length: 1000 }, (_, index) => `user-${index}`);
    for (const key of keys) telemetry.recordEvaluation(client.evaluate(FLAG, key));
    telemetry.recordEvaluation(client.evaluate('other', 'someone'));
    telemetry.recordEvaluation({ flagName: FLAG, value: false, reason: 'ERROR' });
    const on = keys.filter((key) => client.isEnabled(FLAG, key)).length;
    telemetry.track(FLAG, 'on', 'error', 5);
    telemetry.track(FLAG, 'off', 'error', 9);
    telemetry.track(FLAG, 'on', 'checkout', 2);
    const summary = summarizeFlagMetrics(telemetry.drain(), FLAG);
    expect(summary.evaluations).toEqual({ on, off: 1001 - on, total: 1001 });
    expect(summary.enabledShare).toBeCloseTo(on / 1001, 12);
    expect(on).toBeGreaterThan(60);
    expect(on).toBeLessThan(140);
    expect(summary.evaluationErrors).toBe(1);
    expect(summary.metrics).toEqual([
      { metric: 'checkout', counts: { on: 2, off: 0 }, onRate: 2 / on, offRate: 0 },
      { metric: 'error', counts: { on: 5, off: 9 }, onRate: 5 / on, offRate: 9 / (1001 - on) },
    ]);
  });

  it('says "no rate" (null) rather than 0 where a variant was never evaluated', () => {
    const summary = summarizeFlagMetrics([{ flagName: FLAG, metric: 'error', variant: 'on', reason: '', count: 3 }], FLAG);
    expect(summary).toEqual({ flagName: FLAG, evaluations: { on: 0, off: 0, total: 0 }, enabledShare: null, evaluationErrors: 0, metrics: [{ metric: 'error', counts: { on: 3, off: 0 }, onRate: null, offRate: null }] });
    expect(summarizeFlagMetrics([], FLAG).metrics).toEqual([]);
  });

  it('keeps a metric named like an Object.prototype member as a metric', () => {
    const summary = summarizeFlagMetrics([{ flagName: FLAG, metric: '__proto__', variant: 'off', reason: '', count: 1 }], FLAG);
    expect(summary.metrics.map((metric) => metric.metric)).toEqual(['__proto__']);
  });

  it('counts every row of the flag exactly once, whatever the rows (property)', () => {
    const row = fc.record({
      flagName: fc.constantFrom(FLAG, 'other'),
      metric: fc.constantFrom(EVALUATION_METRIC, 'error', 'checkout', 'constructor'),
      variant: fc.constantFrom('on' as const, 'off' as const),
      reason: fc.constantFrom('SPLIT', 'STATIC', 'ERROR', ''),
      count: fc.integer({ min: 1, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const summary = summarizeFlagMetrics(rows, FLAG);
        const mine = rows.filter((each) => each.flagName === FLAG);
        const sum = (keep: (each: (typeof rows)[number]) => boolean) => mine.filter(keep).reduce((total, each) => total + each.count, 0);
        expect(summary.evaluations.total).toBe(sum((each) => each.metric === EVALUATION_METRIC));
        expect(summary.evaluations.on + summary.evaluations.off).toBe(summary.evaluations.total);
        expect(summary.evaluationErrors).toBe(sum((each) => each.metric === EVALUATION_METRIC && each.reason === 'ERROR'));
        const tracked = summary.metrics.reduce((total, metric) => total + metric.counts.on + metric.counts.off, 0);
        expect(tracked).toBe(sum((each) => each.metric !== EVALUATION_METRIC));
        if (summary.enabledShare !== null) {
          expect(summary.enabledShare).toBeGreaterThanOrEqual(0);
          expect(summary.enabledShare).toBeLessThanOrEqual(1);
        } else expect(summary.evaluations.total).toBe(0);
      }),
    );
  });
});
