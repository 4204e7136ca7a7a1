import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlStore } from '@app/adapter-mysql';
import { createPostgresStore } from '@app/adapter-postgres';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, createPool } from '../../adapter-postgres/test/harness.js';
import { EXIT_CODES } from '../src/cli/exit-codes.js';
import { cli } from './cli-process.js';
import { listening } from './cli-faults-process.js';

// `batchLockTimeoutMs` and `batchStatementTimeoutMs` of --config: limits on each batch
// `events --apply` writes, apart from the connection's (`statementTimeoutMs`, 5 min). A row of the
// second batch is locked by the application: the batch gives up within its own limit and the run
// ends with exit 75 and its checkpoint at the first batch; once the lock is gone `--resume`
// finishes.
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const order = (n: number) =>
  JSON.stringify({ id: 8209829119461545 + n, created_at: '2025-01-15T10:30:00-05:00', total_price: '9.99', currency: 'USD', customer: { first_name: 'Ann' }, line_items: [{ title: `Shoes ${n}`, price: '9.99', quantity: 1 }] });
const ids = Array.from({ length: 30 }, (_, i) => `evt-${String(i + 1).padStart(2, '0')}`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-batch-timeouts-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, config: object): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(config));
  return file;
}

const postgresAvailable = await listening(POSTGRES_URL, 'REQUIRE_POSTGRES');

describe.runIf(postgresAvailable)('events --apply with batch timeouts on PostgreSQL', () => {
  const pool = createPool();
  const schema = unique('batch_timeouts');
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  /** Resolves once a session has waited for a row lock of `schema` and then stopped waiting. */
  async function oneLockWaitEnded(schemaName: string): Promise<void> {
    const waiting = async () =>
      (await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0", [`"${schemaName}".`])).rows[0].n > 0;
    const deadline = Date.now() + 30_000;
    let seen = false;
    while (Date.now() < deadline) {
      const now = await waiting();
      if (seen && !now) return;
      seen ||= now;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no lock wait began and ended within 30 s');
  }

  it('a batch past batchStatementTimeoutMs ends the run with exit 75 naming it, the checkpoint at the last batch; --resume with batchLockTimeoutMs finishes once the lock is gone', async () => {
    await createPostgresStore({ client: pool, schema, createLegacyTables: true }).ensureSchema();
    for (const [n, id] of ids.entries()) await pool.query(`INSERT INTO "${schema}".events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [id, order(n + 1)]);
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM "${schema}".events WHERE id = 'evt-17' FOR UPDATE`);
      const stopped = await cli('events', '--apply', '--batch-size', '10', '--db', POSTGRES_URL, '--config', await configFile('pg-statement', { schema, batchStatementTimeoutMs: 1000 }));
      expect(stopped.code, stopped.stderr).toBe(EXIT_CODES.TIMEOUT);
      expect(stopped.stderr).toContain('canceling statement due to statement timeout');
      expect(stopped.stderr).toContain('a batch 1000 ms ("batchStatementTimeoutMs")');
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE canonical_event IS NOT NULL`);
      expect(rows[0].n).toBe(10);
      await locker.query('COMMIT');
    } finally {
      // A failed expectation leaves the transaction open: ended here, or the schema could not be dropped.
      await locker.query('ROLLBACK');
      locker.release();
    }
    const resumed = await cli('events', '--apply', '--resume', '--batch-size', '10', '--db', POSTGRES_URL, '--config', await configFile('pg-both', { schema, batchStatementTimeoutMs: 1000, batchLockTimeoutMs: 500 }));
    expect(resumed.code, resumed.stderr).toBe(EXIT_CODES.OK);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE canonical_event IS NOT NULL`);
    expect(rows[0].n).toBe(30);
  }, 60_000);

  it('with "timeoutThrottle", a batch past batchStatementTimeoutMs pauses the run (halving its batches) rather than end it; past maxTimeouts the run ends with exit 75 naming the limit', async () => {
    const throttled = `${schema}_throttled`;
    await createPostgresStore({ client: pool, schema: throttled, createLegacyTables: true }).ensureSchema();
    try {
      for (const [n, id] of ids.entries()) await pool.query(`INSERT INTO "${throttled}".events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [id, order(n + 1)]);
      const locker = await pool.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`SELECT id FROM "${throttled}".events WHERE id = 'evt-17' FOR UPDATE`);
        const stopped = await cli('events', '--apply', '--batch-size', '10', '--db', POSTGRES_URL, '--config', await configFile('pg-throttle-stop', { schema: throttled, batchStatementTimeoutMs: 300, timeoutThrottle: { pauseMs: 100, maxTimeouts: 1 } }));
        expect(stopped.code, stopped.stderr).toBe(EXIT_CODES.TIMEOUT);
        expect(stopped.stderr).toContain('more than timeoutThrottle.maxTimeouts (1) allows; the last on its statement timeout');
        // Let go once a batch of the next run has waited for the row and been cancelled: it timed out at least once.
        const released = oneLockWaitEnded(throttled).then(() => locker.query('COMMIT'));
        const run = await cli('events', '--apply', '--resume', '--batch-size', '10', '--db', POSTGRES_URL, '--config', await configFile('pg-throttle', { schema: throttled, batchStatementTimeoutMs: 300, timeoutThrottle: { pauseMs: 300, maxTimeouts: 20 } }));
        await released;
        expect(run.code, run.stderr).toBe(EXIT_CODES.OK);
        expect(run.stdout + run.stderr).toMatch(/Throttled: paused (once|\d+ times) for (a statement timeout|statement timeouts), \d+\.\d s in all\./);
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${throttled}".events WHERE canonical_event IS NOT NULL`);
      expect(rows[0].n).toBe(30);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${throttled}" CASCADE`);
    }
  }, 60_000);

  it('a batch that waits for a lock past batchLockTimeoutMs is tried again, as the library does, and the run finishes once the lock is gone', async () => {
    const retrySchema = `${schema}_retry`;
    await createPostgresStore({ client: pool, schema: retrySchema, createLegacyTables: true }).ensureSchema();
    try {
      for (const [n, id] of ids.entries()) await pool.query(`INSERT INTO "${retrySchema}".events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [id, order(n + 1)]);
      const locker = await pool.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`SELECT id FROM "${retrySchema}".events WHERE id = 'evt-17' FOR UPDATE`);
        // Let go once a batch has waited for the row past its 300 ms and given up: well within the retries.
        const released = oneLockWaitEnded(retrySchema).then(() => locker.query('COMMIT'));
        const run = await cli('events', '--apply', '--batch-size', '10', '--db', POSTGRES_URL, '--config', await configFile('pg-lock-retry', { schema: retrySchema, batchLockTimeoutMs: 300 }));
        await released;
        expect(run.code, run.stderr).toBe(EXIT_CODES.OK);
        expect(run.stdout + run.stderr).toMatch(/Retried \d+ batch reads or writes/);
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${retrySchema}".events WHERE canonical_event IS NOT NULL`);
      expect(rows[0].n).toBe(30);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${retrySchema}" CASCADE`);
    }
  }, 60_000);
});

const mariadbAvailable = await listening(MYSQL_URL, 'REQUIRE_MARIADB');

describe.runIf(mariadbAvailable)('events --apply with batch timeouts on MariaDB', () => {
  const admin = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 2 });
  const database = unique('batch_timeouts');
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  it('a batch past batchStatementTimeoutMs (max_statement_time) ends the run with exit 75, the checkpoint at the last batch; --resume finishes once the lock is gone', async () => {
    await admin.query(`CREATE DATABASE \`${database}\``);
    const pool = mysql.createPool({ uri: url.href, connectionLimit: 2 });
    try {
      await createMysqlStore({ client: pool, createLegacyTables: true }).ensureSchema();
      for (const [n, id] of ids.entries()) await pool.query("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, NOW())", [id, order(n + 1)]);
      const locker = await pool.getConnection();
      try {
        await locker.query('START TRANSACTION');
        await locker.query("SELECT id FROM events WHERE id = 'evt-17' FOR UPDATE");
        const stopped = await cli('events', '--apply', '--batch-size', '10', '--db', url.href, '--config', await configFile('mysql-statement', { batchStatementTimeoutMs: 1000 }));
        expect(stopped.code, stopped.stderr).toBe(EXIT_CODES.TIMEOUT);
        expect(stopped.stderr).toContain('max_statement_time exceeded');
        expect(stopped.stderr).toContain('a batch 1000 ms ("batchStatementTimeoutMs")');
        const [rows] = await pool.query('SELECT COUNT(*) AS n FROM events WHERE canonical_event IS NOT NULL');
        expect(Number((rows as { n: unknown }[])[0]!.n)).toBe(10);
        await locker.query('COMMIT');
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      const resumed = await cli('events', '--apply', '--resume', '--batch-size', '10', '--db', url.href, '--config', await configFile('mysql-both', { batchStatementTimeoutMs: 1000, batchLockTimeoutMs: 1000 }));
      expect(resumed.code, resumed.stderr).toBe(EXIT_CODES.OK);
      const [rows] = await pool.query('SELECT COUNT(*) AS n FROM events WHERE canonical_event IS NOT NULL');
      expect(Number((rows as { n: unknown }[])[0]!.n)).toBe(30);
    } finally {
      await pool.end();
    }
  }, 60_000);
});

