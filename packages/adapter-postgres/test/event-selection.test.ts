import { PGlite } from '@electric-sql/pglite';
import { isOutdated } from '@app/migrate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
  await createPostgresStore({ client: db, createLegacyTables: true, keyTypes: { events: 'bigint' } }).ensureSchema();
});
afterAll(async () => {
  await db.close();
});

const names = ['shopify', 'stripe', 'custom', 'fallback'] as const;
const absent = Symbol('absent');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(absent), arb);
const withKey = (key: string, value: unknown) => (value === absent ? {} : { [key]: value });

/** Canonical events of every shape a column may hold: missing, JSON null, scalars, arrays, and objects with any normalizer fields. */
const canonicalEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom('a string', 3, [1, 2], true),
  fc
    .record({
      normalizer: maybe(fc.oneof(fc.constantFrom(...names), fc.constant(42), fc.constant(null))),
      version: maybe(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('1', null, 1.5))),
      normalized: fc.constantFrom('object', 'string', 'absent'),
    })
    .map(({ normalizer, version, normalized }) =>
      normalized === 'absent'
        ? { event_id: 'x' }
        : normalized === 'string'
          ? { normalized: 'not an object' }
          : { event_id: 'x', normalized: { ...withKey('meta.normalizer', normalizer), ...withKey('meta.normalizer_version', version), other: 1 } },
    ),
);
/** What the memory store and every SQL store take for no canonical event: anything but a JSON object. */
const noEvent = (ce: unknown) => typeof ce !== 'object' || ce === null || Array.isArray(ce);

// '42' as a name too: a numeric meta.normalizer of 42 must not match it (only strings name a normalizer).
const currentVersions = fc.dictionary(fc.constantFrom(...names, '42'), fc.integer({ min: 0, max: 2 }));

describe('event selection in SQL', () => {
  it('selects exactly what the memory store selects: no event (missing, JSON null, a scalar, an array), or (re-normalizing) isOutdated', async () => {
    const store = createPostgresStore({ client: db, createLegacyTables: true });
    await fc.assert(
      fc.asyncProperty(fc.array(canonicalEvent, { maxLength: 25 }), currentVersions, fc.boolean(), async (events, versions, renormalize) => {
        await db.query('TRUNCATE events');
        await db.query(
          `INSERT INTO events (id, integration_type, event_data, canonical_event)
           SELECT x.i, 'zapier', '{}'::jsonb, CASE WHEN x.present THEN x.ce END FROM jsonb_to_recordset($1::jsonb) AS x(i bigint, present boolean, ce jsonb)`,
          [JSON.stringify(events.map((ce, i) => ({ i: i + 1, present: ce !== undefined, ce: ce ?? null })))],
        );
        // jsonb_to_recordset turns JSON null into SQL NULL; store a JSON null as such.
        const jsonNulls = events.flatMap((ce, i) => (ce === null ? [i + 1] : []));
        if (jsonNulls.length > 0) await db.query(`UPDATE events SET canonical_event = 'null'::jsonb WHERE id = ANY($1::bigint[])`, [jsonNulls]);

        const selection = renormalize ? { renormalize: versions } : {};
        // Only a JSON object is a canonical event: a scalar or an array is none, as a missing one.
        const expected = events.flatMap((ce, i) => (noEvent(ce) || (renormalize && isOutdated(ce, versions)) ? [String(i + 1)] : []));
        const batch = await store.readEventBatch(selection, null, 100);
        expect(batch.map((e) => e.id)).toEqual(expected);
        expect(await store.countEvents(selection)).toBe(expected.length);
        const status = await store.eventStatus();
        expect(status.remaining).toBe(events.filter(noEvent).length);
      }),
      {
        numRuns: 150,
        examples: [[[{ event_id: 'x', normalized: { 'meta.normalizer': 42, 'meta.normalizer_version': 1 } }, null, undefined], { '42': 1 }, true]],
      },
    );
  });

  it('keyset pages cover every key once, in key order, for any batch size and key set', async () => {
    const store = createPostgresStore({ client: db, createLegacyTables: true });
    const bigints = fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(bigints, fc.integer({ min: 1, max: 12 }), async (keys, size) => {
        await db.query('TRUNCATE events');
        await db.query(`INSERT INTO events (id, integration_type, event_data) SELECT unnest($1::text[])::bigint, 'zapier', '{}'::jsonb`, [keys.map(String)]);
        const read: string[] = [];
        for (let after: string | null = null; ; ) {
          const batch = await store.readEventBatch({}, after, size);
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(size);
          read.push(...batch.map((e) => e.id));
          after = batch.at(-1)!.id;
        }
        expect(read).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String));
      }),
      { numRuns: 60 },
    );
  });
});
