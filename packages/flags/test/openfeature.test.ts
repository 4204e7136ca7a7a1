import { OpenFeature as ServerOpenFeature } from '@openfeature/server-sdk';
import { OpenFeature as WebOpenFeature } from '@openfeature/web-sdk';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Bucketing, createFlagClient, createRolloutPlan, isEnabled, parseFlag } from '../src/index.js';
import { applyRolloutPlans } from '../src/plan.js';
import { FlagsServerProvider, FlagsWebProvider, pollFlags } from '../src/openfeature.js';

const rows = [
  { name: 'v2_canonical_system', enabled: true, rollout_percentage: 50 },
  { name: 'testimonial_system', enabled: false, rollout_percentage: 100 },
  { name: 'broken', enabled: true, rollout_percentage: 150 },
];
const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);

afterAll(async () => {
  await ServerOpenFeature.close();
  await WebOpenFeature.close();
});

describe('FlagsServerProvider through @openfeature/server-sdk', () => {
  it('resolves booleans from targetingKey with the same buckets as isEnabled', async () => {
    await ServerOpenFeature.setProviderAndWait(new FlagsServerProvider(rows));
    const client = ServerOpenFeature.getClient();
    const flag = parseFlag(rows[0]);
    for (const targetingKey of keys) {
      const details = await client.getBooleanDetails('v2_canonical_system', false, { targetingKey });
      expect(details.value).toBe(isEnabled(flag, targetingKey));
      expect(details.reason).toBe('SPLIT');
      expect(details.variant).toBe(details.value ? 'on' : 'off');
      expect(typeof details.flagMetadata.bucket).toBe('number');
    }
  });

  it('reports disabled, unknown, invalid, anonymous and non-boolean flags without throwing', async () => {
    await ServerOpenFeature.setProviderAndWait(new FlagsServerProvider(createFlagClient(rows)));
    const client = ServerOpenFeature.getClient();
    expect(await client.getBooleanDetails('testimonial_system', true, { targetingKey: 'u1' })).toMatchObject({ value: false, reason: 'DISABLED' });
    expect(await client.getBooleanDetails('missing', true, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(await client.getBooleanDetails('broken', false, { targetingKey: 'u1' })).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(await client.getBooleanDetails('v2_canonical_system', false, {})).toMatchObject({ value: false, errorCode: 'TARGETING_KEY_MISSING' });
    expect(await client.getStringDetails('v2_canonical_system', 'x', { targetingKey: 'u1' })).toMatchObject({ value: 'x', errorCode: 'TYPE_MISMATCH' });
    expect(await client.getNumberValue('v2_canonical_system', 7)).toBe(7);
    expect(await client.getObjectValue('v2_canonical_system', { a: 1 })).toEqual({ a: 1 });
  });

  it("passes an unusable bucketing option through as OpenFeature's GENERAL error, with the caller's default", async () => {
    await ServerOpenFeature.setProviderAndWait(new FlagsServerProvider(rows, { bucketing: 'unleash' as unknown as Bucketing }));
    const details = await ServerOpenFeature.getClient().getBooleanDetails('v2_canonical_system', true, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'GENERAL' });
    expect(details.errorMessage).toContain('bucketOf is not a function');
  });

  it('serves new rows after setFlags (instant rollback)', async () => {
    const provider = new FlagsServerProvider([{ name: 'v2_canonical_system', enabled: true, rollout_percentage: 100 }]);
    await ServerOpenFeature.setProviderAndWait(provider);
    const client = ServerOpenFeature.getClient();
    expect(await client.getBooleanValue('v2_canonical_system', false, { targetingKey: 'u1' })).toBe(true);
    provider.setFlags([{ name: 'v2_canonical_system', enabled: false, rollout_percentage: 0 }]);
    expect(await client.getBooleanValue('v2_canonical_system', true, { targetingKey: 'u1' })).toBe(false);
  });
});

describe('FlagsWebProvider through @openfeature/web-sdk', () => {
  it('resolves synchronously from the global context with the same buckets as the server', async () => {
    await WebOpenFeature.setProviderAndWait(new FlagsWebProvider(rows));
    const client = WebOpenFeature.getClient();
    const flag = parseFlag(rows[0]);
    for (const targetingKey of keys.slice(0, 50)) {
      await WebOpenFeature.setContext({ targetingKey });
      const details = client.getBooleanDetails('v2_canonical_system', false);
      expect(details.value).toBe(isEnabled(flag, targetingKey));
      expect(details.reason).toBe('SPLIT');
    }
    expect(client.getBooleanDetails('missing', false)).toMatchObject({ value: false, errorCode: 'FLAG_NOT_FOUND' });
    expect(client.getStringValue('v2_canonical_system', 'fallback')).toBe('fallback');
  });
});

describe('PROVIDER_CONFIGURATION_CHANGED', () => {
  it('reaches web-sdk handlers when setFlags changes a flag, naming the changed flags', async () => {
    const provider = new FlagsWebProvider([
      { name: 'a', enabled: true, rollout_percentage: 100 },
      { name: 'b', enabled: true, rollout_percentage: 10 },
    ]);
    await WebOpenFeature.setProviderAndWait(provider);
    const seen: unknown[] = [];
    const { ProviderEvents } = await import('@openfeature/web-sdk');
    const handler = (details: unknown) => seen.push(details);
    WebOpenFeature.getClient().addHandler(ProviderEvents.ConfigurationChanged, handler);
    expect(provider.setFlags([{ name: 'a', enabled: true, rollout_percentage: 100 }, { name: 'b', enabled: true, rollout_percentage: 10 }])).toEqual([]);
    expect(provider.setFlags([{ name: 'a', enabled: false, rollout_percentage: 100 }, { name: 'b', enabled: true, rollout_percentage: 10 }, { name: 'c', enabled: true, rollout_percentage: 1 }])).toEqual(['a', 'c']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([expect.objectContaining({ flagsChanged: ['a', 'c'] })]);
    expect(WebOpenFeature.getClient().getBooleanValue('a', true)).toBe(false);
    WebOpenFeature.getClient().removeHandler(ProviderEvents.ConfigurationChanged, handler);
  });

  it('reaches server-sdk handlers too', async () => {
    const provider = new FlagsServerProvider([{ name: 'a', enabled: true, rollout_percentage: 100 }]);
    await ServerOpenFeature.setProviderAndWait(provider);
    const { ProviderEvents } = await import('@openfeature/server-sdk');
    const seen: unknown[] = [];
    ServerOpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) => seen.push(details));
    provider.setFlags([{ name: 'a', enabled: true, rollout_percentage: 0 }]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([expect.objectContaining({ flagsChanged: ['a'] })]);
  });
});

describe('pollFlags', () => {
  it('reloads rows on an interval, keeps the flags when a load fails, and stops', async () => {
    vi.useFakeTimers();
    try {
      const provider = new FlagsWebProvider([{ name: 'a', enabled: false, rollout_percentage: 100 }]);
      const changes: string[][] = [];
      provider.events.addHandler('PROVIDER_CONFIGURATION_CHANGED', (details) => changes.push((details as { flagsChanged: string[] }).flagsChanged));
      const loads = [[{ name: 'a', enabled: true, rollout_percentage: 100 }], new Error('offline'), [{ name: 'a', enabled: true, rollout_percentage: 100 }]];
      const errors: unknown[] = [];
      const controller = new AbortController();
      pollFlags(provider, async () => {
        const next = loads.shift();
        if (next instanceof Error) throw next;
        return next ?? [];
      }, { intervalMs: 5_000, signal: controller.signal, onError: (error) => errors.push(error) });
      expect(provider.resolveBooleanEvaluation('a', false).value).toBe(false);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(provider.resolveBooleanEvaluation('a', false).value).toBe(true);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(errors).toHaveLength(1);
      expect(provider.resolveBooleanEvaluation('a', false).value).toBe(true);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(changes).toEqual([['a']]);
      controller.abort();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(loads).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('rollout plans through the providers', () => {
  // 30 h after the start of the seed's plan (10 % for 24 h, then 50 %): half the subjects.
  const start = Date.parse('2026-03-02T09:00:00.000Z');
  const planned = [{ name: 'planned', enabled: true, rollout_percentage: 0, metadata: JSON.stringify({ rolloutPlan: createRolloutPlan(start) }) }];

  it('the web provider over applyRolloutPlans (as the README loads rows) answers as the server provider, and a poll across a stage emits PROVIDER_CONFIGURATION_CHANGED', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      vi.setSystemTime(start + 23 * 3_600_000);
      const server = new FlagsServerProvider(planned);
      const loadRows = async () => applyRolloutPlans(planned, Date.now());
      const web = new FlagsWebProvider(await loadRows());
      const onAt = async () => {
        const answers = await Promise.all(keys.map(async (targetingKey) => [(await server.resolveBooleanEvaluation('planned', false, { targetingKey })).value, web.resolveBooleanEvaluation('planned', false, { targetingKey }).value]));
        for (const [fromServer, fromWidget] of answers) expect(fromWidget).toBe(fromServer);
        return answers.filter(([on]) => on).length;
      };
      const at10 = await onAt();
      // The server provider takes the server client's clock too: 30 h in, the plan is at 50 %.
      const clocked = new FlagsServerProvider(planned, { now: () => start + 30 * 3_600_000 });
      expect((await Promise.all(keys.map(async (targetingKey) => (await clocked.resolveBooleanEvaluation('planned', false, { targetingKey })).value))).filter(Boolean).length).toBeGreaterThan(at10 * 2);
      const changes: string[][] = [];
      web.events.addHandler('PROVIDER_CONFIGURATION_CHANGED', (details) => changes.push((details as { flagsChanged: string[] }).flagsChanged));
      const controller = new AbortController();
      pollFlags(web, loadRows, { intervalMs: 3_600_000, signal: controller.signal });
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(changes).toEqual([['planned']]);
      const at50 = await onAt();
      expect(at10).toBeGreaterThan(0);
      expect(at50).toBeGreaterThan(at10 * 2);
      controller.abort();
    } finally {
      vi.useRealTimers();
    }
  });
});