describe('batch timeouts of --config on a SQLite file', () => {
  it('takes batchLockTimeoutMs (the batch busy timeout) and refuses batchStatementTimeoutMs, which SQLite cannot apply', async () => {
    const file = join(dir, 'batch.db');
    const database = new Database(file);
    try {
      await createSqliteStore({ database, createLegacyTables: true }).ensureSchema();
      const insert = database.prepare("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, '2025-01-15T10:30:00Z')");
      for (const [n, id] of ids.entries()) insert.run(id, order(n + 1));
    } finally {
      database.close();
    }
    const refused = await cli('events', '--apply', '--db', file, '--config', await configFile('sqlite-statement', { batchStatementTimeoutMs: 1000 }));
    expect(refused.code, refused.stderr).toBe(EXIT_CODES.USAGE);
    expect(refused.stderr).toContain('$.batchStatementTimeoutMs applies to PostgreSQL (and the embedded PGlite) and MySQL/MariaDB only');
    const run = await cli('events', '--apply', '--db', file, '--config', await configFile('sqlite-lock', { batchLockTimeoutMs: 200 }));
    expect(run.code, run.stderr).toBe(EXIT_CODES.OK);
    const check = new Database(file);
    try {
      expect(check.prepare('SELECT count(*) AS n FROM events WHERE canonical_event IS NOT NULL').get()).toEqual({ n: 30 });
    } finally {
      check.close();
    }
  }, 60_000);
});
