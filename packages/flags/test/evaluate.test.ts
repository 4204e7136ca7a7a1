import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, type Flag, bucket, defaultBucketing, evaluate, isEnabled, parseFlag, unleashBucketing } from '../src/index.js';

const flagAt = (rollout_percentage: number, enabled = true, name = 'v2_canonical_system'): Flag =>
  parseFlag({ name, enabled, rollout_percentage });

/** Deterministic, distinct subject keys shaped like real user ids. */
const keys = (count: number, prefix = 'user') => Array.from({ length: count }, (_, i) => `${prefix}-${i.toString(36)}-${(i * 2654435761) >>> 0}`);

describe('evaluate', () => {
  it('gives STATIC at 0 % and 100 %, whatever the subject (anonymous included)', () => {
    for (const key of ['u1', '', undefined, null]) {
      expect(evaluate(flagAt(0), key)).toEqual({ flagName: 'v2_canonical_system', value: false, reason: 'STATIC' });
      expect(evaluate(flagAt(100), key)).toEqual({ flagName: 'v2_canonical_system', value: true, reason: 'STATIC' });
    }
  });

  it('gives DISABLED whatever the percentage when the flag is disabled', () => {
    for (const p of [0, 10, 50, 100]) {
      expect(evaluate(flagAt(p, false), 'u1')).toEqual({ flagName: 'v2_canonical_system', value: false, reason: 'DISABLED' });
    }
  });

  it('gives SPLIT with the bucket between 1 and 99 %', () => {
    const flag = flagAt(50);
    const result = evaluate(flag, 'user-1');
    expect(result.reason).toBe('SPLIT');
    expect(result.bucket).toBe(bucket('v2_canonical_system', 'user-1'));
    expect(result.value).toBe(result.bucket! < 5000);
  });

  it('falls back to the default for an anonymous subject in a partial rollout, without throwing', () => {
    for (const key of ['', undefined, null, 42]) {
      expect(evaluate(flagAt(10), key as string)).toMatchObject({ value: false, reason: 'DEFAULT', errorCode: 'TARGETING_KEY_MISSING' });
    }
  });

  it('reports an invalid flag object as ERROR/PARSE_ERROR instead of throwing', () => {
    const broken = [null, undefined, 42, 'flag', {}, { name: 'x', enabled: true, rollout_percentage: 150 }, { name: 'x', enabled: 'yes', rollout_percentage: 5 }];
    for (const flag of broken) {
      const result = evaluate(flag as unknown as Flag, 'u1');
      expect(result).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
      expect(isEnabled(flag as unknown as Flag, 'u1')).toBe(false);
    }
  });

  it('decides as Unleash does with unleashBucketing (groupId from metadata, else the flag name)', () => {
    const flag = parseFlag({ name: 'Feature.B3', enabled: true, rollout_percentage: 50, metadata: { unleash_group_id: 'AB12A' } });
    // Unleash client-specification 03: userId 122 is in the 50 % cohort of group AB12A, 155 is not.
    const bucketing = unleashBucketing();
    expect(evaluate(flag, '122', { bucketing })).toMatchObject({ value: true, reason: 'SPLIT', bucket: 23 });
    expect(evaluate(flag, '155', { bucketing })).toMatchObject({ value: false, bucket: 100 });
    const renamed = parseFlag({ name: 'renamed', enabled: true, rollout_percentage: 50 });
    expect(evaluate(renamed, '122', { bucketing: unleashBucketing({ groupId: () => 'AB12A' }) }).bucket).toBe(23);
    expect(evaluate(renamed, '122', { bucketing }).bucket).not.toBe(23);
  });
});

describe('laws', () => {
  const keyArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
  const percentArb = fc.integer({ min: 0, max: 100 });

  it('sticky: a subject enabled at p % stays enabled at every p\' >= p', () => {
    fc.assert(
      fc.property(keyArb, percentArb, percentArb, fc.constantFrom(defaultBucketing, unleashBucketing()), (key, a, b, bucketing) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        if (isEnabled(flagAt(low), key, { bucketing })) expect(isEnabled(flagAt(high), key, { bucketing })).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('rollback: 0 % turns everyone off, and disabling turns everyone off at any percentage', () => {
    fc.assert(
      fc.property(keyArb, percentArb, (key, p) => {
        expect(isEnabled(flagAt(0), key)).toBe(false);
        expect(isEnabled(flagAt(p, false), key)).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });

  it('deterministic: the same flag and key always give the same bucket and value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), keyArb, percentArb, (name, key, p) => {
        const flag = flagAt(p, true, name);
        expect(evaluate(flag, key)).toEqual(evaluate(parseFlag({ ...flag }), key));
        expect(bucket(name, key)).toBe(bucket(name, key));
      }),
      { numRuns: 5_000 },
    );
  });

  it('uniform: over 100k keys the share enabled at p % is within ±1 % of p, and buckets pass chi-square', () => {
    const subjects = keys(100_000);
    const counts = new Array<number>(100).fill(0);
    for (const key of subjects) counts[Math.floor(bucket('v2_canonical_system', key) / (BUCKET_COUNT / 100))]! += 1;
    for (const p of [1, 10, 25, 50, 75, 90, 99]) {
      const share = subjects.filter((key) => isEnabled(flagAt(p), key)).length / subjects.length;
      expect(Math.abs(share - p / 100), `p = ${p}`).toBeLessThanOrEqual(0.01);
    }
    // 99 degrees of freedom: the 0.999 quantile of chi-square is 148.2.
    const expected = subjects.length / 100;
    const chiSquare = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(148.2);
  });

  it('independent: two flags at 50 % agree for about half the subjects', () => {
    const subjects = keys(20_000, 'visitor');
    const a = flagAt(50, true, 'testimonial_system');
    const b = flagAt(50, true, 'playlist_orchestration');
    const agree = subjects.filter((key) => isEnabled(a, key) === isEnabled(b, key)).length / subjects.length;
    expect(agree).toBeGreaterThan(0.48);
    expect(agree).toBeLessThan(0.52);
  });
});
