/**
 * The event backfill on SQLite (better-sqlite3, a file in the temporary directory), side by side
 * in one run with the floor of doing it all inside SQLite, as adapter-postgres's and
 * adapter-mysql's backfill benches do:
 *
 * - the runner (apply, default batch size) in a child process running the built package
 *   (bench/runner-child.mjs), on tables of 10k and N events: events/s over the run's own duration,
 *   and the child's peak RSS (`process.resourceUsage().maxRSS`; SQLite's pages count there too),
 *   with the peaks of `process.memoryUsage()`;
 * - the floor: one set-based `UPDATE … SET canonical_event = json_object('event_id', id,
 *   'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', json(event_data), "}'normalized', json_object(…))` on N
 *   events.
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   pnpm --filter @app/adapter-sqlite bench          # 100,000 events
 *   BENCH_EVENTS=1000000 tsx bench/backfill.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EventMigrationReport } from '@app/migrate';
import { loadPayloadTemplates } from '../../adapter-postgres/test/fixtures/payload-events.js';
import { createSqliteStore } from '../src/index.js';
import { temporaryDatabase } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 100_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const sizes = [...new Set([10_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A fresh database file holding `count` events that need the migration. */
function databaseWithEvents(count: number) {
  const db = temporaryDatabase();
  db.database.exec('CREATE TEMP TABLE templates (n INTEGER PRIMARY KEY, integration_type TEXT, event_type TEXT, body TEXT)');
  const template = db.database.prepare('INSERT INTO templates VALUES (?, ?, ?, ?)');
  templates.forEach((t, n) => template.run(n, t.integration_type, t.event_type, JSON.stringify(t.body)));
  return db;
}

async function fill(db: ReturnType<typeof temporaryDatabase>, count: number) {
  await createSqliteStore({ database: db.database, createLegacyTables: true }).ensureSchema();
  db.database
    .prepare(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
INSERT INTO events (id, integration_type, event_type, event_data, created_at)
SELECT 'evt-' || printf('%08d', i), t.integration_type, t.event_type, t.body, '2026-01-01T00:00:00Z'
FROM s JOIN templates AS t ON t.n = s.i % ?`,
    )
    .run(count, templates.length);
}

interface RunnerResult {
  size: number;
  rate: number;
  maxRssKb: number;
  maxRssBeforeRunKb: number;
  /** Peaks of process.memoryUsage() in MB. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
}

const runnerChild = fileURLToPath(new URL('./runner-child.mjs', import.meta.url));

async function runner(size: number): Promise<RunnerResult> {
  const db = databaseWithEvents(size);
  try {
    await fill(db, size);
    // The child opens the file itself: this process lets go of it first.
    db.database.close();
    const options = { file: db.file, canonicalPayload };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [runnerChild, JSON.stringify(options)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) =>
        error === null ? resolve(out) : reject(new Error(`the runner on ${size} events failed: ${stderr || error.message}`)),
      ),
    );
    const { report, maxRssKb, maxRssBeforeRunKb, memory } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<RunnerResult, 'size' | 'rate'> & { report: EventMigrationReport };
    if (report.counts.written !== size) throw new Error(`the runner wrote ${report.counts.written} of ${size} events`);
    return { size, rate: report.counts.processed / (report.durationMs / 1000), maxRssKb, maxRssBeforeRunKb, memory };
  } finally {
    db.remove();
  }
}

async function floor(size: number): Promise<number> {
  const db = databaseWithEvents(size);
  try {
    await fill(db, size);
    const started = performance.now();
    const result = db.database
      .prepare(
        `UPDATE events SET canonical_event = json_object('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', json(event_data), "}'normalized', json_object('meta.provider', integration_type))`,
      )
      .run();
    const elapsed = (performance.now() - started) / 1000;
    if (result.changes !== size) throw new Error(`the floor updated ${result.changes} of ${size} events`);
    return size / elapsed;
  } finally {
    db.remove();
  }
}

console.log(
  `Backfill on SQLite (better-sqlite3, a file), ${cpus().length} cores, Node ${process.version}, N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}`,
);
const results = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  const m = result.memory;
  console.log(
    `  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, peak RSS ${fmt(result.maxRssKb / 1024)} MB (before the run ${fmt(result.maxRssBeforeRunKb / 1024)} MB; ` +
      `peaks: V8 heap ${m.heapUsed} MB used of ${m.heapTotal} MB, external ${m.external} MB)`,
  );
}
const floorRate = await floor(total);
const largest = results.at(-1)!;
console.log(`  floor on ${fmt(total)} events: ${fmt(floorRate)} events/s`);
console.log(`\nSQLite, ${fmt(total)} events: runner ${fmt(largest.rate)} events/s, floor ${fmt(floorRate)} events/s: runner at ${fmt(largest.rate / floorRate, 2)}x the floor's speed`);
