/**
 * Crash safety on the real MariaDB server, as for PostgreSQL: a runner in a child process is
 * killed with SIGKILL at points drawn from a seeded PRNG (CRASH_TEST_SEED replays a run), each
 * after it committed at least one new batch, and resumed by a new child with the same holder; the
 * last one finishes. A trigger counts every UPDATE of an event row in the batch's own transaction,
 * so a batch written twice, or a row skipped, shows up even when the final values look right;
 * after every kill each committed checkpoint must count exactly the rows written in its key range
 * (adapter-postgres's fixtures/crash-schedule.ts).
 *
 * Two runs: one runner over 100,000 real-payload events in batches of 1,000; and every lever of
 * issue 15 on at once over 12,000 (fixtures/lever-run.ts: two workers, adaptive batches within a
 * byte budget, a throttle that pauses now and then, innodb_lock_wait_timeout and a statement
 * timeout, canonical events without the payload copy, prepared batches), one kill while a batch
 * waits for a row lock the test holds, and the last run through such a wait past the timeout.
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CrashDatabase, type CrashRun, type CrashSchedule, type StoredCheckpoint, crashAndFinish, unusableIdsOf } from '../../adapter-postgres/test/fixtures/crash-schedule.js';
import { ALL_LEVERS } from '../../adapter-postgres/test/fixtures/lever-run.js';
import { createMysqlStore } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from './fixtures/mysql-payload-events.js';
import { type MysqlMigrateChild, spawnMysqlMigrateChild } from './fixtures/spawn-migrate-child.js';
import { createAdminPool, freshDatabase } from './harness.js';

const HOLDER = 'crash-test';
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20_261_124);

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** The schedule's reads and locks on MariaDB: a consistent snapshot, and a row lock in a transaction of the test's own. */
function mysqlCrashDatabase(pool: mysql.Pool): CrashDatabase {
  return {
    async consistent(read) {
      const connection = await pool.getConnection();
      try {
        await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
        const result = await read({
          async checkpoints() {
            const [rows] = await connection.query(
              "SELECT run_key, status, `cursor`, counts, failures, JSON_EXTRACT(scope, '$.range') AS `range` FROM migration_runs WHERE (run_key = 'events' OR run_key LIKE 'events#%') AND status IS NOT NULL ORDER BY run_key",
            );
            return (rows as Record<string, unknown>[]).map(
              (row): StoredCheckpoint => ({
                runKey: row.run_key as string,
                status: row.status as string,
                cursor: row.cursor as string | null,
                counts: parse(row.counts),
                failures: parse(row.failures),
                range: parse(row.range) ?? null,
              }),
            );
          },
          async writesIn(after, upTo) {
            const [rows] = await connection.query(
              'SELECT COUNT(*) AS `rows`, COALESCE(SUM(writes), 0) AS writes FROM canonical_writes WHERE (? IS NULL OR id > ?) AND (? IS NULL OR id <= ?)',
              [after, after, upTo, upTo],
            );
            const row = (rows as Record<string, unknown>[])[0]!;
            return { rows: Number(row.rows), writes: Number(row.writes) };
          },
        });
        await connection.query('COMMIT');
        connection.release();
        return result;
      } catch (error) {
        // A failed read leaves the transaction open: the connection is dropped with it.
        connection.destroy();
        throw error;
      }
    },
    async lockUnwritten(id) {
      const connection = await pool.getConnection();
      await connection.query('START TRANSACTION');
      const [rows] = await connection.query('SELECT CONNECTION_ID() AS thread FROM events WHERE id = ? AND canonical_event IS NULL FOR UPDATE', [id]);
      const row = (rows as { thread: unknown }[])[0];
      if (row === undefined) {
        await connection.query('COMMIT');
        connection.release();
        return null;
      }
      return {
        async waitedFor() {
          const [waits] = await pool.query(
            'SELECT COUNT(*) AS n FROM information_schema.INNODB_LOCK_WAITS AS w JOIN information_schema.INNODB_TRX AS t ON t.trx_id = w.blocking_trx_id WHERE t.trx_mysql_thread_id = ?',
            [row.thread],
          );
          return Number((waits as { n: unknown }[])[0]!.n) > 0;
        },
        async release() {
          await connection.query('COMMIT');
          connection.release();
        },
      };
    },
  };
}

