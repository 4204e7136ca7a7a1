/**
 * The run's batch timeouts (`batchTimeouts` of `runEventMigration`) on a SQLite file: a batch's
 * `lockTimeoutMs` is its busy timeout, for its `BEGIN IMMEDIATE` (the one lock a batch waits for:
 * another process's write), the connection's own `busyTimeoutMs` again once the batch is done.
 * better-sqlite3 waits inside the call, holding the process's one thread: a short batch limit also
 * gives the process's timers their turn sooner while another writer holds the file.
 */
import { type MigrationStore, runEventMigration } from '@app/migrate';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { temporaryDatabase } from './harness.js';

const order = (n: number) => JSON.stringify({ id: 8209829119461545 + n, created_at: '2025-01-15T10:30:00-05:00', total_price: '9.99', currency: 'USD', customer: { first_name: 'Ann' }, line_items: [{ title: `Shoes ${n}`, price: '9.99', quantity: 1 }] });

/**
 * Takes the write lock of `file` in another process (better-sqlite3 waits inside its calls, so a
 * holder in this process could not let go while the runner waits); resolves once it holds it, to
 * the function that makes it let go (and resolves once it has).
 */
async function holdWriteLock(file: string): Promise<() => Promise<void>> {
  const script = `const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked'); process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script, file], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the lock holder exited with ${code}`)))));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the lock holder exited before it held the lock')));
  });
  return () => {
    child.stdin.end('release');
    return exited;
  };
}

const opened: (() => void)[] = [];
afterEach(() => {
  for (const close of opened.splice(0).reverse()) close();
});

describe('batch timeouts on a SQLite file', () => {
  it("a batch that meets another process's write lock past the run's lockTimeoutMs is tried again, on a connection that would wait 3 s: every row once, the retries in the report, the connection's busy timeout unchanged", async () => {
    const db = temporaryDatabase();
    opened.push(db.remove);
    // The busy timeout in effect at each BEGIN IMMEDIATE on the store's connection.
    const begins: number[] = [];
    const spied = new Proxy(db.database, {
      get(target, key) {
        if (key === 'exec') {
          return (sql: string) => {
            if (sql === 'BEGIN IMMEDIATE') begins.push(target.pragma('busy_timeout', { simple: true }) as number);
            return target.exec(sql);
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const store = createSqliteStore({ database: spied, createLegacyTables: true, busyTimeoutMs: 3_000 });
    await store.ensureSchema();
    const insert = db.database.prepare("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, '2025-01-15T10:30:00Z')");
    for (let n = 1; n <= 30; n++) insert.run(`evt-${String(n).padStart(2, '0')}`, order(n));
    // Another process takes the file's write lock before the second batch, and lets go once the
    // batch has given up on it (the runner then tries it again).
    let writes = 0;
    let release: (() => Promise<void>) | undefined;
    let released: Promise<void> | undefined;
    const hooked: MigrationStore = Object.create(store);
    hooked.writeEventBatch = async (write, selection) => {
      if (++writes === 2) release = await holdWriteLock(db.file);
      try {
        return await store.writeEventBatch(write, selection);
      } catch (error) {
        released ??= release?.();
        await released;
        throw error;
      }
    };
    const report = await runEventMigration({ store: hooked, apply: true, batchSize: 10, batchTimeouts: { lockTimeoutMs: 100 } });
    expect(released).toBeDefined();
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 } });
    expect(report.retries).toBe(1);
    expect(db.database.prepare('SELECT count(*) AS n FROM events WHERE canonical_event IS NOT NULL').get()).toEqual({ n: 30 });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
    // The batches' transactions (three, and the retries) began with the batch's limit, the others (the lease, the checkpoints alone) with the connection's.
    expect(begins.filter((ms) => ms === 100).length).toBe(3 + report.retries!);
    expect(begins.filter((ms) => ms !== 100).every((ms) => ms === 3_000)).toBe(true);
    expect(begins.at(-1)).toBe(3_000);
    expect(db.database.pragma('busy_timeout', { simple: true })).toBe(3_000);
  });

  it("with a timeoutThrottle, a batch that meets another process's write lock past lockTimeoutMs is rolled back and the run pauses (not retried at once), then writes it smaller once the lock is gone: every row once", async () => {
    const db = temporaryDatabase();
    opened.push(db.remove);
    const store = createSqliteStore({ database: db.database, createLegacyTables: true, busyTimeoutMs: 3_000 });
    await store.ensureSchema();
    const insert = db.database.prepare("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, '2025-01-15T10:30:00Z')");
    for (let n = 1; n <= 30; n++) insert.run(`evt-${String(n).padStart(2, '0')}`, order(n));
    // Another process takes the file's write lock before the second batch, and lets go as the run pauses.
    let writes = 0;
    let release: (() => Promise<void>) | undefined;
    let released: Promise<void> | undefined;
    const hooked: MigrationStore = Object.create(store);
    hooked.writeEventBatch = async (write, selection) => {
      if (++writes === 2) release = await holdWriteLock(db.file);
      return store.writeEventBatch(write, selection);
    };
    const paused: string[] = [];
    const report = await runEventMigration({
      store: hooked,
      apply: true,
      batchSize: 10,
      batchTimeouts: { lockTimeoutMs: 100 },
      timeoutThrottle: { pauseMs: 300, maxTimeouts: 3 },
      onProgress: (p) => {
        if (p.paused === undefined) return;
        paused.push(p.paused);
        released ??= release?.();
      },
    });
    await released;
    expect(released).toBeDefined();
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30, failed: 0 }, throttle: { pauses: 1, reasons: { 'lock-timeouts': 1 } } });
    expect(report.retries).toBeUndefined();
    expect(paused).toEqual([expect.stringContaining('lock timeout')]);
    expect(db.database.prepare('SELECT count(*) AS n FROM events WHERE canonical_event IS NOT NULL').get()).toEqual({ n: 30 });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 30, written: 30 } });
  });
});
