/**
 * The event backfill on PGlite (in-memory, in this process), side by side in one run with the
 * floor of doing it all inside PGlite, as bench/backfill.bench.ts does on the PostgreSQL server:
 *
 * - the runner (apply, default batch size) on tables of 10k and N events: events/s over the run's
 *   own duration, and the process's peak RSS (which holds PGlite's database too);
 * - the floor: one set-based `UPDATE … SET canonical_event = jsonb_build_object('event_id', id,
 *   'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', event_data, "}'normalized', jsonb_build_object(…))`.
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   tsx bench/backfill-pglite.bench.ts                   # 50,000 events
 *   BENCH_EVENTS=100000 tsx bench/backfill-pglite.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 */
import { cpus } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { runEventMigration } from '@app/migrate';
import { createPostgresStore } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';

const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const sizes = [...new Set([10_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A fresh in-memory PGlite holding `count` events that need the migration. */
async function databaseWithEvents(count: number): Promise<PGlite> {
  const db = await PGlite.create();
  await createPostgresStore({ client: db, createLegacyTables: true }).ensureSchema();
  await insertPayloadEvents(db, 'events', count, templates, { chunkSize: 10_000 });
  await db.query('VACUUM ANALYZE events');
  return db;
}

async function runner(size: number): Promise<{ size: number; rate: number; maxRssKb: number }> {
  const db = await databaseWithEvents(size);
  try {
    const report = await runEventMigration({ store: createPostgresStore({ client: db }), apply: true, canonicalPayload });
    if (report.counts.written !== size) throw new Error(`the runner wrote ${report.counts.written} of ${size} events`);
    return { size, rate: report.counts.processed / (report.durationMs / 1000), maxRssKb: process.resourceUsage().maxRSS };
  } finally {
    await db.close();
  }
}

async function floor(size: number): Promise<number> {
  const db = await databaseWithEvents(size);
  try {
    const started = performance.now();
    const result = await db.query(
      `UPDATE events SET canonical_event = jsonb_build_object('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', event_data, "}'normalized', jsonb_build_object('meta.provider', integration_type))`,
    );
    const elapsed = (performance.now() - started) / 1000;
    if (result.affectedRows !== size) throw new Error(`the floor updated ${result.affectedRows} of ${size} events`);
    return size / elapsed;
  } finally {
    await db.close();
  }
}

console.log(`Backfill on PGlite (in memory), ${cpus().length} cores, Node ${process.version}, N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}`);
const results = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  console.log(`  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, peak RSS so far ${fmt(result.maxRssKb / 1024)} MB`);
}
const floorRate = await floor(total);
const largest = results.at(-1)!;
console.log(`  floor on ${fmt(total)} events: ${fmt(floorRate)} events/s`);
console.log(`\nPGlite, ${fmt(total)} events: runner ${fmt(largest.rate)} events/s, floor ${fmt(floorRate)} events/s: runner at ${fmt(largest.rate / floorRate, 2)}x the floor's speed`);
