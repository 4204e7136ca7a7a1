import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFlagClient as createLeanFlagClient } from '../src/core.js';
import { FlagSchema, FlagValidationError, FlagsError, createFlagClient, parseFlag, safeParseFlag } from '../src/index.js';

const row = {
  id: '5b0d7c1e-8f0a-4c52-9d7e-2f6a1c3b4d5e',
  name: 'v2_canonical_system',
  description: 'Master flag for the unified integration system',
  enabled: true,
  rollout_percentage: 10,
  metadata: { owner: 'platform' },
  created_at: '2025-01-15T10:30:00.123456+00:00',
  updated_at: new Date('2025-01-16T08:00:00Z'),
};

describe('parseFlag', () => {
  it('turns a database row into a typed flag', () => {
    expect(parseFlag(row)).toEqual({
      ...row,
      created_at: new Date('2025-01-15T10:30:00.123Z'),
      updated_at: new Date('2025-01-16T08:00:00Z'),
    });
  });

  it('fills absent optional columns with null and drops unknown columns', () => {
    expect(parseFlag({ name: 'x', enabled: false, rollout_percentage: 0, extra: 1 })).toEqual({
      id: null,
      name: 'x',
      description: null,
      enabled: false,
      rollout_percentage: 0,
      metadata: null,
      created_at: null,
      updated_at: null,
    });
  });

  it('accepts MySQL-style 0/1 booleans', () => {
    expect(parseFlag({ ...row, enabled: 1 }).enabled).toBe(true);
    expect(parseFlag({ ...row, enabled: 0 }).enabled).toBe(false);
  });

  it('is idempotent: a parsed flag parses to itself', () => {
    const flag = parseFlag(row);
    expect(parseFlag(flag)).toEqual(flag);
  });

  it.each([
    ['rollout_percentage', 150, 'rollout_percentage must be an integer from 0 to 100, received 150'],
    ['rollout_percentage', -1, 'received -1'],
    ['rollout_percentage', 12.5, 'received 12.5'],
    ['rollout_percentage', '50', 'received "50"'],
    ['rollout_percentage', null, 'received null'],
    ['enabled', 'true', 'enabled must be a boolean, received "true"'],
    ['created_at', 'about 2 months ago', 'created_at must be a date or null, received "about 2 months ago"'],
    ['metadata', [1, 2], 'metadata must be an object (or its JSON text) or null, received an array'],
  ])('rejects %s = %j with an error naming the flag and the field', (field, value, message) => {
    const result = safeParseFlag({ ...row, [field]: value });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(FlagValidationError);
    expect(result.error).toBeInstanceOf(FlagsError);
    expect(result.error.code).toBe('INVALID_FLAG');
    expect(result.error.name).toBe('FlagValidationError');
    expect(result.error.field).toBe(field);
    expect(result.error.flagName).toBe('v2_canonical_system');
    expect(result.error.message).toContain('Feature flag "v2_canonical_system"');
    expect(result.error.message).toContain(message);
    expect(() => parseFlag({ ...row, [field]: value })).toThrow(FlagValidationError);
  });

  it('names the field when the name itself is missing or null', () => {
    for (const name of [null, undefined, '', 42]) {
      const result = safeParseFlag({ ...row, name });
      expect(result.success).toBe(false);
      if (!result.success) {
        expect(result.error.field).toBe('name');
        expect(result.error.flagName).toBeUndefined();
        expect(result.error.message).toMatch(/^Feature flag row: name must be a non-empty string/);
      }
    }
  });

  it('rejects rows that are not objects', () => {
    for (const bad of [null, undefined, 'flag', 3, [row]]) {
      const result = safeParseFlag(bad);
      expect(result.success).toBe(false);
      if (!result.success) expect(result.error.field).toBe('(row)');
    }
  });
});

// Each column is valid most of the time, so whole rows are valid often enough to compare outputs.
const mostly = (valid: fc.Arbitrary<unknown>, ...invalid: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 12 }, ...invalid.map((arbitrary) => ({ arbitrary, weight: 1 })));

