import { IncompatibleColumnError, assertSchemaReady, runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type PostgresClient, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createPool, uniqueName } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

/**
 * Legacy tables whose `canonical_event` (and, in the second case, `data_sources_v2`) a team
 * already made `text` or `json`: every command refuses with INCOMPATIBLE_COLUMN, naming the table,
 * the column, the type found and the type needed, and changes nothing; once converted to jsonb
 * (or a domain over it), every command runs. On the real server and on PGlite.
 */
async function incompatibleColumns(db: PostgresClient, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await db.query(`CREATE SCHEMA ${s}`);
  await db.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz, canonical_event text)`);
  await db.query(`CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id text, data_source text, native_config jsonb, integration_settings jsonb, name text, data_sources_v2 json)`);
  await db.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, deleted_at timestamptz, settings jsonb)`);
  for (let n = 1; n <= 6; n++) {
    await db.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at, canonical_event) VALUES ($1, 'shopify', $2::jsonb, now(), $3)`, [
      `evt-0${n}`,
      order(n),
      n === 2 ? 'not JSON' : null,
    ]);
  }
  await db.query(`INSERT INTO ${s}.integrations VALUES ('int-1', 'owner-1', 'shopify', 'active', NULL, NULL)`);
  await db.query(`INSERT INTO ${s}.campaigns (id, user_id, data_source, integration_settings, name) VALUES ('campaign-1', 'owner-1', 'shopify', '{"events": ["order.created"]}', 'One')`);
  const store = createPostgresStore({ client: db, schema });
  const expected = [
    { table: `${schema}.events`, column: 'canonical_event', key: 'events.canonicalEvent', found: 'text', expected: 'jsonb' },
    { table: `${schema}.campaigns`, column: 'data_sources_v2', key: 'campaigns.dataSourcesV2', found: 'json', expected: 'jsonb' },
  ];
  const inspection = await store.inspectSchema();
  expect(inspection).toMatchObject({ ready: false, readable: false, incompatible: expected });
  const columnTypes = async () =>
    (await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND column_name IN ('canonical_event', 'data_sources_v2') ORDER BY 1`, [schema])).rows;
  const before = await columnTypes();
  const refused = await store.ensureSchema().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(IncompatibleColumnError);
  expect(refused).toMatchObject({ code: 'INCOMPATIBLE_COLUMN', columns: expected });
  const message = (refused as Error).message;
  for (const item of expected) {
    expect(message).toContain(`column ${item.table}.${item.column} is of type ${item.found}, and the migrations need jsonb`);
    expect(message).toContain(`ALTER TABLE ${item.table} ALTER COLUMN ${item.column} TYPE jsonb`);
    expect(message).toContain(`columns.${item.key}`);
  }
  // No command gets as far as a statement on the column: each refuses the same way.
  for (const command of [
    () => runEventMigration({ store }),
    () => runEventMigration({ store, apply: true }),
    () => runEventMigration({ store, renormalize: true, shard: { index: 1, count: 2 } }),
    () => runCampaignMigration({ store }),
    () => runCampaignMigration({ store, apply: true }),
    () => verifyMigration(store),
    () => assertSchemaReady(store, 'read'),
  ]) {
    await expect(command()).rejects.toMatchObject({ code: 'INCOMPATIBLE_COLUMN', columns: expected });
  }
  expect(await columnTypes()).toEqual(before);
  expect((await db.query(`SELECT to_regclass($1) AS runs`, [`${schema}.migration_runs`])).rows).toEqual([{ runs: null }]);

  // Converted as the message says (the value that is not JSON cleared first), or a domain over jsonb: every command runs.
  await db.query(`UPDATE ${s}.events SET canonical_event = NULL WHERE id = 'evt-02'`);
  await db.query(`ALTER TABLE ${s}.events ALTER COLUMN canonical_event TYPE jsonb USING canonical_event::jsonb`);
  await db.query(`CREATE DOMAIN ${s}.sources AS jsonb`);
  await db.query(`ALTER TABLE ${s}.campaigns ALTER COLUMN data_sources_v2 TYPE ${s}.sources USING data_sources_v2::jsonb`);
  expect((await store.inspectSchema()).incompatible).toBeUndefined();
  await store.ensureSchema();
  expect(await store.inspectSchema()).toMatchObject({ ready: true, readable: true });
  expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ processed: 6, written: 6 });
  expect((await runCampaignMigration({ store, apply: true })).written).toBe(1);
  expect(await verifyMigration(store)).toMatchObject({ ok: true, mismatches: [] });
}

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('incompatible column types on the real PostgreSQL server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('a canonical_event of type text and a data_sources_v2 of type json: every command refuses with INCOMPATIBLE_COLUMN naming table, column and types, and changes nothing; converted, they run', async () => {
    const schema = uniqueName('incompatible');
    schemas.push(schema);
    await incompatibleColumns(pool, schema);
  });
});

describe('incompatible column types on PGlite', () => {
  it('a canonical_event of type text and a data_sources_v2 of type json: every command refuses with INCOMPATIBLE_COLUMN naming table, column and types, and changes nothing; converted, they run', async () => {
    const db = await PGlite.create();
    try {
      await incompatibleColumns(db, 'incompatible');
    } finally {
      await db.close();
    }
  });
});
