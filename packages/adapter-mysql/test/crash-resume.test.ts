/**
 * Crash safety on the real MariaDB server, as for PostgreSQL: a runner in a child process
 * migrating 100,000 real-payload events is killed with SIGKILL at five points drawn from a seeded
 * PRNG (CRASH_TEST_SEED replays a run), each after it committed at least one new batch, and
 * resumed by a new child with the same holder; the last one finishes. A trigger counts every
 * UPDATE of an event row in the batch's own transaction, so a batch written twice, or a row
 * skipped, shows up even when the final values look right.
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { eventId, insertMysqlPayloadEvents, isUnusable, loadPayloadTemplates } from './fixtures/mysql-payload-events.js';
import { type MysqlMigrateChild, type MysqlMigrateChildExit, spawnMysqlMigrateChild } from './fixtures/spawn-migrate-child.js';
import { createAdminPool, freshDatabase } from './harness.js';
import { seededRandom, sleep } from '../../adapter-postgres/test/fixtures/seeded-random.js';

const TOTAL = 100_000;
// A prime, so the unusable rows fall on different templates and at different places in their batches.
const UNUSABLE_EVERY = 9_973;
const KILLS = 5;
const BATCH_SIZE = 1_000;
const HOLDER = 'crash-test';
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20_261_124);

describe.runIf(inject('mysqlAvailable'))('a runner killed with SIGKILL and resumed (real MariaDB server)', () => {
  const admin = createAdminPool();
  let db: { name: string; pool: mysql.Pool; drop(): Promise<void> };
  const templates = loadPayloadTemplates();
  const unusableIds = Array.from({ length: TOTAL }, (_, i) => i + 1)
    .filter((i) => isUnusable(i, UNUSABLE_EVERY))
    .map(eventId);
  let running: MysqlMigrateChild | undefined;

  async function readCheckpoint() {
    const [rows] = await db.pool.query("SELECT status, `cursor`, counts, failures FROM migration_runs WHERE run_key = 'events' AND status IS NOT NULL");
    const row = (rows as Record<string, unknown>[])[0];
    if (row === undefined) return null;
    const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
    return {
      status: row.status as string,
      cursor: row.cursor as string | null,
      counts: parse(row.counts) as Record<string, number>,
      failures: parse(row.failures) as { id: string; code: string; reason: string }[],
    };
  }

  async function waitForProcessed(child: MysqlMigrateChild, target: number): Promise<number> {
    let exit: MysqlMigrateChildExit | undefined;
    void child.exited.then((value) => (exit = value));
    for (;;) {
      if (exit !== undefined) throw new Error(`the child exited (code ${exit.code}, signal ${exit.signal}) before processing ${target} rows: ${exit.stderr}`);
      const processed = (await readCheckpoint())?.counts.processed ?? 0;
      if (processed >= target) return processed;
      await sleep(10);
    }
  }

  beforeAll(async () => {
    db = await freshDatabase(admin, 'crash');
    await createMysqlStore({ client: db.pool, createLegacyTables: true }).ensureSchema();
    // Counts in the batch's own transaction: a batch killed before its commit leaves no count behind.
    await db.pool.query('CREATE TABLE canonical_writes (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, writes INT NOT NULL)');
    await db.pool.query(
      'CREATE TRIGGER count_canonical_writes AFTER UPDATE ON events FOR EACH ROW INSERT INTO canonical_writes (id, writes) VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE writes = writes + 1',
    );
    await insertMysqlPayloadEvents(db.pool, TOTAL, templates, { unusableEvery: UNUSABLE_EVERY, chunkSize: 25_000 });
  }, 120_000);

  afterAll(async () => {
    if (running !== undefined && running.process.exitCode === null && running.process.signalCode === null) {
      running.process.kill('SIGKILL');
      await running.exited;
    }
    await db?.drop();
    await admin.end();
  });

  it('writes every usable row exactly once, none of the unusable ones, payloads identical, a checkpoint that adds up', { timeout: 240_000 }, async () => {
    const started = performance.now();
    const random = seededRandom(SEED);
    const killPoints = Array.from({ length: KILLS }, (_, k) => Math.floor(TOTAL * (0.05 + (k + random()) * 0.16)));
    const kills: string[] = [];
    for (const killPoint of killPoints) {
      const before = (await readCheckpoint())?.counts.processed ?? 0;
      running = spawnMysqlMigrateChild({ database: db.name, holder: HOLDER, batchSize: BATCH_SIZE });
      const committed = await waitForProcessed(running, Math.max(killPoint, before + 1));
      const delayMs = Math.floor(random() * 120);
      await sleep(delayMs);
      running.process.kill('SIGKILL');
      const exit = await running.exited;
      expect(exit.signal, `the child was to be killed near row ${killPoint} but ended by itself: ${exit.stderr}`).toBe('SIGKILL');
      kills.push(`${committed} (+${delayMs} ms)`);
    }
    const resumedAt = (await readCheckpoint())?.counts.processed ?? 0;
    running = spawnMysqlMigrateChild({ database: db.name, holder: HOLDER, batchSize: BATCH_SIZE });
    const last = await running.exited;
    expect(last.code, last.stderr).toBe(0);
    const report = last.result!.report;
    expect(report.status).toBe('completed');
    expect(report.counts.processed).toBe(TOTAL);
    expect(report.counts.processed - resumedAt).toBeGreaterThan(0);

    const checkpoint = await readCheckpoint();
    expect(checkpoint?.status).toBe('completed');
    const counts = checkpoint!.counts;
    expect(counts.processed).toBe(TOTAL);
    expect(counts.written! + counts.failed!).toBe(counts.processed);
    expect(counts.failed).toBe(unusableIds.length);
    expect(checkpoint!.cursor).toBe(eventId(TOTAL));
    expect(checkpoint!.failures.map((failure) => failure.id)).toEqual(unusableIds);
    for (const failure of checkpoint!.failures) expect(failure.code).toBe('INVALID_EVENT_DATA');

    const [rows] = await db.pool.query(`SELECT
  CAST(SUM(e.usable) AS SIGNED) AS usable,
  CAST(SUM(NOT e.usable) AS SIGNED) AS unusable,
  CAST(SUM(e.usable AND NOT (JSON_UNQUOTE(JSON_EXTRACT(e.canonical_event, '$.event_id')) <=> e.id)) AS SIGNED) AS usable_without_own_event,
  CAST(SUM(NOT e.usable AND e.canonical_event IS NOT NULL) AS SIGNED) AS unusable_with_event,
  CAST(SUM(e.usable AND COALESCE(w.writes, 0) <> 1) AS SIGNED) AS usable_not_written_once,
  CAST(SUM(NOT e.usable AND w.writes IS NOT NULL) AS SIGNED) AS unusable_written,
  CAST(SUM(e.canonical_event IS NOT NULL AND NOT JSON_EQUALS(JSON_EXTRACT(e.canonical_event, '$.payload'), e.event_data)) AS SIGNED) AS payload_not_event_data,
  CAST(SUM(e.canonical_event IS NOT NULL AND JSON_EXTRACT(e.canonical_event, '$.payload') <> JSON_EXTRACT(e.event_data, '$')) AS SIGNED) AS payload_text_differs,
  CAST(SUM(e.usable AND NOT JSON_EQUALS(e.event_data, t.body)) AS SIGNED) AS event_data_not_original,
  CAST(COALESCE(SUM(w.writes), 0) AS SIGNED) AS writes
FROM (SELECT *, JSON_TYPE(event_data) IN ('OBJECT', 'ARRAY') AS usable FROM events) AS e
LEFT JOIN canonical_writes AS w ON w.id = e.id
LEFT JOIN payload_templates AS t ON t.n = CAST(SUBSTRING(e.id, 5) AS UNSIGNED) % ${templates.length}`);
    expect((rows as Record<string, unknown>[])[0]).toEqual({
      usable: String(TOTAL - unusableIds.length),
      unusable: String(unusableIds.length),
      usable_without_own_event: '0',
      unusable_with_event: '0',
      usable_not_written_once: '0',
      unusable_written: '0',
      payload_not_event_data: '0',
      payload_text_differs: '0',
      event_data_not_original: '0',
      writes: String(TOTAL - unusableIds.length),
    });
    console.info(
      `MariaDB crash test (seed ${SEED}): killed after ${kills.join(', ')} rows committed; the last run resumed at ${resumedAt}; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s of runs`,
    );
  });
});
