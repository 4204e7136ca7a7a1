/**
 * The run's batch timeouts (`batchTimeouts` of `runEventMigration`) on the real MariaDB server:
 * each statement of a batch's transaction runs as `SET STATEMENT innodb_lock_wait_timeout=…,
 * lock_wait_timeout=…, max_statement_time=… FOR …`, on connections left with the server's
 * settings (a lock wait of 50 s, no statement limit). A row lock held past the batch's limit is
 * tried again (on MySQL, which has no SET STATEMENT, the lock waits are set on the session for the
 * batch and put back); a batch statement past its limit is interrupted and rolled back with its
 * checkpoint, and the run stops there, resumable. The session keeps its own settings.
 */
import { type MigrationStore, runEventMigration } from '@app/migrate';
import mysql from 'mysql2/promise';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { MYSQL_URL, POOL_OPTIONS, createAdminPool, createLegacyTables, freshDatabase } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

describe.runIf(inject('mysqlAvailable'))('batch timeouts on the real MariaDB server', () => {
  const admin = createAdminPool();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * `pool` as a MySQL 8 server would look to the store: its `VERSION()` says 8.0.36, every other
   * statement goes to MariaDB, which has the session variables MySQL has.
   */
  function lookingLikeMysql(pool: mysql.Pool): mysql.Pool {
    const bound = <T extends object>(target: T, key: PropertyKey) => {
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    };
    return new Proxy(pool, {
      get(target, key) {
        if (key !== 'getConnection') return bound(target, key);
        return async () => {
          const connection = await target.getConnection();
          return new Proxy(connection, {
            get(inner, name) {
              if (name !== 'query') return bound(inner, name);
              return (options: unknown, ...rest: unknown[]) =>
                (options as { sql?: unknown }).sql === 'SELECT VERSION() AS version' ? Promise.resolve([[{ version: '8.0.36' }], []]) : (inner.query as (...args: unknown[]) => unknown)(options, ...rest);
            },
          });
        };
      },
    });
  }

  /**
   * `store` with the application holding row `evt-17` (of the second batch of 10) from before the
   * run: it lets go once a batch write has given up on it (the runner then tries it again), or after
   * 10 s whatever happens, when a run that would wait longer than its batch limit finishes unretried.
   */
  async function withRowHeld(store: MigrationStore, application: mysql.PoolConnection): Promise<{ store: MigrationStore; released: () => Promise<unknown> }> {
    await application.query('START TRANSACTION');
    await application.query("SELECT id FROM events WHERE id = 'evt-17' FOR UPDATE");
    let release: Promise<unknown> | undefined;
    const letGo = () => (release ??= application.query('COMMIT'));
    const timer = setTimeout(letGo, 10_000);
    const holding: MigrationStore = Object.create(store);
    holding.writeEventBatch = async (write, selection) => {
      try {
        return await store.writeEventBatch(write, selection);
      } catch (error) {
        await letGo();
        throw error;
      }
    };
    return {
      store: holding,
      released: () => {
        clearTimeout(timer);
        return letGo();
      },
    };
  }

  /** A database with 30 events ready to migrate, a runner pool of one connection with the server's settings, and the application's connection. */
  async function setUp() {
    const db = await freshDatabase(admin, 'batch_timeouts');
    cleanups.push(() => db.drop());
    await createLegacyTables(db.pool);
    for (let n = 1; n <= 30; n++) await db.pool.query("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, NOW())", [`evt-${String(n).padStart(2, '0')}`, order(n)]);
    await createMysqlStore({ client: db.pool }).ensureSchema();
    const url = new URL(MYSQL_URL);
    url.pathname = `/${db.name}`;
    const runnerPool = mysql.createPool({ uri: url.href, ...POOL_OPTIONS, connectionLimit: 1 });
    cleanups.push(() => runnerPool.end());
    const application = await db.pool.getConnection();
    cleanups.push(async () => application.release());
    const migrated = async () => Number(((await db.pool.query('SELECT COUNT(*) AS n FROM events WHERE canonical_event IS NOT NULL'))[0] as { n: unknown }[])[0]!.n);
    /** The runner connection's own settings, as the server's defaults give them. */
    const sessionSettings = async () =>
      ((await runnerPool.query('SELECT @@SESSION.innodb_lock_wait_timeout = @@GLOBAL.innodb_lock_wait_timeout AS lockWait, @@SESSION.lock_wait_timeout = @@GLOBAL.lock_wait_timeout AS metadataWait, @@SESSION.max_statement_time = @@GLOBAL.max_statement_time AS statementTime'))[0] as Record<string, unknown>[])[0];
    return { store: createMysqlStore({ client: runnerPool }), runnerPool, application, migrated, sessionSettings };
  }

  it("a batch that meets the application's row lock past the run's lockTimeoutMs is tried again, on connections that would wait 50 s: every row once, the retries in the report", async () => {
    const { store, application, migrated, sessionSettings } = await setUp();
    expect(await sessionSettings()).toEqual({ lockWait: 1, metadataWait: 1, statementTime: 1 });
    const held = await withRowHeld(store, application);
    const report = await runEventMigration({ store: held.store, apply: true, batchSize: 10, batchTimeouts: { lockTimeoutMs: 1_000 } });
    await held.released();
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 } });
    expect(report.retries).toBe(1);
    expect(await migrated()).toBe(30);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
    expect(await sessionSettings()).toEqual({ lockWait: 1, metadataWait: 1, statementTime: 1 });
  });

  it('with a timeoutThrottle, a batch that meets the row lock past lockTimeoutMs is rolled back and the run pauses (not retried at once), then writes it smaller once the lock is gone: every row once', async () => {
    const { store, application, migrated, sessionSettings } = await setUp();
    await application.query('START TRANSACTION');
    await application.query("SELECT id FROM events WHERE id = 'evt-17' FOR UPDATE");
    const paused: string[] = [];
    let released: Promise<unknown> | undefined;
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 10,
      batchTimeouts: { lockTimeoutMs: 1_000 },
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
    expect(await migrated()).toBe(30);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
    expect(await sessionSettings()).toEqual({ lockWait: 1, metadataWait: 1, statementTime: 1 });
  });

  it('with a timeoutThrottle, a batch statement past statementTimeoutMs is rolled back and the run pauses and halves its batches until the lock is gone, rather than stop: every row once', async () => {
    const { store, application, migrated, sessionSettings } = await setUp();
    await application.query('START TRANSACTION');
    await application.query("SELECT id FROM events WHERE id = 'evt-17' FOR UPDATE");
    const paused: string[] = [];
    let released: Promise<unknown> | undefined;
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 10,
      batchTimeouts: { statementTimeoutMs: 500 },
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
    expect(await migrated()).toBe(30);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
    expect(await sessionSettings()).toEqual({ lockWait: 1, metadataWait: 1, statementTime: 1 });
  });

  it("interrupts a batch statement past the run's statementTimeoutMs, rolling the batch back with its checkpoint: the run stops there (not retried), the session keeps its settings, and a resume writes the rest once", async () => {
    const { store, application, migrated, sessionSettings } = await setUp();
    // The application holds a row of the second batch past the batch's 500 ms; it lets go after 5 s whatever happens.
    await application.query('START TRANSACTION');
    await application.query("SELECT id FROM events WHERE id = 'evt-17' FOR UPDATE");
    const released = new Promise((resolve) => setTimeout(resolve, 5_000)).then(() => application.query('COMMIT'));
    const written: number[] = [];
    const failed = await runEventMigration({ store, apply: true, batchSize: 10, batchTimeouts: { statementTimeoutMs: 500 }, onProgress: (p) => written.push(p.written) }).then(
      () => null,
      (error: unknown) => error,
    );
    // MariaDB's 1969, which mysql2 gives no code: the CLI tells it by its message (exit 75).
    expect(failed).toMatchObject({ code: 'STORE_ERROR', retryable: false, message: expect.stringContaining('max_statement_time exceeded'), cause: { errno: 1969 } });
    expect(written).toEqual([10]);
    expect(await migrated()).toBe(10);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', cursor: 'evt-10', counts: { processed: 10, written: 10 } });
    expect(await sessionSettings()).toEqual({ lockWait: 1, metadataWait: 1, statementTime: 1 });
    await released;
    const resumed = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, batchTimeouts: { statementTimeoutMs: 500, lockTimeoutMs: 2_000 } });
    expect(resumed).toMatchObject({ status: 'completed', resumedFrom: 'evt-10', counts: { processed: 30, written: 30 } });
    expect(await migrated()).toBe(30);
  });

  it('on MySQL (a server whose VERSION() says 8.0.36): sets the lock waits on the session for the batch and puts them back, so a row lock past lockTimeoutMs is tried again; statementTimeoutMs is left to the connection', async () => {
    const { runnerPool, application, migrated, sessionSettings } = await setUp();
    // The session has a lock wait of its own, which the run must put back.
    await runnerPool.query('SET SESSION innodb_lock_wait_timeout = 40');
    const store = createMysqlStore({ client: lookingLikeMysql(runnerPool) });
    expect(await store.serverFlavor()).toBe('mysql');
    const held = await withRowHeld(store, application);
    const report = await runEventMigration({ store: held.store, apply: true, batchSize: 10, batchTimeouts: { lockTimeoutMs: 1_000, statementTimeoutMs: 60_000 } });
    await held.released();
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 } });
    expect(report.retries).toBe(1);
    expect(await migrated()).toBe(30);
    expect(Number(((await runnerPool.query('SELECT @@SESSION.innodb_lock_wait_timeout AS lockWait'))[0] as { lockWait: unknown }[])[0]!.lockWait)).toBe(40);
    expect(await sessionSettings()).toMatchObject({ metadataWait: 1, statementTime: 1 });
  });
});
