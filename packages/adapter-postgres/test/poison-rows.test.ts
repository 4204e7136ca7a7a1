import { runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type PostgresClient, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createPool, uniqueName } from './harness.js';

const order = (n: number, name: string) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "${name}"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('poison rows on the real PostgreSQL server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('a legacy json column holding "\\u0000" (jsonb cannot): the row is listed with its id and the reason, the rest of its batch is written, in any batch size', async () => {
    for (const batchSize of [1, 7, 50]) {
      const schema = uniqueName('poison');
      schemas.push(schema);
      const s = quoteIdentifier(schema);
      await pool.query(`CREATE SCHEMA ${s}`);
      // json (not jsonb) keeps the text as written, so a NUL escape is a valid value there.
      await pool.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data json, created_at timestamptz)`);
      await pool.query(`CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id text, data_source text, native_config jsonb, integration_settings jsonb, name text)`);
      await pool.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, deleted_at timestamptz, settings jsonb)`);
      for (let n = 1; n <= 20; n++) {
        const name = n === 5 ? 'Ann\\u0000 Lee' : n === 12 ? 'Nul\\u0000' : 'Ann';
        await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::json, now())`, [`evt-${String(n).padStart(2, '0')}`, order(n, name)]);
      }
      const store = createPostgresStore({ client: pool, schema });
      await store.ensureSchema();
      const report = await runEventMigration({ store, apply: true, batchSize });
      expect(report.counts, `batch size ${batchSize}`).toMatchObject({ processed: 20, written: 18, failed: 2 });
      expect(report.failures.map((f) => f.id)).toEqual(['evt-05', 'evt-12']);
      for (const failure of report.failures) {
        expect(failure.code).toBe('WRITE_REJECTED');
        expect(failure.reason).toContain(`Event ${failure.id}: the database refused its canonical event`);
        expect(failure.reason).toContain('unsupported Unicode escape sequence');
      }
      const { rows } = await pool.query(`SELECT id FROM ${s}.events WHERE canonical_event IS NOT NULL ORDER BY id`);
      expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 20 }, (_, i) => `evt-${String(i + 1).padStart(2, '0')}`).filter((id) => id !== 'evt-05' && id !== 'evt-12'));
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'evt-20', counts: { written: 18, failed: 2 } });
    }
  });
  it('legacy json columns of campaigns and integrations holding "\\u0000": reading them fails no run; the campaigns are listed with their id and reason, the rest written, in the dry run and the applied run', async () => {
    for (const batchSize of [1, 4]) {
      const schema = uniqueName('poison_json_campaigns');
      schemas.push(schema);
      const s = quoteIdentifier(schema);
      await pool.query(`CREATE SCHEMA ${s}`);
      await pool.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data json, created_at timestamptz)`);
      // json (not jsonb) keeps a NUL escape as written: in the provider name, in the settings copied into data_sources_v2, in an integration's settings.
      await pool.query(`CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id bigint, data_source json, native_config json, integration_settings json, name text)`);
      await pool.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id bigint, provider text, status text, deleted_at timestamptz, settings json)`);
      await pool.query(`INSERT INTO ${s}.integrations VALUES ('int-1', 9007199254740993, 'shopify', 'active', NULL, '{"shop": "nul\\u0000.myshopify.com"}'), ('int-2', 9007199254740992, 'shopify', 'active', NULL, NULL)`);
      for (let n = 1; n <= 8; n++) {
        const source = n === 3 ? '"\\u0000"' : '"shopify"';
        const settings = n === 6 ? '{"events": ["order.created"], "note": "a\\u0000b"}' : '{"events": ["order.created"]}';
        await pool.query(`INSERT INTO ${s}.campaigns (id, user_id, data_source, integration_settings, name) VALUES ($1, 9007199254740993, $2::json, $3::json, $4)`, [
          `campaign-${n}`,
          source,
          settings,
          `Campaign ${n}`,
        ]);
      }
      const store = createPostgresStore({ client: pool, schema });
      const dryRun = await runCampaignMigration({ store, batchSize });
      expect(dryRun.report.items.find((item) => item.campaignId === 'campaign-3')).toMatchObject({ outcome: 'ambiguous', message: expect.stringContaining('campaign-3') });
      expect(dryRun.report.summary.writes, `batch size ${batchSize}`).toBe(7);
      await store.ensureSchema();
      const run = await runCampaignMigration({ store, apply: true, batchSize });
      expect(run.written, `batch size ${batchSize}`).toBe(6);
      expect(run.rejected).toEqual([{ id: 'campaign-6', code: 'WRITE_REJECTED', reason: expect.stringContaining('Campaign campaign-6: the database refused its data_sources_v2') }]);
      expect(run.rejected[0]!.reason).toContain('unsupported Unicode escape sequence');
      // Owners past 2^53 stay exact: each campaign gets its own owner's integration.
      const { rows } = await pool.query(`SELECT id, data_sources_v2 -> 0 ->> 'integration_id' AS integration FROM ${s}.campaigns WHERE data_sources_v2 IS NOT NULL ORDER BY id`);
      expect(rows).toEqual(['campaign-1', 'campaign-2', 'campaign-4', 'campaign-5', 'campaign-7', 'campaign-8'].map((id) => ({ id, integration: 'int-1' })));
    }
  });
  it('verify samples a migrated event whose json event_data now holds "\\u0000" (changed after its migration): reported as a payload that differs, the verification goes on', async () => {
    const schema = uniqueName('poison_verify');
    schemas.push(schema);
    const s = quoteIdentifier(schema);
    await pool.query(`CREATE SCHEMA ${s}`);
    await pool.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data json, created_at timestamptz)`);
    await pool.query(`CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id text, data_source text, native_config jsonb, integration_settings jsonb, name text)`);
    await pool.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, deleted_at timestamptz, settings jsonb)`);
    for (let n = 1; n <= 6; n++) {
      await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::json, now())`, [`evt-${String(n).padStart(2, '0')}`, order(n, 'Ann')]);
    }
    const store = createPostgresStore({ client: pool, schema });
    await store.ensureSchema();
    expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ written: 6 });
    // An escaped backslash before "u0000" is text jsonb holds: that payload still matches once restored.
    await pool.query(`UPDATE ${s}.events SET event_data = $1::json WHERE id = 'evt-03'`, [order(3, 'Ann\\u0000 Lee')]);
    await pool.query(`UPDATE ${s}.events SET event_data = $1::json WHERE id = 'evt-04'`, [order(4, 'Ann\\\\u0000 Lee')]);
    await pool.query(`UPDATE ${s}.events SET canonical_event = jsonb_set(canonical_event, '{payload}', event_data::jsonb) WHERE id = 'evt-04'`);
    const verification = await verifyMigration(store, { sampleSize: 10 });
    expect(verification.sampled).toBe(6);
    expect(verification.mismatches).toEqual([{ id: 'evt-03', problem: 'payload_differs' }]);
  });
  it('a legacy text event_data: its JSON is migrated, a row that is not JSON is listed by id; one changed to invalid JSON after its migration is a payload that differs in verify, and status, resume and later runs go on', async () => {
    const schema = uniqueName('poison_text');
    schemas.push(schema);
    await legacyTextEventData(pool, schema);
  });
  it('a campaign whose data_sources_v2 the table refuses (a CHECK of the team\'s own): it is listed with its id and the reason, the rest of its batch is written', async () => {
    // A refusal of the team's own schema: a CHECK.
    for (const batchSize of [1, 7]) {
      const schema = uniqueName('poison_campaigns');
      schemas.push(schema);
      const s = quoteIdentifier(schema);
      await pool.query(`CREATE SCHEMA ${s}`);
      await pool.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`);
      await pool.query(
        `CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id text, data_source text, native_config jsonb, integration_settings jsonb, name text,
  data_sources_v2 jsonb CONSTRAINT no_blocked_filters CHECK (data_sources_v2 IS NULL OR strpos(data_sources_v2::text, 'blocked') = 0))`,
      );
      await pool.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, deleted_at timestamptz, settings jsonb)`);
      await pool.query(`INSERT INTO ${s}.integrations VALUES ('int-1', 'owner-1', 'shopify', 'active', NULL, NULL)`);
      for (let n = 1; n <= 10; n++) {
        const settings = n === 4 ? '{"events":["order.created"],"note":"blocked"}' : '{"events":["order.created"]}';
        await pool.query(`INSERT INTO ${s}.campaigns (id, user_id, data_source, integration_settings, name) VALUES ($1, 'owner-1', 'shopify', $2::jsonb, $3)`, [
          `campaign-${String(n).padStart(2, '0')}`,
          settings,
          `Campaign ${n}`,
        ]);
      }
      const store = createPostgresStore({ client: pool, schema });
      await store.ensureSchema();
      const run = await runCampaignMigration({ store, apply: true, batchSize });
      expect(run.written, `batch size ${batchSize}`).toBe(9);
      expect(run.rejected).toEqual([{ id: 'campaign-04', code: 'WRITE_REJECTED', reason: expect.stringContaining('Campaign campaign-04: the database refused its data_sources_v2') }]);
      expect(run.rejected[0]!.reason).toContain('no_blocked_filters');
      const { rows } = await pool.query(`SELECT id FROM ${s}.campaigns WHERE data_sources_v2 IS NOT NULL ORDER BY id`);
      expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => `campaign-${String(i + 1).padStart(2, '0')}`).filter((id) => id !== 'campaign-04'));
      expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 9, failed: 1 } });
    }
  });
});

