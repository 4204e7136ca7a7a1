import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as full from '../src/index.js';
import { build, hostileRecord, hostileValue } from '../../../test-support/hostile-values.js';

// "Never throws" holds for rows built by hostile code: getters that throw, Proxies whose traps
// throw, revoked Proxies. Such a row fails closed on its own; every other flag keeps its answer.
const ENTRIES = [
  ['@app/flags', full.createFlagClient],
  ['@app/flags/core', core.createFlagClient],
] as const;
const COLUMNS = ['name', 'enabled', 'rollout_percentage', 'metadata', 'id', 'description', 'created_at', 'updated_at'];
const GOOD = [
  { name: 'always', enabled: true, rollout_percentage: 100 },
  { name: 'half', enabled: true, rollout_percentage: 50 },
  { name: 'off', enabled: false, rollout_percentage: 100 },
];
const SUBJECTS = ['u1', 'u2', 'u3', 'visitor-42'];

function answers(client: full.FlagClient) {
  return GOOD.map((row) => SUBJECTS.map((subject) => client.evaluate(row.name, subject)));
}

describe.each(ENTRIES)('%s createFlagClient on hostile rows', (_entry, createFlagClient) => {
  const clean = answers(createFlagClient(GOOD));

  it('never throws; the hostile row fails closed alone and reports an error', () => {
    fc.assert(
      fc.property(hostileRecord({ name: 'hostile', enabled: true, rollout_percentage: 100, metadata: {} }, COLUMNS), fc.nat(GOOD.length), (recipe, position) => {
        const rows: unknown[] = [...GOOD];
        rows.splice(position, 0, build(recipe));
        const reported: unknown[] = [];
        const client = createFlagClient(rows, { onInvalidFlag: (error) => reported.push(error) });
        expect(answers(client)).toEqual(clean);
        const hostile = client.evaluate('hostile', 'u1');
        expect(client.allEnabled('u1').sort()).toEqual(GOOD.filter((row) => client.isEnabled(row.name, 'u1')).map((row) => row.name).concat(hostile.value ? ['hostile'] : []).sort());
        if (!hostile.value) expect(hostile.reason).toBe('ERROR');
        if (hostile.errorCode === 'PARSE_ERROR') expect(reported.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('names the row of a Proxy whose get trap throws, and keeps the other flags', () => {
    const proxy = new Proxy({ name: 'hostile' }, { get: () => { throw new Error('boom'); } });
    const client = createFlagClient([GOOD[0], proxy, GOOD[1]]);
    expect(client.errors).toHaveLength(1);
    expect(client.errors[0]).toMatchObject({ code: 'INVALID_FLAG', field: '(row)', rowIndex: 1 });
    expect(client.errors[0]?.message).toMatch(/row 1/);
    expect(client.isEnabled('always', 'u1')).toBe(true);
  });
});

describe('evaluate() on hostile flags and options', () => {
  it('never throws and fails closed with ERROR', () => {
    fc.assert(
      fc.property(hostileRecord({ name: 'hostile', enabled: true, rollout_percentage: 50, metadata: {} }, COLUMNS), fc.option(hostileValue(['bucketing'])), (recipe, options) => {
        for (const evaluate of [core.evaluate, full.evaluate]) {
          const result = evaluate(build(recipe) as core.EvaluableFlag, 'u1', (options === null ? undefined : build(options)) as never);
          expect(typeof result.value).toBe('boolean');
          if (result.errorCode !== undefined) expect(result.value).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a getter that throws gives ERROR/PARSE_ERROR', () => {
    const flag = Object.defineProperty({ name: 'f', rollout_percentage: 100 }, 'enabled', { get: () => { throw new Error('boom'); }, enumerable: true });
    expect(core.evaluate(flag as core.EvaluableFlag, 'u1')).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('a revoked Proxy as options leaves a 100 % flag on (options are only read for partial rollouts)', () => {
    const options = build({ kind: 'hostile', hostility: { kind: 'revoked' }, target: { kind: 'json', value: {} } });
    expect(full.isEnabled(GOOD[0] as core.EvaluableFlag, 'u1', options as never)).toBe(true);
    expect(full.evaluate(GOOD[1] as core.EvaluableFlag, 'u1', options as never)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
  });
});
