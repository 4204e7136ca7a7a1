/**
 * The event backfill on PGlite (in-memory, in this process), side by side in one run with the
 * floor of doing it all inside PGlite, as bench/backfill.bench.ts does on the PostgreSQL server:
 *
 * - the runner (apply, default batch size) on tables of 10k and N events: events/s over the run's
 *   own duration, and the process's peak RSS (which holds PGlite's database too);
 * - the floor: one set-based `UPDATE … SET canonical_event = jsonb_build_object('event_id', id,
 *   'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', event_data, "}'normalized', jsonb_build_object(…))`: it
 *   writes fewer bytes than the runner;
 * - the floor with the runner's bytes (issue 15's): one set-based `UPDATE` that gives each row the
 *   canonical event the runner wrote for the first row of its payload template, with the row's own
 *   `event_id` and payload, so the same rows get events of the runner's size (the average stored
 *   size of each is printed);
 * - the CPU each spent per event (`process.cpuUsage()`: PGlite works in this process, so the
 *   runner's figure holds both its JavaScript and the database's), with the load average (1 min)
 *   beside every rate.
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   tsx bench/backfill-pglite.bench.ts                   # 50,000 events
 *   BENCH_EVENTS=100000 tsx bench/backfill-pglite.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 */
import { cpus, loadavg } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { runEventMigration } from '@app/migrate';
import { createPostgresStore } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';

const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const sizes = [...new Set([10_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () => fmt(loadavg()[0]!, 1);
/** Microseconds of CPU (user and system) this process has used since `since`. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

/** The runner's canonical event of each payload template (without its payload), as one JSON array text. */
type Templates = string;
/** The average stored size (`pg_column_size`, after TOAST compression) of the canonical events. */
const storedSize = async (db: PGlite) => Number((await db.query<{ size: number }>('SELECT avg(pg_column_size(canonical_event))::int AS size FROM events')).rows[0]!.size);

/** A fresh in-memory PGlite holding `count` events that need the migration. */
async function databaseWithEvents(count: number): Promise<PGlite> {
  const db = await PGlite.create();
  await createPostgresStore({ client: db, createLegacyTables: true }).ensureSchema();
  await insertPayloadEvents(db, 'events', count, templates, { chunkSize: 10_000 });
  await db.query('VACUUM ANALYZE events');
  return db;
}

interface RunnerResult {
  size: number;
  rate: number;
  maxRssKb: number;
  cpuPerEvent: number;
  storedSize: number;
  templates: Templates;
  load: string;
}

async function runner(size: number): Promise<RunnerResult> {
  const db = await databaseWithEvents(size);
  try {
    const cpu = process.cpuUsage();
    const report = await runEventMigration({ store: createPostgresStore({ client: db }), apply: true, canonicalPayload });
    const cpuPerEvent = cpuSince(cpu) / size;
    const finished = load();
    if (report.counts.written !== size) throw new Error(`the runner wrote ${report.counts.written} of ${size} events`);
    const templates = await db.query<{ templates: string }>(
      `SELECT json_agg(t)::text AS templates FROM (SELECT DISTINCT ON (integration_type, event_type) integration_type, event_type, canonical_event - 'payload' AS canonical
FROM events WHERE canonical_event IS NOT NULL ORDER BY integration_type, event_type, id) AS t`,
    );
    return {
      size,
      rate: report.counts.processed / (report.durationMs / 1000),
      maxRssKb: process.resourceUsage().maxRSS,
      cpuPerEvent,
      storedSize: await storedSize(db),
      templates: templates.rows[0]!.templates,
      load: finished,
    };
  } finally {
    await db.close();
  }
}

/** A floor's rate, its CPU per event, the stored size, and the load when it ended. */
interface FloorResult {
  rate: number;
  cpuPerEvent: number;
  storedSize: number;
  load: string;
}

/** One set-based UPDATE on a fresh table of `size` events; `templates` (the runner's events) for the floor with the runner's bytes. */
async function floor(size: number, templates?: Templates): Promise<FloorResult> {
  const db = await databaseWithEvents(size);
  try {
    let statement = `UPDATE events SET canonical_event = jsonb_build_object('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', event_data, "}'normalized', jsonb_build_object('meta.provider', integration_type))`;
    if (templates !== undefined) {
      await db.query(`CREATE TABLE runner_events AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(integration_type text, event_type text, canonical jsonb)`, [templates]);
      const event = `tpl.canonical || jsonb_build_object('event_id', t.id)`;
      statement = `UPDATE events AS t SET canonical_event = ${canonicalPayload === 'omit' ? event : `jsonb_set(${event}, '{payload}', t.event_data)`}
FROM runner_events AS tpl WHERE tpl.integration_type = t.integration_type AND tpl.event_type IS NOT DISTINCT FROM t.event_type`;
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await db.query(statement);
    const elapsed = (performance.now() - started) / 1000;
    const cpuPerEvent = cpuSince(cpu) / size;
    if (result.affectedRows !== size) throw new Error(`the floor updated ${result.affectedRows} of ${size} events`);
    return { rate: size / elapsed, cpuPerEvent, storedSize: await storedSize(db), load: load() };
  } finally {
    await db.close();
  }
}

console.log(
  `Backfill on PGlite (in memory), ${cpus().length} cores, Node ${process.version}, N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}, load ${load()}`,
);
const results: RunnerResult[] = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  console.log(`  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, CPU ${fmt(result.cpuPerEvent)} µs per event, peak RSS so far ${fmt(result.maxRssKb / 1024)} MB, load ${result.load}`);
}
const largest = results.at(-1)!;
const plain = await floor(total);
console.log(`  floor on ${fmt(total)} events: ${fmt(plain.rate)} events/s, CPU ${fmt(plain.cpuPerEvent)} µs per event, load ${plain.load}`);
const same = await floor(total, largest.templates);
console.log(`  floor with the runner's bytes on ${fmt(total)} events: ${fmt(same.rate)} events/s, CPU ${fmt(same.cpuPerEvent)} µs per event, load ${same.load}`);
console.log(`\nPGlite, ${fmt(total)} events                       events/s   runner is                CPU per event   load`);
console.log(`runner (apply, default batch size)       ${fmt(largest.rate).padStart(9)}                            ${fmt(largest.cpuPerEvent).padStart(6)} µs   ${largest.load}`);
console.log(`floor: one set-based UPDATE              ${fmt(plain.rate).padStart(9)}   ${fmt(largest.rate / plain.rate, 2)}x its speed           ${fmt(plain.cpuPerEvent).padStart(6)} µs   ${plain.load}`);
console.log(`floor with the runner's bytes (issue 15) ${fmt(same.rate).padStart(9)}   ${fmt(largest.rate / same.rate, 2)}x its speed           ${fmt(same.cpuPerEvent).padStart(6)} µs   ${same.load}`);
console.log(`canonical_event stored size (avg pg_column_size): runner ${fmt(largest.storedSize)} B, floor ${fmt(plain.storedSize)} B, floor with the runner's bytes ${fmt(same.storedSize)} B`);
