import { runCampaignMigration, runEventMigration } from '@app/migrate';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { POSTGRES_URL, createLegacyTables, createPool, uniqueName } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('lock waits on the real PostgreSQL server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  /** Resolves once a session waits for a lock in a statement on this test's schema (the runner's read or write). */
  async function runnerWaitsForLock(table: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0", [`${quoteIdentifier(schemas.at(-1)!)}.`]);
      if (rows[0].n > 0) return;
      if (Date.now() > deadline) throw new Error(`no session waited for a row lock of ${table} within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("a batch that meets the application's row lock past lock_timeout is tried again, not the end of the run: every row written once, the retries in the report", async () => {
    const schema = uniqueName('lock_waits');
    schemas.push(schema);
    const s = quoteIdentifier(schema);
    await pool.query(`CREATE SCHEMA ${s}`);
    await createLegacyTables(pool, schema);
    for (let n = 1; n <= 30; n++) await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [`evt-${String(n).padStart(2, '0')}`, order(n)]);
    await pool.query(`INSERT INTO ${s}.integrations (id, user_id, provider, status) VALUES ('int-1', 7, 'shopify', 'active')`);
    for (let n = 1; n <= 6; n++) await pool.query(`INSERT INTO ${s}.campaigns (id, user_id, data_source, name) VALUES ($1, 7, 'shopify', 'c')`, [`campaign-${n}`]);
    await createPostgresStore({ client: pool, schema }).ensureSchema();
    // The runner's connections give up on a row lock after 300 ms, as a team sets lock_timeout for background work.
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4, options: '-c lock_timeout=300' });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      for (const [table, id] of [['events', 'evt-17'], ['campaigns', 'campaign-4']] as const) {
        // The application holds the row until the runner has waited for it, then past lock_timeout
        // (so at least one of the runner's statements gives up), and lets go well within the retries.
        await application.query('BEGIN');
        await application.query(`SELECT id FROM ${s}.${table} WHERE id = $1 FOR UPDATE`, [id]);
        const released = runnerWaitsForLock(table).then(async () => {
          await new Promise((resolve) => setTimeout(resolve, 700));
          await application.query('COMMIT');
        });
        if (table === 'events') {
          const report = await runEventMigration({ store, apply: true, batchSize: 10 });
          await released;
          expect(report.status).toBe('completed');
          expect(report.counts).toMatchObject({ processed: 30, written: 30, failed: 0 });
          expect(report.retries).toBeGreaterThanOrEqual(1);
          const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${s}.events WHERE canonical_event IS NOT NULL`);
          expect(rows[0].n).toBe(30);
          expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
        } else {
          const run = await runCampaignMigration({ store, apply: true, batchSize: 2 });
          await released;
          expect(run).toMatchObject({ status: 'completed', written: 6, rejected: [] });
          expect(run.retries).toBeGreaterThanOrEqual(1);
          const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${s}.campaigns WHERE data_sources_v2 IS NOT NULL`);
          expect(rows[0].n).toBe(6);
        }
      }
    } finally {
      application.release();
      await runnerPool.end();
    }
  });
});
