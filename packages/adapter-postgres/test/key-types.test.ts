import { PGlite } from '@electric-sql/pglite';
import { runEventMigration, verifyMigration } from '@app/migrate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PostgresQueryable, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createPool, uniqueName } from './harness.js';

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('the real PostgreSQL server', () => {
  const shopifyOrder = (orderId: string) =>
    `{"id": ${orderId}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "99.99", "currency": "USD", "customer": {"first_name": "Zoë"}, "line_items": [{"title": "Trail Shoes", "price": "99.99", "quantity": 1}]}`;

  // Keys past 2^53 (a double cannot tell 9007199254740993 from 9007199254740992), in an order where
  // text order and numeric order differ.
  const bigintKeys = ['9', '10', '100', '9007199254740993', '9007199254740995', '9223372036854775806', '9223372036854775807'];

  async function withSchema(db: PostgresQueryable, run: (schema: string) => Promise<void>) {
    const schema = uniqueName('keys');
    try {
      await run(schema);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    }
  }

  function keyTypeSuite(name: string, open: () => Promise<{ db: PostgresQueryable; close(): Promise<void> }>) {
    describe(`primary key types: ${name}`, () => {
      let db: PostgresQueryable;
      let close: () => Promise<void>;
      beforeAll(async () => {
        ({ db, close } = await open());
      });
      afterAll(async () => {
        await close();
      });

      it('bigint keys beyond 2^53 page in numeric order, migrate once each and keep every digit', async () => {
        await withSchema(db, async (schema) => {
          const store = createPostgresStore({ client: db, createLegacyTables: true, schema, keyTypes: { events: 'bigint' } });
          await store.ensureSchema();
          const table = `${quoteIdentifier(schema)}.events`;
          for (const [i, key] of bigintKeys.entries()) {
            // The payload's own id is past 2^53 too: JavaScript would round it to ...500.
            await db.query(`INSERT INTO ${table} (id, integration_type, event_data) VALUES ($1::bigint, 'shopify', $2::jsonb)`, [key, shopifyOrder(`82098291194615450${i}`)]);
          }
          const pages: string[] = [];
          for (let after: string | null = null; ; ) {
            const batch = await store.readEventBatch({}, after, 2);
            if (batch.length === 0) break;
            pages.push(...batch.map((e) => e.id));
            after = batch.at(-1)!.id;
          }
          expect(pages).toEqual(bigintKeys);
          // Seven keys in two parts: the cut is after the third (floor(7 / 2)), in numeric order.
          expect(await store.keyBoundaries('events', 2)).toEqual(['100']);

          const report = await runEventMigration({ store, apply: true, batchSize: 3 });
          expect(report.counts).toMatchObject({ processed: 7, written: 7, failed: 0 });
          const rows = await db.query(
            `SELECT id::text AS id, canonical_event->>'event_id' AS event_id, (canonical_event->'payload') = event_data AS same_payload,
               canonical_event->'payload'->>'id' AS payload_id FROM ${table} AS e ORDER BY e.id`,
          );
          expect(rows.rows.map((r) => r.event_id)).toEqual(bigintKeys);
          expect(rows.rows.every((r) => r.same_payload === true)).toBe(true);
          expect(rows.rows.map((r) => r.payload_id)).toEqual(bigintKeys.map((_, i) => `82098291194615450${i}`));
          expect(await verifyMigration(store)).toMatchObject({ ok: true, events: { migrated: 7, remaining: 0 } });
          expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ selected: 0, written: 0 });
        });
      });

      it('uuid keys page in uuid order and migrate', async () => {
        await withSchema(db, async (schema) => {
          const store = createPostgresStore({ client: db, createLegacyTables: true, schema, keyTypes: { events: 'uuid', campaigns: 'uuid' } });
          await store.ensureSchema();
          const table = `${quoteIdentifier(schema)}.events`;
          await db.query(
            `INSERT INTO ${table} (id, integration_type, event_data)
             SELECT gen_random_uuid(), 'zapier', jsonb_build_object('name', 'Ola', 'product', 'Plan ' || i) FROM generate_series(1, 25) AS i`,
          );
          const expected = (await db.query(`SELECT e.id::text AS id FROM ${table} AS e ORDER BY e.id`)).rows.map((r) => r.id);
          const ids: string[] = [];
          for (let after: string | null = null; ; ) {
            const batch = await store.readEventBatch({}, after, 4);
            if (batch.length === 0) break;
            ids.push(...batch.map((e) => e.id));
            after = batch.at(-1)!.id;
          }
          expect(ids).toEqual(expected);
          const boundaries = await store.keyBoundaries('events', 5);
          expect(boundaries).toEqual([expected[4], expected[9], expected[14], expected[19]]);
          const report = await runEventMigration({ store, apply: true, batchSize: 4, shard: { index: 2, count: 5 } });
          expect(report.counts).toMatchObject({ processed: 5, written: 5 });
          const rest = await runEventMigration({ store, apply: true, batchSize: 4 });
          expect(rest.counts).toMatchObject({ processed: 20, written: 20 });
          expect(await store.eventStatus()).toEqual({ total: 25, migrated: 25, remaining: 0 });
        });
      });
    });
  }

  keyTypeSuite('pglite', async () => {
    const db = await PGlite.create();
    return { db, close: () => db.close() };
  });

  keyTypeSuite('postgres server', async () => {
    const pool = createPool();
    return { db: pool, close: () => pool.end() };
  });
});
