import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as full from '../src/index.js';

// A server (`@app/flags`, zod) and a widget (`@app/flags/core`) reading the same rows must give
// every subject the same answer, whatever the driver returned: columns evaluation does not read
// may be reported by the server, never change the decision.
const driverValue = {
  name: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c') }, fc.constantFrom('', null, 7)),
  enabled: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(true, false, 0, 1) }, fc.constantFrom('1', 't', null, 2)),
  rollout_percentage: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 100 }) }, fc.constantFrom('50', 12.5, -1, 101, null)),
  metadata: fc.oneof(
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    fc.constantFrom('{}', '{"unleash_group_id":"shared"}', '{"owner":"growth"}', 'not json', '[1,2]', '"text"', ''),
    fc.constant({ unleash_group_id: 'shared' }),
  ),
  created_at: fc.oneof(fc.constant(null), fc.date({ noInvalidDate: true }), fc.constantFrom('2025-01-15 10:30:00+00', '2025-01-15T10:30:00Z', '2025-02-30', 'yesterday', '0000-00-00 00:00:00')),
  updated_at: fc.oneof(fc.constant(undefined), fc.constantFrom('2025-01-15T10:30:00Z', 'soon', 1700000000)),
  id: fc.oneof(fc.constant(undefined), fc.uuid(), fc.constantFrom(42, '')),
  description: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 8 }), fc.constant(17)),
};

const SUBJECTS = ['u1', 'u2', 'visitor-7', 42, ''];

describe('one answer on the server and in the widget', () => {
  it('the row of the issue: JSON-text metadata and a bad created_at do not flip the server', () => {
    for (const row of [
      { name: 'f', enabled: 1, rollout_percentage: 100, metadata: '{}' },
      { name: 'f', enabled: 1, rollout_percentage: 100, created_at: '2025-02-30' },
    ]) {
      const server = full.createFlagClient([row]);
      expect(server.evaluate('f', 'u1')).toEqual(core.createFlagClient([row]).evaluate('f', 'u1'));
      expect(server.evaluate('f', 'u1')).toMatchObject({ value: true, reason: 'STATIC' });
    }
    const reported = full.createFlagClient([{ name: 'f', enabled: 1, rollout_percentage: 100, created_at: '2025-02-30' }]);
    expect(reported.errors).toHaveLength(1);
    expect(reported.errors[0]).toMatchObject({ field: 'created_at', rowIndex: 0 });
    expect(reported.flags[0]).toMatchObject({ name: 'f', enabled: true, created_at: null });
    expect(full.createFlagClient([{ name: 'f', enabled: true, rollout_percentage: 0, metadata: '{"owner":"growth"}' }]).flags[0]?.metadata).toEqual({ owner: 'growth' });
  });

  it('holds for arbitrary rows, driver shapes included, with both bucketings', () => {
    fc.assert(
      fc.property(fc.array(fc.record(driverValue, { requiredKeys: ['name'] }), { maxLength: 5 }), fc.boolean(), (rows, unleash) => {
        const options = unleash ? { bucketing: full.unleashBucketing() } : undefined;
        const server = full.createFlagClient(rows, options);
        const widget = core.createFlagClient(rows, options);
        for (const name of ['a', 'b', 'c', 'missing']) {
          for (const subject of SUBJECTS) expect(server.evaluate(name, subject)).toEqual(widget.evaluate(name, subject));
        }
        expect(server.flags.map((flag) => flag.name)).toEqual(widget.flags.map((flag) => flag.name));
        // The server reports at least what the widget reports (it also checks the other columns).
        expect(server.errors.length).toBeGreaterThanOrEqual(widget.errors.length);
      }),
      { numRuns: 2_000 },
    );
  });
});
