import { runCampaignMigration, runEventMigration } from '@app/migrate';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { MYSQL_URL, POOL_OPTIONS, createAdminPool, createLegacyTables, freshDatabase } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

describe.runIf(inject('mysqlAvailable'))('lock waits on the real MariaDB server', () => {
  const admin = createAdminPool();
  let db: { name: string; pool: mysql.Pool; drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase(admin, 'lock_waits');
  });
  afterAll(async () => {
    await db?.drop();
    await admin.end();
  });

  it("a batch that meets the application's row lock past innodb_lock_wait_timeout is tried again, not the end of the run: every row written once, the retries in the report", async () => {
    await createLegacyTables(db.pool);
    for (let n = 1; n <= 30; n++) await db.pool.query("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, NOW())", [`evt-${String(n).padStart(2, '0')}`, order(n)]);
    await db.pool.query("INSERT INTO integrations (id, user_id, provider, status) VALUES ('int-1', 7, 'shopify', 'active')");
    for (let n = 1; n <= 6; n++) await db.pool.query("INSERT INTO campaigns (id, user_id, data_source, name) VALUES (?, 7, 'shopify', 'c')", [`campaign-${n}`]);
    await createMysqlStore({ client: db.pool }).ensureSchema();
    // The runner's sessions give up on a row lock after 1 s (the default is 50 s), as a team sets it for background work.
    const url = new URL(MYSQL_URL);
    url.pathname = `/${db.name}`;
    const runnerPool = mysql.createPool({ uri: url.href, ...POOL_OPTIONS });
    runnerPool.pool.on('connection', (connection) => {
      connection.query('SET SESSION innodb_lock_wait_timeout = 1');
    });
    const application = await db.pool.getConnection();
    try {
      const store = createMysqlStore({ client: runnerPool });
      for (const [table, id] of [['events', 'evt-17'], ['campaigns', 'campaign-4']] as const) {
        // The application holds the row for 2.5 s: longer than the lock wait, shorter than the retries.
        await application.query('START TRANSACTION');
        await application.query(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [id]);
        const released = new Promise((resolve) => setTimeout(resolve, 2_500)).then(() => application.query('COMMIT'));
        if (table === 'events') {
          const report = await runEventMigration({ store, apply: true, batchSize: 10 });
          await released;
          expect(report.status).toBe('completed');
          expect(report.counts).toMatchObject({ processed: 30, written: 30, failed: 0 });
          expect(report.retries).toBeGreaterThanOrEqual(1);
          const [rows] = await db.pool.query('SELECT COUNT(*) AS n FROM events WHERE canonical_event IS NOT NULL');
          expect(Number((rows as { n: unknown }[])[0]!.n)).toBe(30);
          expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
        } else {
          const run = await runCampaignMigration({ store, apply: true, batchSize: 2 });
          await released;
          expect(run).toMatchObject({ status: 'completed', written: 6, rejected: [] });
          expect(run.retries).toBeGreaterThanOrEqual(1);
          const [rows] = await db.pool.query('SELECT COUNT(*) AS n FROM campaigns WHERE data_sources_v2 IS NOT NULL');
          expect(Number((rows as { n: unknown }[])[0]!.n)).toBe(6);
        }
      }
    } finally {
      application.release();
      await runnerPool.end();
    }
  });
});
