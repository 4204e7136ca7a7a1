import fc from 'fast-check';
import murmurhash from 'murmurhash';
import FlexibleRolloutStrategy from 'unleash-client/lib/strategy/flexible-rollout-strategy.js';
import { normalizedStrategyValue, normalizedVariantValue } from 'unleash-client/lib/strategy/util.js';
import { describe, expect, it } from 'vitest';
import { type UnleashEncoding, evaluate, parseFlag, unleashBucketing, unleashNormalizedValue } from '../src/index.js';

// Unleash's variant hash seed (unleash-client's VARIANT_SEED).
const VARIANT_SEED = 86028157;

/** Strings the way ids arrive: any UTF-16 (lone surrogates too), emoji and combining marks, plain ASCII, long ones. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1000, maxLength: 1500 }),
);
const nonAscii = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => /[^\x00-\x7f]/.test(s));
const percentage = fc.integer({ min: 1, max: 99 });

describe("encoding: 'node-sdk' reproduces the Unleash Node SDK (unleash-client)", () => {
  it("equals unleash-client's normalizedStrategyValue on any id and group id", () => {
    fc.assert(
      fc.property(anyString, anyString, (id, groupId) => {
        expect(unleashNormalizedValue(id, groupId, 100, { encoding: 'node-sdk' })).toBe(normalizedStrategyValue(id, groupId));
      }),
      { numRuns: 3000 },
    );
  });

  it("equals unleash-client's normalizedVariantValue with the variant seed and any normalizer", () => {
    fc.assert(
      fc.property(anyString, anyString, fc.integer({ min: 1, max: 100_000 }), (id, groupId, normalizer) => {
        expect(unleashNormalizedValue(id, groupId, normalizer, { encoding: 'node-sdk', seed: VARIANT_SEED })).toBe(
          normalizedVariantValue(id, groupId, normalizer),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("decides as unleash-client's flexibleRollout strategy for non-ASCII and emoji ids", () => {
    const strategy = new FlexibleRolloutStrategy();
    const bucketing = unleashBucketing({ encoding: 'node-sdk' });
    let differsFromUtf8 = 0;
    fc.assert(
      fc.property(nonAscii, fc.oneof(nonAscii, fc.string({ minLength: 1 })), percentage, (userId, groupId, rollout) => {
        const flag = parseFlag({ name: 'migrated_flag', enabled: true, rollout_percentage: rollout, metadata: { unleash_group_id: groupId } });
        const expected = strategy.isEnabled({ groupId, rollout, stickiness: 'userId' }, { userId });
        expect(evaluate(flag, userId, { bucketing })).toMatchObject({ value: expected, reason: 'SPLIT', bucket: normalizedStrategyValue(userId, groupId) });
        if (unleashNormalizedValue(userId, groupId) !== normalizedStrategyValue(userId, groupId)) differsFromUtf8 += 1;
      }),
      { numRuns: 2000 },
    );
    // Non-ASCII ids are exactly where the encodings matter: most of them land elsewhere over UTF-8.
    expect(differsFromUtf8).toBeGreaterThan(1000);
  });

  it('gives Zoë in testimonial_system the Node SDK bucket 37, where UTF-8 gives 70', () => {
    expect(normalizedStrategyValue('Zoë', 'testimonial_system')).toBe(37);
    expect(unleashNormalizedValue('Zoë', 'testimonial_system', 100, { encoding: 'node-sdk' })).toBe(37);
    expect(unleashNormalizedValue('Zoë', 'testimonial_system')).toBe(70);
    const flag = parseFlag({ name: 'testimonial_system', enabled: true, rollout_percentage: 50 });
    expect(evaluate(flag, 'Zoë', { bucketing: unleashBucketing({ encoding: 'node-sdk' }) })).toMatchObject({ value: true, bucket: 37 });
    expect(evaluate(flag, 'Zoë', { bucketing: unleashBucketing() })).toMatchObject({ value: false, bucket: 70 });
  });
});

describe("encoding: 'utf-8' (the default) hashes UTF-8 bytes, as Unleash Edge and the Go and Java SDKs do", () => {
  it('equals murmurhash@2.0.1 v3 over the UTF-8 of groupId:id, for any seed and normalizer', () => {
    fc.assert(
      fc.property(anyString, anyString, fc.integer({ min: 1, max: 100_000 }), fc.nat({ max: 0xffffffff }), (id, groupId, normalizer, seed) => {
        const expected = (murmurhash.v3(new TextEncoder().encode(`${groupId}:${id}`), seed) % normalizer) + 1;
        expect(unleashNormalizedValue(id, groupId, normalizer, { seed })).toBe(expected);
        expect(unleashNormalizedValue(id, groupId, normalizer, { encoding: 'utf-8', seed })).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('decides with the UTF-8 value by default', () => {
    fc.assert(
      fc.property(anyString.filter(Boolean), anyString, percentage, (key, groupId, rollout) => {
        const flag = parseFlag({ name: 'f', enabled: true, rollout_percentage: rollout, metadata: { unleash_group_id: groupId || 'f' } });
        const value = unleashNormalizedValue(key, groupId || 'f');
        expect(evaluate(flag, key, { bucketing: unleashBucketing() })).toMatchObject({ value: value <= rollout, bucket: value });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('both encodings', () => {
  it('agree on ASCII ids and group ids, so the choice matters only beyond ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary-ascii' }), (id, groupId) => {
        expect(unleashNormalizedValue(id, groupId, 100, { encoding: 'node-sdk' })).toBe(unleashNormalizedValue(id, groupId));
      }),
      { numRuns: 2000 },
    );
  });

  it('stay correct when calls alternate between them and between short and long keys', () => {
    const keys = ['Zoë', 'é'.repeat(2000), '東京', '😀'.repeat(600), 'user-1'];
    const expected = keys.map((id) => [normalizedStrategyValue(id, 'g'), (murmurhash.v3(`g:${id}`) % 100) + 1]);
    for (let round = 0; round < 3; round++) {
      keys.forEach((id, i) => {
        expect(unleashNormalizedValue(id, 'g', 100, { encoding: 'node-sdk' })).toBe(expected[i]![0]);
        expect(unleashNormalizedValue(id, 'g')).toBe(expected[i]![1]);
      });
    }
  });

  it('reject any other encoding with a RangeError, when the bucketing is created', () => {
    for (const encoding of ['utf8', 'latin1', 'UTF-8', '', null, 42]) {
      expect(() => unleashBucketing({ encoding: encoding as UnleashEncoding }), String(encoding)).toThrow(RangeError);
      expect(() => unleashNormalizedValue('id', 'g', 100, { encoding: encoding as UnleashEncoding })).toThrow(
        /Unleash encoding must be "utf-8" or "node-sdk"/,
      );
    }
  });

  it('read the options once: changing them afterwards moves nobody', () => {
    const options: { encoding: UnleashEncoding } = { encoding: 'node-sdk' };
    const bucketing = unleashBucketing(options);
    options.encoding = 'utf-8';
    const flag = parseFlag({ name: 'testimonial_system', enabled: true, rollout_percentage: 50 });
    expect(evaluate(flag, 'Zoë', { bucketing }).bucket).toBe(37);
  });
});
