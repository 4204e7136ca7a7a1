import { PGlite } from '@electric-sql/pglite';
import { runEventMigration } from '@app/migrate';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type PostgresClient, createPostgresStore, postgresSchemaSql, quoteIdentifier } from '../src/index.js';
import { createPool, uniqueName } from './harness.js';

// Names an operator may legally configure that end a dollar-quoted block, a literal or an
// identifier written carelessly; the flags table name is long enough that the policy names the
// store derives from it pass PostgreSQL's 63-byte limit.
const tables = {
  events: 'ev$migrate$; DROP TABLE x; --',
  campaigns: `camp"aign's $$`,
  integrations: 'int\\egr$1ations',
  runs: 'runs $migrate_1$ $migrate$',
  featureFlags: `flags$migrate$${'x'.repeat(38)}é`,
  // 63 bytes: the index name the store derives from it is longer, and must be cut to fit.
  flagChanges: `history$migrate$${'y'.repeat(45)}"'`,
  flagMetrics: `metrics$migrate$${'z'.repeat(44)}"'`,
};

const event = { id: 'evt-1', integration_type: 'stripe', event_type: 'checkout.session.completed', event_data: { id: 'cs_1', customer_details: { name: 'Ann Lee' } } };

async function exercise(client: PostgresClient, schema: string): Promise<void> {
  const store = createPostgresStore({ client, schema, tables, createLegacyTables: true });
  const before = await store.inspectSchema();
  expect(before.ready).toBe(false);
  await store.ensureSchema();
  await store.ensureSchema();
  expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
  const s = quoteIdentifier(schema);
  await client.query(`INSERT INTO ${s}.${quoteIdentifier(tables.events)} (id, integration_type, event_type, event_data) VALUES ($1, $2, $3, $4)`, [
    event.id,
    event.integration_type,
    event.event_type,
    JSON.stringify(event.event_data),
  ]);
  const report = await runEventMigration({ store, apply: true });
  expect(report.counts).toMatchObject({ processed: 1, written: 1, failed: 0 });
  expect((await store.readCheckpoint('events'))?.status).toBe('completed');
  expect((await store.listFlags()).map((flag) => flag.name).sort()).toEqual(['multi_integration_campaigns', 'playlist_orchestration', 'testimonial_system', 'v2_canonical_system']);
  expect(await store.updateFlag('testimonial_system', { enabled: true }, { actor: 'hostile-names' })).toMatchObject({ ok: true, changes: [{ field: 'enabled' }] });
  await store.writeFlagMetrics([{ windowStart: '2026-03-02T09:00:00.000Z', flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 2 }]);
  await store.writeFlagMetrics([{ windowStart: '2026-03-02T09:00:00.000Z', flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 3 }]);
  expect(await store.readFlagMetrics({ flagName: 'testimonial_system', since: '2026-03-02T09:00:00.000Z' })).toEqual([{ flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 5 }]);
  expect(await store.readFlagHistory()).toMatchObject([{ flagName: 'testimonial_system', field: 'enabled', actor: 'hostile-names' }]);
  const policies = await client.query(`SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = to_regclass($1)`, [`${s}.${quoteIdentifier(tables.featureFlags)}`]);
  expect(policies.rows.map((row) => new TextEncoder().encode(String(row.polname)).length)).toEqual([63]);
  // The exported script, run twice on top: every statement idempotent, whatever the names.
  const script = postgresSchemaSql({ schema, tables });
  await (client as { exec?: (sql: string) => Promise<unknown> }).exec?.(script).then(() => (client as PGlite).exec(script));
  if (!(client instanceof PGlite)) {
    await client.query(script);
    await client.query(script);
  }
  expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
}

describe('table names holding dollar-quote tags, quotes, backslashes and SQL', () => {
  it('work in init, runs and flags on PGlite', async () => {
    const db = await PGlite.create();
    try {
      await exercise(db, 'odd $migrate$ schema');
    } finally {
      await db.close();
    }
  });

  describe.runIf(inject('postgresAvailable'))('on the real server', () => {
    const pool = createPool();
    const schema = uniqueName('hostile $migrate$');
    afterAll(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await pool.end();
    });

    it('work in init, runs and flags, with standard_conforming_strings either way', async () => {
      await exercise(pool, schema);
      const client = await pool.connect();
      try {
        await client.query('SET standard_conforming_strings = off');
        await client.query(postgresSchemaSql({ schema, tables }));
      } finally {
        await client.query('RESET standard_conforming_strings');
        client.release();
      }
    });
  });
});
