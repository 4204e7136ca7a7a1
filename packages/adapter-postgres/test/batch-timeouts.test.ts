/**
 * The run's batch timeouts (`batchTimeouts` of `runEventMigration`) on the real server: each batch
 * with rows gets its own `lock_timeout` (in its one statement, `set_config(…, true)`, before any
 * row lock) and `statement_timeout` (`set_config(…, true)` first in a transaction of the batch's
 * own, since the server arms a statement's timer before the statement runs), on connections that
 * have neither. A lock wait past the batch's limit is tried again; a batch past its statement limit
 * is cancelled and rolled back with its checkpoint, and the run stops there, resumable. Nothing
 * of it outlives the batch: the connection keeps its own settings.
 */
import { runCampaignMigration, runEventMigration } from '@app/migrate';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type PostgresQueryResult, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { POSTGRES_URL, createLegacyTables, createPool, uniqueName } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

describe.runIf(inject('postgresAvailable'))('batch timeouts on the real PostgreSQL server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  /** A schema with 30 events, ready to migrate. */
  async function freshSchema(): Promise<{ schema: string; s: string }> {
    const schema = uniqueName('batch_timeouts');
    schemas.push(schema);
    const s = quoteIdentifier(schema);
    await pool.query(`CREATE SCHEMA ${s}`);
    await createLegacyTables(pool, schema);
    for (let n = 1; n <= 30; n++) await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [`evt-${String(n).padStart(2, '0')}`, order(n)]);
    await createPostgresStore({ client: pool, schema }).ensureSchema();
    return { schema, s };
  }

  /** Resolves once a session waits for a lock in a statement on `schema`. */
  async function someoneWaitsForLock(schema: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0", [`${quoteIdentifier(schema)}.`]);
      if (rows[0].n > 0) return;
      if (Date.now() > deadline) throw new Error('no session waited for a row lock within a minute');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const migrated = async (s: string) => (await pool.query(`SELECT count(*)::int AS n FROM ${s}.events WHERE canonical_event IS NOT NULL`)).rows[0].n as number;

  it("a batch that meets the application's row lock past the run's lockTimeoutMs is tried again, on connections without a lock_timeout: every row once, the retries in the report", async () => {
    const { schema, s } = await freshSchema();
    // One connection, without lock_timeout (0: it would wait for ever): what it says afterwards is the run's doing.
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      // The application holds a row of the second batch until the runner has waited for it, then
      // past the batch's 300 ms, and lets go well within the retries.
      await application.query('BEGIN');
      await application.query(`SELECT id FROM ${s}.events WHERE id = 'evt-17' FOR UPDATE`);
      const released = someoneWaitsForLock(schema).then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 900));
        await application.query('COMMIT');
      });
      const report = await runEventMigration({ store, apply: true, batchSize: 10, batchTimeouts: { lockTimeoutMs: 300 } });
      await released;
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 } });
      expect(report.retries).toBeGreaterThanOrEqual(1);
      expect(await migrated(s)).toBe(30);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
      expect((await runnerPool.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('0');
    } finally {
      application.release();
      await runnerPool.end();
    }
  });

  it('with a timeoutThrottle, a batch that meets the row lock past lockTimeoutMs is rolled back and the run pauses (not retried at once), then writes it smaller once the lock is gone: every row once, the pause in the report', async () => {
    const { schema, s } = await freshSchema();
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      // Held until the runner has waited for it past the batch's 300 ms, and let go during the pause.
      await application.query('BEGIN');
      await application.query(`SELECT id FROM ${s}.events WHERE id = 'evt-17' FOR UPDATE`);
      const paused: string[] = [];
      let released: Promise<unknown> | undefined;
      const report = await runEventMigration({
        store,
        apply: true,
        batchSize: 10,
        batchTimeouts: { lockTimeoutMs: 300 },
        timeoutThrottle: { pauseMs: 500, maxTimeouts: 3 },
        onProgress: (p) => {
          if (p.paused === undefined) return;
          paused.push(p.paused);
          released ??= application.query('COMMIT');
        },
      });
      await released;
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 }, throttle: { pauses: 1, reasons: { 'lock-timeouts': 1 } } });
      expect(report.retries).toBeUndefined();
      expect(paused).toEqual([expect.stringContaining('lock timeout')]);
      expect(await migrated(s)).toBe(30);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
    } finally {
      application.release();
      await runnerPool.end();
    }
  });

  it('with a timeoutThrottle, a batch past statementTimeoutMs is rolled back and the run pauses and halves its batches until the lock is gone, rather than stop: every row once', async () => {
    const { schema, s } = await freshSchema();
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      // Held past the batch's 400 ms (the connection has no timeout); let go at the second pause.
      await application.query('BEGIN');
      await application.query(`SELECT id FROM ${s}.events WHERE id = 'evt-17' FOR UPDATE`);
      const paused: string[] = [];
      let released: Promise<unknown> | undefined;
      const report = await runEventMigration({
        store,
        apply: true,
        batchSize: 10,
        batchTimeouts: { statementTimeoutMs: 400 },
        timeoutThrottle: { pauseMs: 200, maxTimeouts: 5 },
        onProgress: (p) => {
          if (p.paused === undefined) return;
          paused.push(p.paused);
          if (paused.length === 2) released ??= application.query('COMMIT');
        },
      });
      await released;
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 }, throttle: { pauses: 2, reasons: { 'statement-timeouts': 2 } } });
      expect(paused).toEqual([expect.stringContaining('statement timeout (1 of 5'), expect.stringContaining('statement timeout (2 of 5')]);
      expect(await migrated(s)).toBe(30);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
      expect((await runnerPool.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
    } finally {
      application.release();
      await runnerPool.end();
    }
  });

  it("gives the campaign runner's batches the same limits: a batch of data_sources_v2 that meets the application's row lock past lockTimeoutMs is tried again, every campaign written once", async () => {
    const { schema, s } = await freshSchema();
    await pool.query(`INSERT INTO ${s}.integrations (id, user_id, provider, status) VALUES ('int-1', 7, 'shopify', 'active')`);
    for (let n = 1; n <= 6; n++) await pool.query(`INSERT INTO ${s}.campaigns (id, user_id, data_source, name) VALUES ($1, 7, 'shopify', 'c')`, [`campaign-${n}`]);
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      // Held until the runner has waited for it, then past the batch's 300 ms; without the limit
      // the batch would wait for the commit and never be tried again.
      await application.query('BEGIN');
      await application.query(`SELECT id FROM ${s}.campaigns WHERE id = 'campaign-4' FOR UPDATE`);
      const released = someoneWaitsForLock(schema).then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 900));
        await application.query('COMMIT');
      });
      const run = await runCampaignMigration({ store, apply: true, batchSize: 2, batchTimeouts: { lockTimeoutMs: 300 } });
      await released;
      expect(run).toMatchObject({ status: 'completed', written: 6, rejected: [] });
      expect(run.retries).toBeGreaterThanOrEqual(1);
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${s}.campaigns WHERE data_sources_v2 IS NOT NULL`)).rows[0].n).toBe(6);
      expect((await runnerPool.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('0');
    } finally {
      application.release();
      await runnerPool.end();
    }
  });

  it("sets lock_timeout in each batch's own statement, no round trip added: checkpoints alone keep the connection's setting, which the run leaves unchanged", async () => {
    const { schema } = await freshSchema();
    const connection = new pg.Client({ connectionString: POSTGRES_URL, options: '-c lock_timeout=7s' });
    await connection.connect();
    try {
      // Each write of the store (`WITH lease AS …`, one statement) runs in a transaction of the
      // test's own, which reads the setting its statement left: a local setting lasts until the commit.
      const writes: { rows: boolean; lockTimeout: string }[] = [];
      const statements: string[] = [];
      const client = {
        async query(text: string, params?: unknown[]): Promise<PostgresQueryResult> {
          statements.push(text);
          if (!text.startsWith('WITH lease AS')) return connection.query(text, params);
          await connection.query('BEGIN');
          try {
            const result = await connection.query(text, params);
            const { rows } = await connection.query("SELECT current_setting('lock_timeout') AS setting");
            await connection.query('COMMIT');
            writes.push({ rows: text.includes('written AS ('), lockTimeout: rows[0].setting });
            return result;
          } catch (error) {
            await connection.query('ROLLBACK');
            throw error;
          }
        },
      };
      const store = createPostgresStore({ client, clientKind: 'client', schema });
      const report = await runEventMigration({ store, apply: true, batchSize: 10, batchTimeouts: { lockTimeoutMs: 1_500 } });
      expect(report).toMatchObject({ status: 'completed', counts: { written: 30 } });
      const checkpoint = { rows: false, lockTimeout: '7s' };
      const batch = { rows: true, lockTimeout: '1500ms' };
      expect(writes).toEqual([checkpoint, batch, batch, batch, checkpoint]);
      // No statement of its own: the setting is in the three batches' statements, and nowhere else.
      expect(statements.filter((text) => text.includes('lock_timeout')).map((text) => text.slice(0, 13))).toEqual(['WITH lease AS', 'WITH lease AS', 'WITH lease AS']);
      expect((await connection.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('7s');
    } finally {
      await connection.end();
    }
  });

  it("cancels a batch past the run's statementTimeoutMs on the server, rolling it back with its checkpoint: the run stops there (not retried), the connection keeps its own statement_timeout, and a resume writes the rest once", async () => {
    const { schema, s } = await freshSchema();
    const runnerPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const application = await pool.connect();
    try {
      const store = createPostgresStore({ client: runnerPool, schema });
      // The application holds a row of the second batch past the batch's 400 ms (which bounds the
      // lock wait too: the connection has neither timeout); it lets go after 5 s whatever happens.
      await application.query('BEGIN');
      await application.query(`SELECT id FROM ${s}.events WHERE id = 'evt-17' FOR UPDATE`);
      const released = new Promise((resolve) => setTimeout(resolve, 5_000)).then(() => application.query('COMMIT'));
      const writes: number[] = [];
      const failed = await runEventMigration({
        store,
        apply: true,
        batchSize: 10,
        batchTimeouts: { statementTimeoutMs: 400 },
        onProgress: (p) => writes.push(p.written),
      }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failed).toMatchObject({ code: 'STORE_ERROR', sqlState: '57014', retryable: false, message: expect.stringContaining('statement timeout') });
      expect(writes).toEqual([10]);
      expect(await migrated(s)).toBe(10);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', cursor: 'evt-10', counts: { processed: 10, written: 10 } });
      expect((await runnerPool.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
      await released;
      const resumed = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, batchTimeouts: { statementTimeoutMs: 400 } });
      expect(resumed).toMatchObject({ status: 'completed', resumedFrom: 'evt-10', counts: { processed: 30, written: 30 } });
      expect(await migrated(s)).toBe(30);
    } finally {
      application.release();
      await runnerPool.end();
    }
  });
});
