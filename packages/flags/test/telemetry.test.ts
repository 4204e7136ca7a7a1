import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { EVALUATION_METRIC, createFlagClient, createFlagTelemetry, flagMetricsOf, flushFlagTelemetry } from '../src/index.js';
import { FlagTelemetryHook, FlagsServerProvider } from '../src/openfeature.js';

const rows = [
  { name: 'v2_canonical_system', enabled: true, rollout_percentage: 50 },
  { name: 'testimonial_system', enabled: false, rollout_percentage: 100 },
];
const keys = Array.from({ length: 100 }, (_, i) => `user-${i}`);

afterAll(async () => {
  await OpenFeature.close();
});

describe('flag telemetry', () => {
  it('counts evaluations per window, flag, value and reason, and tracked metrics per variant', () => {
    let clock = Date.parse('2026-03-02T09:00:30.000Z');
    const telemetry = createFlagTelemetry({ windowMs: 60_000, now: () => clock });
    const client = createFlagClient(rows);
    for (const key of keys) telemetry.recordEvaluation(client.evaluate('v2_canonical_system', key));
    clock += 60_000;
    telemetry.recordEvaluation(client.evaluate('testimonial_system', 'u'));
    telemetry.track('v2_canonical_system', 'on', 'error', 3);
    expect(() => telemetry.track('v2_canonical_system', 'on', '$evaluation')).toThrow(TypeError);
    expect(() => telemetry.track('v2_canonical_system', 'on', 'error', 0)).toThrow(RangeError);
    const rowsOut = telemetry.drain();
    expect(telemetry.pendingRows).toBe(0);
    const on = keys.filter((key) => client.isEnabled('v2_canonical_system', key)).length;
    expect(rowsOut).toHaveLength(4);
    expect(rowsOut).toEqual(expect.arrayContaining([
      { windowStart: '2026-03-02T09:00:00.000Z', flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'on', reason: 'SPLIT', count: on },
      { windowStart: '2026-03-02T09:00:00.000Z', flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'off', reason: 'SPLIT', count: 100 - on },
      { windowStart: '2026-03-02T09:01:00.000Z', flagName: 'testimonial_system', metric: EVALUATION_METRIC, variant: 'off', reason: 'DISABLED', count: 1 },
      { windowStart: '2026-03-02T09:01:00.000Z', flagName: 'v2_canonical_system', metric: 'error', variant: 'on', reason: '', count: 3 },
    ]));
    expect(flagMetricsOf(rowsOut, 'v2_canonical_system')).toEqual({ evaluations: { on, off: 100 - on }, metrics: { error: { on: 3, off: 0 } } });
  });

  it('a failed flush puts its rows back, so nothing is lost', async () => {
    const telemetry = createFlagTelemetry();
    telemetry.recordEvaluation({ flagName: 'f', value: true, reason: 'STATIC' });
    await expect(flushFlagTelemetry(telemetry, async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    telemetry.recordEvaluation({ flagName: 'f', value: true, reason: 'STATIC' });
    const written: unknown[] = [];
    expect(await flushFlagTelemetry(telemetry, async (rows) => written.push(...rows))).toBe(1);
    expect(written).toMatchObject([{ flagName: 'f', count: 2 }]);
    expect(await flushFlagTelemetry(telemetry, async () => Promise.reject(new Error('never called')))).toBe(0);
  });

  it('counts through an OpenFeature hook, and attributes tracked errors to the subject\'s variant of each flag', async () => {
    const telemetry = createFlagTelemetry();
    const provider = new FlagsServerProvider(rows);
    provider.telemetry = telemetry;
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    client.addHooks(new FlagTelemetryHook(telemetry));
    let on = 0;
    for (const targetingKey of keys) {
      if (await client.getBooleanValue('v2_canonical_system', false, { targetingKey })) on++;
      client.track('error', { targetingKey });
    }
    await client.getBooleanValue('missing_flag', false, { targetingKey: 'u' });
    const metrics = flagMetricsOf(telemetry.drain(), 'v2_canonical_system');
    expect(metrics).toEqual({ evaluations: { on, off: 100 - on }, metrics: { error: { on, off: 100 - on } } });
    const reference = createFlagClient(rows);
    expect(on).toBe(keys.filter((key) => reference.isEnabled('v2_canonical_system', key)).length);
  });
});
