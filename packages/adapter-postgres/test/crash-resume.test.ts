/**
 * Crash safety on the real server: a runner in a child process is killed with SIGKILL at points
 * drawn from a seeded PRNG (CRASH_TEST_SEED replays a run), each time after it committed at least
 * one new batch, and resumed by a new child with the same holder each time; the last one finishes.
 * A trigger counts every UPDATE of canonical_event per row, so a batch written twice, or a row
 * skipped, shows up even when the final values look right; after every kill each committed
 * checkpoint must count exactly the rows written in its key range (fixtures/crash-schedule.ts).
 *
 * Two runs: one runner over 100,000 real-payload events in batches of 1,000; and every lever of
 * issue 15 on at once over 12,000 (two workers over key ranges, batches sized to a 50 ms target
 * within a byte budget, a throttle whose health probe reports a lagging replica now and then,
 * lock_timeout and statement_timeout on every statement, canonical events without the payload
 * copy, the next batch's parameter prepared during the current write, batches committed without
 * a WAL flush), one kill while a batch waits for a row lock the test holds, and the last run
 * through such a wait past lock_timeout.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { type CrashDatabase, type CrashRun, type CrashSchedule, type StoredCheckpoint, crashAndFinish, unusableIdsOf } from './fixtures/crash-schedule.js';
import { ALL_LEVERS } from './fixtures/lever-run.js';
import { eventId, insertPayloadEvents, loadPayloadTemplates } from './fixtures/payload-events.js';
import { type MigrateChild, spawnMigrateChild } from './fixtures/spawn-migrate-child.js';
import { createPool, uniqueName } from './harness.js';

const HOLDER = 'crash-test';
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20_261_124);

/** The schedule's reads and locks on PostgreSQL: a REPEATABLE READ snapshot, and a row lock in a transaction of the test's own. */
function postgresCrashDatabase(pool: pg.Pool, s: string): CrashDatabase {
  return {
    async consistent(read) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const result = await read({
          async checkpoints() {
            const { rows } = await client.query(
              `SELECT run_key, status, "cursor", counts, failures, scope -> 'range' AS range FROM ${s}.migration_runs
WHERE (run_key = 'events' OR run_key LIKE 'events#%') AND status IS NOT NULL ORDER BY run_key`,
            );
            return rows.map((row): StoredCheckpoint => ({ runKey: row.run_key, status: row.status, cursor: row.cursor, counts: row.counts, failures: row.failures, range: row.range }));
          },
          async writesIn(after, upTo) {
            const { rows } = await client.query(
              `SELECT count(*)::int AS rows, coalesce(sum(writes), 0)::int AS writes FROM ${s}.canonical_writes WHERE ($1::text IS NULL OR id > $1) AND ($2::text IS NULL OR id <= $2)`,
              [after, upTo],
            );
            return rows[0];
          },
        });
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A failed read leaves the transaction open: the connection is dropped with it.
        client.release(true);
        throw error;
      }
    },
    async lockUnwritten(id) {
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query(`SELECT pg_backend_pid() AS pid FROM ${s}.events WHERE id = $1 AND canonical_event IS NULL FOR UPDATE`, [id]);
      if (rows.length === 0) {
        await client.query('COMMIT');
        client.release();
        return null;
      }
      const pid = rows[0].pid as number;
      return {
        // From another connection: pg_stat_activity is read once per transaction.
        waitedFor: async () => (await pool.query('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))) AS waited', [pid])).rows[0].waited,
        async release() {
          await client.query('COMMIT');
          client.release();
        },
      };
    },
  };
}