const columnArb = {
  id: mostly(fc.oneof(fc.uuid(), fc.constant(null), fc.constant(undefined)), fc.constant(''), fc.integer()),
  name: mostly(fc.string({ minLength: 1, maxLength: 12 }), fc.constant(''), fc.constant(null), fc.integer()),
  description: mostly(fc.oneof(fc.string(), fc.constant(null)), fc.boolean()),
  enabled: mostly(fc.oneof(fc.boolean(), fc.constantFrom(0, 1)), fc.constantFrom(2, 'true', null)),
  rollout_percentage: mostly(
    fc.integer({ min: 0, max: 100 }),
    fc.integer({ min: -5, max: 105 }),
    fc.double(),
    fc.constantFrom('50', null, undefined, Number.POSITIVE_INFINITY),
  ),
  metadata: mostly(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.constant(null)), fc.array(fc.integer()), fc.string()),
  created_at: mostly(
    fc.oneof(fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    fc.date({ noInvalidDate: false }),
    fc.constantFrom('2025-01-15 10:30:00+00', 'not a date', '', '1700000000', null, undefined),
    fc.integer(),
  ),
  updated_at: mostly(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant(null), fc.constant('soon')),
};

const decisionColumns = ({ name, enabled, rollout_percentage }: { name?: unknown; enabled?: unknown; rollout_percentage?: unknown }) => ({
  name,
  enabled,
  rollout_percentage,
});

