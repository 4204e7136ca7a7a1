/**
 * Crash safety on the real server: a runner in a child process migrating 100,000 real-payload
 * events is killed with SIGKILL at five points drawn from a seeded PRNG (CRASH_TEST_SEED
 * replays a run), each time after it committed at least one new batch, and resumed by a new
 * child with the same holder each time; the last one finishes. A trigger counts every UPDATE
 * of canonical_event per row, so a batch written twice, or a row skipped, shows up even when
 * the final values look right.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { eventId, insertPayloadEvents, isUnusable, loadPayloadTemplates } from './fixtures/payload-events.js';
import { type MigrateChild, type MigrateChildExit, spawnMigrateChild } from './fixtures/spawn-migrate-child.js';
import { seededRandom, sleep } from './fixtures/seeded-random.js';
import { createPool, uniqueName } from './harness.js';

const TOTAL = 100_000;
// A prime, so the unusable rows fall on different templates and at different places in their batches.
const UNUSABLE_EVERY = 9_973;
const KILLS = 5;
const BATCH_SIZE = 1_000;
const HOLDER = 'crash-test';
const SEED = Number(process.env.CRASH_TEST_SEED ?? 20_261_124);

describe.runIf(inject('postgresAvailable'))('a runner killed with SIGKILL and resumed (real server)', () => {
  const pool = createPool();
  const schema = uniqueName('crash');
  const s = quoteIdentifier(schema);
  const templates = loadPayloadTemplates();
  const unusableIds = Array.from({ length: TOTAL }, (_, i) => i + 1)
    .filter((i) => isUnusable(i, UNUSABLE_EVERY))
    .map(eventId);
  let running: MigrateChild | undefined;

  /** The committed checkpoint of the events run, as the runner left it in the runs table. */
  async function readCheckpoint() {
    const { rows } = await pool.query(`SELECT status, "cursor", counts, failures FROM ${s}.migration_runs WHERE run_key = 'events' AND status IS NOT NULL`);
    const row = rows[0] as { status: string; cursor: string | null; counts: Record<string, number>; failures: { id: string; code: string; reason: string }[] } | undefined;
    return row ?? null;
  }

  /** Polls the checkpoint until it counts `target` processed rows; fails when the child exits first. */
  async function waitForProcessed(child: MigrateChild, target: number): Promise<number> {
    let exit: MigrateChildExit | undefined;
    void child.exited.then((value) => (exit = value));
    for (;;) {
      if (exit !== undefined) throw new Error(`the child exited (code ${exit.code}, signal ${exit.signal}) before processing ${target} rows: ${exit.stderr}`);
      const processed = (await readCheckpoint())?.counts.processed ?? 0;
      if (processed >= target) return processed;
      await sleep(10);
    }
  }

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
    await insertPayloadEvents(pool, `${s}.events`, TOTAL, templates, { unusableEvery: UNUSABLE_EVERY, chunkSize: 25_000 });
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

  it('writes every usable row exactly once, none of the unusable ones, and a checkpoint that adds up', { timeout: 180_000 }, async () => {
    const started = performance.now();
    const random = seededRandom(SEED);
    // One point in each fifth of 5 %…85 % of the table, so the kills spread over the run and the last run has work left.
    const killPoints = Array.from({ length: KILLS }, (_, k) => Math.floor(TOTAL * (0.05 + (k + random()) * 0.16)));
    const kills: string[] = [];

    for (const killPoint of killPoints) {
      const before = (await readCheckpoint())?.counts.processed ?? 0;
      running = spawnMigrateChild({ schema, holder: HOLDER, batchSize: BATCH_SIZE });
      // At least one batch committed by this child, and the drawn point reached.
      const committed = await waitForProcessed(running, Math.max(killPoint, before + 1));
      // Then anywhere in the next batch: reading, normalizing, or with its write statement in flight.
      const delayMs = Math.floor(random() * 120);
      await sleep(delayMs);
      running.process.kill('SIGKILL');
      const exit = await running.exited;
      expect(exit.signal, `the child was to be killed near row ${killPoint} but ended by itself: ${exit.stderr}`).toBe('SIGKILL');
      kills.push(`${committed} (+${delayMs} ms)`);
    }
    const resumedAt = (await readCheckpoint())?.counts.processed ?? 0;
    running = spawnMigrateChild({ schema, holder: HOLDER, batchSize: BATCH_SIZE });
    const last = await running.exited;
    expect(last.code, last.stderr).toBe(0);
    const report = last.result!.report;
    expect(report.status).toBe('completed');
    expect(report.counts.processed).toBe(TOTAL);
    expect(report.counts.processed - resumedAt).toBeGreaterThan(0);

    // The checkpoint the last batch committed.
    const checkpoint = await readCheckpoint();
    expect(checkpoint?.status).toBe('completed');
    const counts = checkpoint!.counts;
    expect(counts.processed).toBe(TOTAL);
    expect(counts.written! + counts.failed!).toBe(counts.processed);
    expect(counts.failed).toBe(unusableIds.length);
    const { rows: maxRows } = await pool.query(`SELECT max(id) AS max_id FROM ${s}.events`);
    expect(checkpoint!.cursor).toBe(maxRows[0].max_id);
    expect(checkpoint!.cursor).toBe(eventId(TOTAL));
    // Each unusable row failed once, with its id and the reason.
    expect(checkpoint!.failures.map((failure) => failure.id)).toEqual(unusableIds);
    for (const failure of checkpoint!.failures) expect(failure.code).toBe('INVALID_EVENT_DATA');

    // The rows themselves.
    const { rows } = await pool.query(`SELECT
  count(*) FILTER (WHERE e.usable)::int AS usable,
  count(*) FILTER (WHERE NOT e.usable)::int AS unusable,
  count(*) FILTER (WHERE e.usable AND (e.canonical_event ->> 'event_id') IS DISTINCT FROM e.id)::int AS usable_without_own_event,
  count(*) FILTER (WHERE NOT e.usable AND e.canonical_event IS NOT NULL)::int AS unusable_with_event,
  count(*) FILTER (WHERE e.usable AND coalesce(w.writes, 0) <> 1)::int AS usable_not_written_once,
  count(*) FILTER (WHERE NOT e.usable AND w.writes IS NOT NULL)::int AS unusable_written,
  count(*) FILTER (WHERE e.canonical_event IS NOT NULL AND (e.canonical_event -> 'payload') IS DISTINCT FROM e.event_data)::int AS payload_not_event_data,
  count(*) FILTER (WHERE e.usable AND e.event_data IS DISTINCT FROM t.body)::int AS event_data_not_original,
  coalesce(sum(w.writes), 0)::int AS writes
FROM (SELECT *, jsonb_typeof(event_data) IN ('object', 'array') AS usable FROM ${s}.events) AS e
LEFT JOIN ${s}.canonical_writes AS w ON w.id = e.id
LEFT JOIN ${s}.payload_templates AS t ON t.n = substr(e.id, 5)::int % ${templates.length}`);
    expect(rows[0]).toEqual({
      usable: TOTAL - unusableIds.length,
      unusable: unusableIds.length,
      usable_without_own_event: 0,
      unusable_with_event: 0,
      usable_not_written_once: 0,
      unusable_written: 0,
      payload_not_event_data: 0,
      event_data_not_original: 0,
      writes: TOTAL - unusableIds.length,
    });
    console.info(
      `crash test (seed ${SEED}): killed after ${kills.join(', ')} rows committed; the last run resumed at ${resumedAt}; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s of runs`,
    );
  });
});