function describeCrashRun(run: CrashRun) {
  describe(run.title, () => {
    const pool = createPool();
    const schema = uniqueName('crash');
    const s = quoteIdentifier(schema);
    const templates = loadPayloadTemplates();
    const unusableIds = unusableIdsOf(run);
    const database = postgresCrashDatabase(pool, s);
    const omit = run.levers?.canonicalPayload === 'omit';
    let running: MigrateChild | undefined;
    const schedule: CrashSchedule<MigrateChild> = {
      run,
      seed: SEED,
      database,
      spawn: (levers) => spawnMigrateChild({ schema, holder: HOLDER, batchSize: run.batchSize, levers }),
      onSpawn: (child) => (running = child),
    };

    beforeAll(async () => {
      await createPostgresStore({ client: pool, createLegacyTables: true, schema }).ensureSchema();
      // The payloads as inserted, to prove at the end that event_data itself was never touched.
      await pool.query(`CREATE TABLE ${s}.payload_templates (n int PRIMARY KEY, body jsonb NOT NULL)`);
      await pool.query(`INSERT INTO ${s}.payload_templates (n, body) SELECT t.n, t.body FROM jsonb_to_recordset($1::jsonb) AS t(n int, body jsonb)`, [
        JSON.stringify(templates.map((template, n) => ({ n, body: template.body }))),
      ]);
      // Counts in the batch's own transaction: a batch killed before its commit leaves no count behind.
      await pool.query(`CREATE TABLE ${s}.canonical_writes (id text PRIMARY KEY, writes int NOT NULL)`);
      await pool.query(`CREATE FUNCTION ${s}.count_canonical_write() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO ${s}.canonical_writes AS w (id, writes) VALUES (NEW.id, 1) ON CONFLICT (id) DO UPDATE SET writes = w.writes + 1;
  RETURN NULL;
END
$body$`);
      await pool.query(`CREATE TRIGGER count_canonical_writes AFTER UPDATE OF canonical_event ON ${s}.events FOR EACH ROW EXECUTE FUNCTION ${s}.count_canonical_write()`);
      await insertPayloadEvents(pool, `${s}.events`, run.total, templates, { unusableEvery: run.unusableEvery, chunkSize: 25_000 });
      await pool.query(`VACUUM ANALYZE ${s}.events`);
    }, 120_000);

    afterAll(async () => {
      if (running !== undefined && running.process.exitCode === null && running.process.signalCode === null) {
        running.process.kill('SIGKILL');
        await running.exited;
      }
      await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await pool.end();
    });

    it('writes every usable row exactly once, none of the unusable ones, and checkpoints that add up', { timeout: run.timeoutMs }, async () => {
      const { summary } = await crashAndFinish(schedule);
      const { rows: maxRows } = await pool.query(`SELECT max(id) AS max_id FROM ${s}.events`);
      expect(maxRows[0].max_id).toBe(eventId(run.total));

      // The rows themselves: the canonical event's payload as asked (a copy of event_data, or none).
      const payloadAsAsked = omit ? `NOT (e.canonical_event ? 'payload')` : `(e.canonical_event -> 'payload') IS NOT DISTINCT FROM e.event_data`;
      const { rows } = await pool.query(`SELECT
  count(*) FILTER (WHERE e.usable)::int AS usable,
  count(*) FILTER (WHERE NOT e.usable)::int AS unusable,
  count(*) FILTER (WHERE e.usable AND (e.canonical_event ->> 'event_id') IS DISTINCT FROM e.id)::int AS usable_without_own_event,
  count(*) FILTER (WHERE NOT e.usable AND e.canonical_event IS NOT NULL)::int AS unusable_with_event,
  count(*) FILTER (WHERE e.usable AND coalesce(w.writes, 0) <> 1)::int AS usable_not_written_once,
  count(*) FILTER (WHERE NOT e.usable AND w.writes IS NOT NULL)::int AS unusable_written,
  count(*) FILTER (WHERE e.canonical_event IS NOT NULL AND NOT (${payloadAsAsked}))::int AS payload_not_as_asked,
  count(*) FILTER (WHERE e.usable AND e.event_data IS DISTINCT FROM t.body)::int AS event_data_not_original,
  coalesce(sum(w.writes), 0)::int AS writes
FROM (SELECT *, jsonb_typeof(event_data) IN ('object', 'array') AS usable FROM ${s}.events) AS e
LEFT JOIN ${s}.canonical_writes AS w ON w.id = e.id
LEFT JOIN ${s}.payload_templates AS t ON t.n = substr(e.id, 5)::int % ${templates.length}`);
      expect(rows[0]).toEqual({
        usable: run.total - unusableIds.length,
        unusable: unusableIds.length,
        usable_without_own_event: 0,
        unusable_with_event: 0,
        usable_not_written_once: 0,
        unusable_written: 0,
        payload_not_as_asked: 0,
        event_data_not_original: 0,
        writes: run.total - unusableIds.length,
      });

      console.info(`crash test ${summary}`);
    });
  });
}

describe.runIf(inject('postgresAvailable'))('a runner killed with SIGKILL and resumed (real server)', () => {
  describeCrashRun({ title: '100,000 events, one runner, batches of 1,000', total: 100_000, unusableEvery: 9_973, kills: 5, batchSize: 1_000, timeoutMs: 180_000 });
  describeCrashRun({ title: '12,000 events, every lever on', total: 12_000, unusableEvery: 997, kills: 3, levers: ALL_LEVERS, duringLockWait: [1], timeoutMs: 180_000 });
});
