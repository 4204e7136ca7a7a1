import fc from 'fast-check';
import murmurhash from 'murmurhash';
import { describe, expect, it } from 'vitest';
import vectorsFile from '../test-vectors.json' with { type: 'json' };
import {
  BUCKET_COUNT,
  type Bucketing,
  type Flag,
  bucket,
  createFlagClient,
  defaultBucketing,
  evaluate,
  isEnabled,
  parseFlag,
  unleashBucketing,
} from '../src/index.js';

const flagAt = (rollout_percentage: number, enabled = true, name = 'v2_canonical_system'): Flag =>
  parseFlag({ name, enabled, rollout_percentage });

/**
 * `count` distinct keys `prefix + i + suffix`: with the prefix and suffix fixed, two keys are equal
 * only if their indexes are, whatever characters fast-check picked.
 */
const keySet = (count: number, prefix: string, suffix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}${suffix}`);

const flagNameArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const affixArb = fc.string({ unit: 'grapheme', maxLength: 12 });
const percentArb1to99 = fc.integer({ min: 1, max: 99 });

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
    for (const key of ['', undefined, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, {}, ['u1']]) {
      expect(evaluate(flagAt(10), key as string)).toEqual({
        flagName: 'v2_canonical_system',
        value: false,
        reason: 'DEFAULT',
        errorCode: 'TARGETING_KEY_MISSING',
      });
    }
  });

  it('uses a finite number key as its decimal string, so 42 and "42" are one subject', () => {
    expect(evaluate(flagAt(50), 42)).toEqual(evaluate(flagAt(50), '42'));
    expect(evaluate(flagAt(50), 0)).toMatchObject({ reason: 'SPLIT', bucket: bucket('v2_canonical_system', '0') });
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), percentArb1to99, (n, p) => {
        expect(evaluate(flagAt(p), n)).toEqual(evaluate(flagAt(p), String(n)));
        expect(evaluate(flagAt(p), n, { bucketing: unleashBucketing() })).toEqual(evaluate(flagAt(p), String(n), { bucketing: unleashBucketing() }));
      }),
      { numRuns: 2000 },
    );
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

  it('fails closed with ERROR/GENERAL, never a throw, when options.bucketing is not a Bucketing', () => {
    // "unleash" is what the old documentation suggested; it used to throw `bucketOf is not a function`.
    for (const bucketing of ['unleash', 42, {}, { bucketOf: () => 1 }, { bucketOf: 'x', includes: () => true }, () => 1]) {
      const options = { bucketing: bucketing as unknown as Bucketing };
      for (const key of ['u1', 42]) {
        const result = evaluate(flagAt(50), key, options);
        expect(result).toMatchObject({ flagName: 'v2_canonical_system', value: false, reason: 'ERROR', errorCode: 'GENERAL' });
        expect(result.errorMessage).toMatch(/TypeError/);
        expect(isEnabled(flagAt(50), key, options)).toBe(false);
      }
      // Only a partial rollout asks for a bucket: 0 %, 100 %, disabled and anonymous never read it.
      expect(evaluate(flagAt(0), 'u1', options)).toMatchObject({ value: false, reason: 'STATIC' });
      expect(evaluate(flagAt(100), 'u1', options)).toMatchObject({ value: true, reason: 'STATIC' });
      expect(evaluate(flagAt(50, false), 'u1', options)).toMatchObject({ value: false, reason: 'DISABLED' });
      expect(evaluate(flagAt(50), undefined, options)).toMatchObject({ value: false, reason: 'DEFAULT' });
    }
  });

  it('takes null or absent options and a null bucketing as the default bucketing', () => {
    const expected = evaluate(flagAt(50), 'u1', { bucketing: defaultBucketing });
    for (const options of [undefined, null, {}, { bucketing: undefined }, { bucketing: null }]) {
      expect(evaluate(flagAt(50), 'u1', options as unknown as { bucketing?: Bucketing })).toEqual(expected);
    }
  });

  it('fails closed with ERROR/GENERAL when a custom bucketing throws', () => {
    const throwing: Bucketing = {
      bucketOf: () => {
        throw new Error('no bucket for you');
      },
      includes: () => true,
    };
    const throwsNonError: Bucketing = {
      bucketOf: () => 1,
      includes: () => {
        throw Symbol('odd');
      },
    };
    expect(evaluate(flagAt(50), 'u1', { bucketing: throwing })).toEqual({
      flagName: 'v2_canonical_system',
      value: false,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'Error: no bucket for you',
    });
    expect(evaluate(flagAt(50), 'u1', { bucketing: throwsNonError })).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
    // Static and disabled flags never ask the bucketing, so they still answer.
    expect(evaluate(flagAt(100), 'u1', { bucketing: throwing })).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('makes a client with an unusable bucketing fail closed instead of throwing', () => {
    const rows = [
      { name: 'a', enabled: true, rollout_percentage: 50 },
      { name: 'b', enabled: true, rollout_percentage: 100 },
    ];
    const client = createFlagClient(rows, { bucketing: 'unleash' as unknown as Bucketing });
    expect(client.errors).toEqual([]);
    expect(client.evaluate('a', 'u1')).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
    expect(client.isEnabled('a', 'u1')).toBe(false);
    expect(client.evaluate('b', 'u1')).toMatchObject({ value: true, reason: 'STATIC' });
    expect(client.allEnabled('u1')).toEqual(['b']);
    expect(client.evaluate('missing', 'u1').errorCode).toBe('FLAG_NOT_FOUND');
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

  it('follows the documented algorithm: murmurhash@2.0.1 v3 of the UTF-8 of name:key, mod 10000', () => {
    fc.assert(
      fc.property(flagNameArb, fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), percentArb1to99, (name, key, p) => {
        const expected = murmurhash.v3(new TextEncoder().encode(`${name}:${key}`), 0) % 10_000;
        expect(evaluate(flagAt(p, true, name), key)).toEqual({ flagName: name, value: expected < p * 100, reason: 'SPLIT', bucket: expected });
      }),
      { numRuns: 5_000 },
    );
  });

  it('reproduces every shipped test vector at every partial rollout', () => {
    expect(vectorsFile.vectors.length).toBeGreaterThanOrEqual(100);
    for (const v of vectorsFile.vectors) {
      for (const p of [1, 10, 50, 99]) {
        const result = evaluate(flagAt(p, true, v.flag), v.key);
        if (v.key === '') expect(result.errorCode, 'an empty key is anonymous').toBe('TARGETING_KEY_MISSING');
        else expect(result, `${v.flag} / ${v.key} at ${p} %`).toEqual({ flagName: v.flag, value: v.bucket < p * 100, reason: 'SPLIT', bucket: v.bucket });
      }
    }
  });

  // The two laws below are statistical. Their bounds assume what the design relies on: distinct
  // keys hash like independent uniform draws from 0..2^32-1 (bucket = hash % 10000 then favours
  // buckets 0..7295 by 7296 / 2^32 ≈ 1.7e-6, which the bounds absorb). Each bound is set so that a
  // correct implementation fails a run with probability below 5e-9; both tests together do fewer
  // than 20 runs, so a false failure is below 1e-7 (< 1e-6) per suite run.
  const UNIFORM_KEYS = 100_000;

  it('uniform: for any flag and key set, the share enabled at p % is within ±1 % of p, and buckets pass chi-square', () => {
    // Share: the enabled share at p % is the empirical CDF of the buckets at p * 100. By the
    // Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant), the CDF is off by 1 % or more anywhere,
    // every p at once, with probability at most 2 exp(-2 n 0.01²) = 2 e^-20 ≈ 4.1e-9 at n = 100k.
    //
    // Chi-square: Pearson's statistic over the 10,000 real buckets (df 9,999; mean 9,999, sd
    // ≈ 141) and over 100 groups of 100 buckets (df 99). The limits are Chernoff bounds computed
    // for this n, not the χ² approximation, which is poor in the far tail with 10 keys per bucket:
    // counts as independent Poisson(n / k), then × 1 / P(Poisson(n) = n) ≈ 793 for the multinomial.
    // P(X² ≥ 11,200 | k = 10,000) < 2e-11 and P(X² ≥ 250 | k = 100) < 2e-10.
    // A real defect is far beyond them: one bucket in ten never used gives X² ≈ 21,000 over the
    // buckets, and a 53 / 47 split between the lower and upper halves X² ≈ 460 over the groups.
    fc.assert(
      fc.property(flagNameArb, affixArb, affixArb, fc.uniqueArray(percentArb1to99, { minLength: 3, maxLength: 3 }), (name, prefix, suffix, ps) => {
        const subjects = keySet(UNIFORM_KEYS, prefix, suffix);
        const counts = new Array<number>(BUCKET_COUNT).fill(0);
        for (const key of subjects) counts[bucket(name, key)]! += 1;
        const chiSquare = (observed: number[]) => {
          const expected = UNIFORM_KEYS / observed.length;
          return observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
        };
        const groups = Array.from({ length: 100 }, (_, g) => counts.slice(g * 100, (g + 1) * 100).reduce((a, b) => a + b, 0));
        expect(chiSquare(counts), 'X² over 10,000 buckets').toBeLessThan(11_200);
        expect(chiSquare(groups), 'X² over 100 groups').toBeLessThan(250);
        for (const p of ps) {
          const flag = flagAt(p, true, name);
          let on = 0;
          for (const key of subjects) if (isEnabled(flag, key)) on++;
          expect(Math.abs(on / UNIFORM_KEYS - p / 100), `p = ${p}`).toBeLessThanOrEqual(0.01);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('independent: two different flags at 50 % agree for about half the subjects', () => {
    // Independent halves agree on a key with probability 1/2 (+ 2 × (1.7e-6)², nothing). By
    // Hoeffding's inequality, 100k keys agree on a share off by 1 % with probability at most
    // 2 exp(-2 n 0.01²) ≈ 4.1e-9.
    fc.assert(
      fc.property(flagNameArb, flagNameArb, affixArb, affixArb, (nameA, nameB, prefix, suffix) => {
        fc.pre(nameA !== nameB);
        const subjects = keySet(UNIFORM_KEYS, prefix, suffix);
        const a = flagAt(50, true, nameA);
        const b = flagAt(50, true, nameB);
        let agree = 0;
        for (const key of subjects) if (isEnabled(a, key) === isEnabled(b, key)) agree++;
        expect(Math.abs(agree / UNIFORM_KEYS - 0.5)).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 8 },
    );
  });
});