/**
 * A legacy text event_data on PostgreSQL 15 (no IS JSON to test it; a cast of what is not JSON
 * fails the statement): its JSON migrates, a row that is not JSON is listed, and one changed to
 * invalid JSON after its migration is a payload that differs in verify, while status, resume and
 * later runs go on. On the real server and on PGlite.
 */
async function legacyTextEventData(pool: PostgresClient, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await pool.query(`CREATE SCHEMA ${s}`);
  // text, not json: PostgreSQL 15 has no IS JSON to test it, and a cast of what is not JSON fails the statement.
  await pool.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data text, created_at timestamptz)`);
  await pool.query(`CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id text, data_source text, native_config jsonb, integration_settings jsonb, name text)`);
  await pool.query(`CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, deleted_at timestamptz, settings jsonb)`);
  for (let n = 1; n <= 12; n++) {
    await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2, now())`, [`evt-${String(n).padStart(2, '0')}`, n === 9 ? '{"id": 1, oops' : order(n, 'Ann')]);
  }
  const store = createPostgresStore({ client: pool, schema });
  await store.ensureSchema();
  const first = await runEventMigration({ store, apply: true, batchSize: 5, limit: 10 });
  expect(first.counts).toMatchObject({ processed: 10, written: 9, failed: 1 });
  expect(first.failures).toEqual([{ id: 'evt-09', code: 'INVALID_EVENT_DATA', reason: expect.stringContaining('Event row "evt-09"') }]);
  // Payloads are the stored JSON, integers past 2^53 exact.
  const { rows: exact } = await pool.query(`SELECT canonical_event -> 'payload' ->> 'id' AS id FROM ${s}.events WHERE id = 'evt-01'`);
  expect(exact).toEqual([{ id: '8209829119461546' }]);
  // Changed after its migration: no longer JSON, then the run resumes past it.
  await pool.query(`UPDATE ${s}.events SET event_data = '{"id": 8209829119461548, broken' WHERE id IN ('evt-03', 'evt-07')`);
  expect(await store.eventStatus()).toEqual({ total: 12, migrated: 9, remaining: 3 });
  const rest = await runEventMigration({ store, apply: true, resume: true, batchSize: 5 });
  expect(rest.counts).toMatchObject({ processed: 12, written: 11, failed: 1 });
  for (const sampleSize of [200, 3]) {
    const verification = await verifyMigration(store, { sampleSize });
    const sampled = (await store.sampleMigratedEvents(sampleSize)).map((event) => event.id);
    expect(verification.sampled).toBe(sampled.length);
    expect(verification.mismatches).toEqual(sampled.filter((id) => id === 'evt-03' || id === 'evt-07').map((id) => ({ id, problem: 'payload_differs' })));
    expect(verification.events).toEqual({ total: 12, migrated: 11, remaining: 1, failed: 1 });
  }
  expect((await verifyMigration(store)).mismatches).toEqual([
    { id: 'evt-03', problem: 'payload_differs' },
    { id: 'evt-07', problem: 'payload_differs' },
  ]);
  expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 12, migrated: 11, remaining: 1, basis: 'checkpoint' });
  // A run that reads one of them again lists it, and fails nothing else.
  await pool.query(`UPDATE ${s}.events SET canonical_event = NULL WHERE id = 'evt-03'`);
  const again = await runEventMigration({ store, apply: true });
  expect(again.counts).toMatchObject({ processed: 2, written: 0, failed: 2 });
  expect(again.failures.map((failure) => [failure.id, failure.code])).toEqual([
    ['evt-03', 'INVALID_EVENT_DATA'],
    ['evt-09', 'INVALID_EVENT_DATA'],
  ]);
}

describe('poison rows on PGlite', () => {
  it('a legacy text event_data: its JSON is migrated, a row that is not JSON is listed by id; one changed to invalid JSON after its migration is a payload that differs in verify, and status, resume and later runs go on', async () => {
    const db = await PGlite.create();
    try {
      await legacyTextEventData(db, 'poison_text');
    } finally {
      await db.close();
    }
  });
});