describe('createFlagClient', () => {
  it('in @app/flags validates every column with FlagSchema, but only the evaluation columns decide', () => {
    fc.assert(
      fc.property(fc.record(columnArb, { requiredKeys: [] }), (candidate) => {
        const expected = safeParseFlag(candidate, 0);
        const decides = safeParseFlag(decisionColumns(candidate), 0);
        const client = createFlagClient([candidate]);
        if (expected.success) {
          expect(client.flags).toEqual([expected.data]);
          expect(client.errors).toEqual([]);
        } else if (!decides.success) {
          // An unusable evaluation column decides: the row fails closed, named by that column.
          expect(client.errors.map((e) => e.message)).toEqual([decides.error.message]);
          expect(client.flags).toEqual([]);
        } else {
          // Another bad column is reported, and the flag keeps working.
          expect(client.errors.map((e) => e.message)).toEqual([expected.error.message]);
          expect(client.flags.map((flag) => decisionColumns(flag))).toEqual([decisionColumns(decides.data)]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('in @app/flags/core checks the columns evaluation reads exactly as FlagSchema does, without zod', () => {
    const seen = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.record(columnArb, { requiredKeys: [] }), fc.string(), (candidate, key) => {
        const expected = safeParseFlag(decisionColumns(candidate), 0);
        const client = createLeanFlagClient([candidate]);
        seen[expected.success ? 'accepted' : 'rejected'] += 1;
        if (expected.success) {
          expect(client.errors).toEqual([]);
          expect(decisionColumns(client.flags[0]!)).toEqual(decisionColumns(expected.data));
          expect(client.evaluate(expected.data.name, key)).toEqual(createFlagClient([expected.data]).evaluate(expected.data.name, key));
        } else {
          expect(client.flags).toEqual([]);
          expect(client.errors).toHaveLength(1);
          expect(client.errors[0]!.field).toBe(expected.error.field);
          expect(client.errors[0]!.message).toBe(expected.error.message);
        }
      }),
      { numRuns: 5_000 },
    );
    // Both branches must really be exercised for the comparison to mean anything.
    expect(seen.accepted).toBeGreaterThan(500);
    expect(seen.rejected).toBeGreaterThan(500);
  });

  it('in @app/flags/core rejects rows that are not objects like FlagSchema does', () => {
    for (const bad of [null, undefined, 'flag', 3, [1]]) {
      expect(createLeanFlagClient([bad]).errors[0]!.message).toBe(safeParseFlag(bad, 0).success ? '' : (safeParseFlag(bad, 0) as { error: Error }).error.message);
    }
  });
});

describe('timestamp columns', () => {
  const createdAt = (value: unknown) => {
    const result = safeParseFlag({ name: 'x', enabled: true, rollout_percentage: 0, created_at: value });
    return result.success ? result.data.created_at : 'invalid';
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');

  it.each([
    ['2025-01-15T10:30:00Z', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15T10:30:00.123456+00:00', '2025-01-15T10:30:00.123Z'], // PostgREST / Supabase
    ['2025-01-15 10:30:00.5+00', '2025-01-15T10:30:00.500Z'], // PostgreSQL's text output
    ['2025-01-15 10:30:00+05:30', '2025-01-15T05:00:00.000Z'],
    ['2025-01-15T10:30:00-0800', '2025-01-15T18:30:00.000Z'],
    ['2025-01-15T10:30Z', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15t10:30:00,25z', '2025-01-15T10:30:00.250Z'],
    ['2025-01-15', '2025-01-15T00:00:00.000Z'], // a date alone is UTC midnight, as in ECMAScript
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'], // not 1950
    ['+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'],
    ['-000001-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z'],
  ])('accepts the ISO 8601 timestamp %j', (text, iso) => {
    expect(createdAt(text)).toEqual(new Date(iso));
  });

  it('reads a date-time without an offset as local time, as ECMAScript does', () => {
    expect(createdAt('2025-01-15 10:30:00')).toEqual(new Date(2025, 0, 15, 10, 30, 0));
    expect(createdAt('2025-01-15T10:30:00.250')).toEqual(new Date(2025, 0, 15, 10, 30, 0, 250));
    expect(createdAt('2025-01-15T10:30')).toEqual(new Date(2025, 0, 15, 10, 30));
  });

  it.each([
    '1',
    '0',
    '1700000000',
    '2025',
    '2025-01',
    'Wed, 15 Jan 2025 10:30:00 GMT',
    'January 15, 2025',
    '2025/01/15',
    '15.01.2025',
    ' 2025-01-15',
    '2025-01-15 ',
    '2025-1-15',
    '2025-02-30',
    '2025-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-15T24:00:00Z',
    '2025-01-15T23:60:00Z',
    '2025-01-15T23:59:60Z',
    '2025-01-15T10Z',
    '2025-01-15T10:30:00+24:00',
    '2025-01-15T10:30:00+01:60',
    '2025-01-15Z',
    '-000000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '',
  ])('rejects %j, which is not an ISO 8601 timestamp (Date.parse is lenient about some)', (text) => {
    expect(createdAt(text)).toBe('invalid');
    expect(safeParseFlag({ name: 'x', enabled: true, rollout_percentage: 0, updated_at: text }).success).toBe(false);
  });

  it('rejects what Date.parse would take but is no ISO timestamp: numbers, toString() and toUTCString()', () => {
    fc.assert(
      fc.property(fc.integer(), fc.date({ noInvalidDate: true }), (n, date) => {
        expect(createdAt(String(n))).toBe('invalid');
        expect(createdAt(date.toString())).toBe('invalid');
        expect(createdAt(date.toUTCString())).toBe('invalid');
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back every Date from its toISOString(), expanded years included, and copies Dates', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(createdAt(date.toISOString())).toEqual(date);
        const copy = createdAt(date);
        expect(copy).toEqual(date);
        expect(copy).not.toBe(date);
      }),
      { numRuns: 2000 },
    );
    expect(createdAt(new Date(Number.NaN))).toBe('invalid');
  });

  it('reads any instant written with any offset, separator and precision', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.constantFrom('T', 't', ' '),
        fc.constantFrom('+hh:mm', '+hhmm', '+hh', 'Z'),
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
        (date, offsetMinutes, separator, style, extraDigits) => {
          const offset = style === 'Z' ? 0 : style === '+hh' ? offsetMinutes - (offsetMinutes % 60) : offsetMinutes;
          const local = new Date(date.getTime() + offset * 60_000);
          const [h, m] = [Math.floor(Math.abs(offset) / 60), Math.abs(offset) % 60];
          const sign = offset < 0 ? '-' : '+';
          const zone = style === 'Z' ? 'Z' : style === '+hh' ? `${sign}${pad(h)}` : style === '+hhmm' ? `${sign}${pad(h)}${pad(m)}` : `${sign}${pad(h)}:${pad(m)}`;
          const text =
            `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}${separator}` +
            `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${extraDigits}${zone}`;
          expect(createdAt(text), text).toEqual(date);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