function describeCrashRun(run: CrashRun) {
  describe(run.title, () => {
    const admin = createAdminPool();
    let db: { name: string; pool: mysql.Pool; drop(): Promise<void> };
    const templates = loadPayloadTemplates();
    const unusableIds = unusableIdsOf(run);
    const omit = run.levers?.canonicalPayload === 'omit';
    let running: MysqlMigrateChild | undefined;
    let schedule: CrashSchedule<MysqlMigrateChild>;

    beforeAll(async () => {
      db = await freshDatabase(admin, 'crash');
      schedule = {
        run,
        seed: SEED,
        database: mysqlCrashDatabase(db.pool),
        spawn: (levers) => spawnMysqlMigrateChild({ database: db.name, holder: HOLDER, batchSize: run.batchSize, levers }),
        onSpawn: (child) => (running = child),
      };
      await createMysqlStore({ client: db.pool, createLegacyTables: true }).ensureSchema();
      // Counts in the batch's own transaction: a batch killed before its commit leaves no count behind.
      await db.pool.query('CREATE TABLE canonical_writes (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, writes INT NOT NULL)');
      await db.pool.query(
        'CREATE TRIGGER count_canonical_writes AFTER UPDATE ON events FOR EACH ROW INSERT INTO canonical_writes (id, writes) VALUES (NEW.id, 1) ON DUPLICATE KEY UPDATE writes = writes + 1',
      );
      await insertMysqlPayloadEvents(db.pool, run.total, templates, { unusableEvery: run.unusableEvery, chunkSize: 25_000 });
    }, 120_000);

    afterAll(async () => {
      if (running !== undefined && running.process.exitCode === null && running.process.signalCode === null) {
        running.process.kill('SIGKILL');
        await running.exited;
      }
      await db?.drop();
      await admin.end();
    });

    it('writes every usable row exactly once, none of the unusable ones, payloads as asked, checkpoints that add up', { timeout: run.timeoutMs }, async () => {
      const { summary } = await crashAndFinish(schedule);

      // The rows themselves: the canonical event's payload as asked (a copy of event_data, the same text, or none).
      const payloadChecks = omit
        ? "CAST(SUM(e.canonical_event IS NOT NULL AND JSON_CONTAINS_PATH(e.canonical_event, 'one', '$.payload')) AS SIGNED) AS payload_not_as_asked"
        : `CAST(SUM(e.canonical_event IS NOT NULL AND NOT JSON_EQUALS(JSON_EXTRACT(e.canonical_event, '$.payload'), e.event_data)) AS SIGNED) AS payload_not_as_asked,
  CAST(SUM(e.canonical_event IS NOT NULL AND JSON_EXTRACT(e.canonical_event, '$.payload') <> JSON_EXTRACT(e.event_data, '$')) AS SIGNED) AS payload_text_differs`;
      const [rows] = await db.pool.query(`SELECT
  CAST(SUM(e.usable) AS SIGNED) AS usable,
  CAST(SUM(NOT e.usable) AS SIGNED) AS unusable,
  CAST(SUM(e.usable AND NOT (JSON_UNQUOTE(JSON_EXTRACT(e.canonical_event, '$.event_id')) <=> e.id)) AS SIGNED) AS usable_without_own_event,
  CAST(SUM(NOT e.usable AND e.canonical_event IS NOT NULL) AS SIGNED) AS unusable_with_event,
  CAST(SUM(e.usable AND COALESCE(w.writes, 0) <> 1) AS SIGNED) AS usable_not_written_once,
  CAST(SUM(NOT e.usable AND w.writes IS NOT NULL) AS SIGNED) AS unusable_written,
  ${payloadChecks},
  CAST(SUM(e.usable AND NOT JSON_EQUALS(e.event_data, t.body)) AS SIGNED) AS event_data_not_original,
  CAST(COALESCE(SUM(w.writes), 0) AS SIGNED) AS writes
FROM (SELECT *, JSON_TYPE(event_data) IN ('OBJECT', 'ARRAY') AS usable FROM events) AS e
LEFT JOIN canonical_writes AS w ON w.id = e.id
LEFT JOIN payload_templates AS t ON t.n = CAST(SUBSTRING(e.id, 5) AS UNSIGNED) % ${templates.length}`);
      expect((rows as Record<string, unknown>[])[0]).toEqual({
        usable: String(run.total - unusableIds.length),
        unusable: String(unusableIds.length),
        usable_without_own_event: '0',
        unusable_with_event: '0',
        usable_not_written_once: '0',
        unusable_written: '0',
        payload_not_as_asked: '0',
        ...(omit ? {} : { payload_text_differs: '0' }),
        event_data_not_original: '0',
        writes: String(run.total - unusableIds.length),
      });

      console.info(`MariaDB crash test ${summary}`);
    });
  });
}

describe.runIf(inject('mysqlAvailable'))('a runner killed with SIGKILL and resumed (real MariaDB server)', () => {
  describeCrashRun({ title: '100,000 events, one runner, batches of 1,000', total: 100_000, unusableEvery: 9_973, kills: 5, batchSize: 1_000, timeoutMs: 240_000 });
  describeCrashRun({ title: '12,000 events, every lever on', total: 12_000, unusableEvery: 997, kills: 3, levers: ALL_LEVERS, duringLockWait: [1], timeoutMs: 240_000 });
});
