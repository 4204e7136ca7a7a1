import { describe, expect, it } from 'vitest';
import { type FlagClientOptions, type InvalidFlagRow, SYSTEM_FLAGS, createFlagClient, isEnabled, parseFlag, unleashBucketing } from '../src/index.js';

const rows = [
  { name: 'v2_canonical_system', enabled: true, rollout_percentage: 100 },
  { name: 'testimonial_system', enabled: true, rollout_percentage: 50 },
  { name: 'playlist_orchestration', enabled: false, rollout_percentage: 100 },
  { name: 'multi_integration_campaigns', enabled: true, rollout_percentage: 0 },
];

describe('createFlagClient', () => {
  it('answers for every system flag', () => {
    const client = createFlagClient(rows);
    expect(client.flags.map((f) => f.name)).toEqual(SYSTEM_FLAGS.map((f) => f.name));
    expect(client.isEnabled('v2_canonical_system', 'u1')).toBe(true);
    expect(client.isEnabled('playlist_orchestration', 'u1')).toBe(false);
    expect(client.evaluate('playlist_orchestration', 'u1').reason).toBe('DISABLED');
    expect(client.isEnabled('multi_integration_campaigns', 'u1')).toBe(false);
    expect(client.isEnabled('testimonial_system', 'u1')).toBe(isEnabled(parseFlag(rows[1]), 'u1'));
  });

  it('lists the flags enabled for a subject, in input order', () => {
    const client = createFlagClient(rows);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const expected = ['v2_canonical_system', ...(client.isEnabled('testimonial_system', key) ? ['testimonial_system'] : [])];
      expect(client.allEnabled(key)).toEqual(expected);
    }
  });

  it('evaluates an unknown flag to false with FLAG_NOT_FOUND', () => {
    expect(createFlagClient(rows).evaluate('nope', 'u1')).toEqual({
      flagName: 'nope',
      value: false,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'Feature flag "nope" does not exist',
    });
  });

  it('fails closed on an invalid row, reports it, and keeps every other flag working', () => {
    const reported: InvalidFlagRow[] = [];
    const client = createFlagClient(
      [...rows, { name: 'broken_flag', enabled: true, rollout_percentage: 150 }, 'garbage', null],
      { onInvalidFlag: (e) => reported.push(e) },
    );
    expect(client.flags).toHaveLength(4);
    expect(reported).toEqual(client.errors);
    expect(client.errors.map((e) => [e.flagName, e.field, e.rowIndex])).toEqual([
      ['broken_flag', 'rollout_percentage', 4],
      [undefined, '(row)', 5],
      [undefined, '(row)', 6],
    ]);
    expect(client.errors[0]!.message).toBe(
      'Feature flag "broken_flag" (row 4): rollout_percentage must be an integer from 0 to 100, received 150',
    );
    expect(client.evaluate('broken_flag', 'u1')).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(client.isEnabled('v2_canonical_system', 'u1')).toBe(true);
  });

  it('fails closed when two rows share a name', () => {
    const client = createFlagClient([...rows, { name: 'v2_canonical_system', enabled: false, rollout_percentage: 0 }]);
    expect(client.isEnabled('v2_canonical_system', 'u1')).toBe(false);
    expect(client.evaluate('v2_canonical_system', 'u1').errorCode).toBe('PARSE_ERROR');
    expect(client.errors[0]!.field).toBe('name');
    expect(client.flags.map((f) => f.name)).not.toContain('v2_canonical_system');
  });

  it('never throws on input that is not a list', () => {
    for (const input of [null, undefined, 'rows', 42, { name: 'x' }]) {
      const client = createFlagClient(input as unknown as unknown[]);
      expect(client.flags).toEqual([]);
      expect(client.isEnabled('x', 'u1')).toBe(false);
    }
  });

  it('uses Unleash bucketing when asked', () => {
    const client = createFlagClient([{ name: 'Feature.B3', enabled: true, rollout_percentage: 50 }], {
      bucketing: unleashBucketing({ groupId: () => 'AB12A' }),
    });
    expect(client.evaluate('Feature.B3', '122')).toMatchObject({ value: true, bucket: 23 });
    expect(client.evaluate('Feature.B3', '155')).toMatchObject({ value: false, bucket: 100 });
  });

  it('never throws on options from untyped callers: null, a string, a null onInvalidFlag', () => {
    const withBrokenRow = [...rows, { name: 'broken', enabled: true, rollout_percentage: 150 }];
    for (const options of [null, 'unleash', { onInvalidFlag: null }]) {
      const client = createFlagClient(withBrokenRow, options as unknown as FlagClientOptions);
      expect(client.errors).toHaveLength(1);
      expect(client.isEnabled('v2_canonical_system', 'u1')).toBe(true);
      expect(client.evaluate('testimonial_system', 'u1')).toEqual(createFlagClient(rows).evaluate('testimonial_system', 'u1'));
    }
  });

  it('answers numeric subject keys as their decimal strings', () => {
    const client = createFlagClient(rows);
    for (const id of [0, 7, 42, 1234567, 2 ** 53]) {
      expect(client.evaluate('testimonial_system', id)).toEqual(client.evaluate('testimonial_system', String(id)));
    }
    expect(client.allEnabled(42)).toEqual(client.allEnabled('42'));
  });
});
