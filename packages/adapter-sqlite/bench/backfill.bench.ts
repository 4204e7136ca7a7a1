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
 *   events: it writes fewer bytes than the runner;
 * - the floor with the runner's bytes (issue 15's): one set-based `UPDATE … FROM` that gives each
 *   row the canonical event the runner wrote for the first row of its payload template, with the
 *   row's own `event_id` and payload, so the same rows get events of the runner's length (the
 *   average stored length of each is printed);
 * - the CPU each spent per event: the runner's child process (Node and SQLite both work in it)
 *   and this process around each floor's statement, with the load average (1 min) beside every
 *   rate: a shared machine's load moves the rates far more than the CPU per event.
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   pnpm --filter @app/adapter-sqlite bench          # 100,000 events
 *   BENCH_EVENTS=1000000 tsx bench/backfill.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EventMigrationReport } from '@app/migrate';
import Database from 'better-sqlite3';
import { loadPayloadTemplates } from '../../adapter-postgres/test/fixtures/payload-events.js';
import { createSqliteStore } from '../src/index.js';
import { temporaryDatabase } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 100_000);
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

/** The runner's canonical event of each payload template (without its payload), from a table it migrated. */
interface Template {
  integration_type: string;
  event_type: string | null;
  canonical: string;
}

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
  /** CPU microseconds of the child's run (Node and SQLite). */
  cpu: number;
  /** The average stored length of the canonical events, and the templates of the floor with the runner's bytes. */
  storedLength: number;
  templates: Template[];
  load: string;
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
    const { report, maxRssKb, maxRssBeforeRunKb, memory, cpu: childCpu } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Pick<RunnerResult, 'maxRssKb' | 'maxRssBeforeRunKb' | 'memory'> & {
      report: EventMigrationReport;
      cpu: { runner: number };
    };
    const cpu = childCpu.runner;
    if (report.counts.written !== size) throw new Error(`the runner wrote ${report.counts.written} of ${size} events`);
    const finished = load();
    const migrated = new Database(db.file, { readonly: true });
    try {
      const templates = migrated
        .prepare(
          `SELECT integration_type, event_type, json_remove(canonical_event, '$.payload') AS canonical FROM events
WHERE id IN (SELECT min(id) FROM events WHERE canonical_event IS NOT NULL GROUP BY integration_type, event_type)`,
        )
        .all() as Template[];
      const storedLength = (migrated.prepare('SELECT avg(length(canonical_event)) AS n FROM events').get() as { n: number }).n;
      return { size, rate: report.counts.processed / (report.durationMs / 1000), maxRssKb, maxRssBeforeRunKb, memory, cpu, storedLength, templates, load: finished };
    } finally {
      migrated.close();
    }
  } finally {
    db.remove();
  }
}

/** A floor's rate, the CPU this process spent on its statement per event, the stored length, and the load when it ended. */
interface FloorResult {
  rate: number;
  cpuPerEvent: number;
  storedLength: number;
  load: string;
}

/** One set-based UPDATE on a fresh table of `size` events; `templates` (the runner's events) for the floor with the runner's bytes. */
async function floor(size: number, templates?: readonly Template[]): Promise<FloorResult> {
  const db = databaseWithEvents(size);
  try {
    await fill(db, size);
    const payload = canonicalPayload === 'omit' ? '' : `, '$.payload', json(t.event_data)`;
    let statement = `UPDATE events SET canonical_event = json_object('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', json(event_data), "}'normalized', json_object('meta.provider', integration_type))`;
    if (templates !== undefined) {
      db.database.exec('CREATE TEMP TABLE runner_events (integration_type TEXT, event_type TEXT, canonical TEXT)');
      const insert = db.database.prepare('INSERT INTO runner_events VALUES (?, ?, ?)');
      for (const template of templates) insert.run(template.integration_type, template.event_type, template.canonical);
      statement = `UPDATE events AS t SET canonical_event = json_set(tpl.canonical, '$.event_id', t.id${payload})
FROM runner_events AS tpl WHERE tpl.integration_type = t.integration_type AND tpl.event_type IS t.event_type`;
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = db.database.prepare(statement).run();
    const elapsed = (performance.now() - started) / 1000;
    const cpuPerEvent = cpuSince(cpu) / size;
    if (result.changes !== size) throw new Error(`the floor updated ${result.changes} of ${size} events`);
    const storedLength = (db.database.prepare('SELECT avg(length(canonical_event)) AS n FROM events').get() as { n: number }).n;
    return { rate: size / elapsed, cpuPerEvent, storedLength, load: load() };
  } finally {
    db.remove();
  }
}

console.log(
  `Backfill on SQLite (better-sqlite3, a file), ${cpus().length} cores, Node ${process.version}, N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}, load ${load()}`,
);
const results = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  const m = result.memory;
  console.log(
    `  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, CPU ${fmt(result.cpu / size)} µs per event, peak RSS ${fmt(result.maxRssKb / 1024)} MB (before the run ${fmt(result.maxRssBeforeRunKb / 1024)} MB; ` +
      `peaks: V8 heap ${m.heapUsed} MB used of ${m.heapTotal} MB, external ${m.external} MB), load ${result.load}`,
  );
}
const largest = results.at(-1)!;
const plain = await floor(total);
console.log(`  floor on ${fmt(total)} events: ${fmt(plain.rate)} events/s, CPU ${fmt(plain.cpuPerEvent)} µs per event, load ${plain.load}`);
const same = await floor(total, largest.templates);
console.log(`  floor with the runner's bytes on ${fmt(total)} events: ${fmt(same.rate)} events/s, CPU ${fmt(same.cpuPerEvent)} µs per event, load ${same.load}`);
console.log(`\nSQLite, ${fmt(total)} events                       events/s   runner is                CPU per event   load`);
console.log(`runner (apply, default batch size)       ${fmt(largest.rate).padStart(9)}                            ${fmt(largest.cpu / total).padStart(6)} µs   ${largest.load}`);
console.log(`floor: one set-based UPDATE              ${fmt(plain.rate).padStart(9)}   ${fmt(largest.rate / plain.rate, 2)}x its speed           ${fmt(plain.cpuPerEvent).padStart(6)} µs   ${plain.load}`);
console.log(`floor with the runner's bytes (issue 15) ${fmt(same.rate).padStart(9)}   ${fmt(largest.rate / same.rate, 2)}x its speed           ${fmt(same.cpuPerEvent).padStart(6)} µs   ${same.load}`);
console.log(`canonical_event stored length (avg): runner ${fmt(largest.storedLength)} B, floor ${fmt(plain.storedLength)} B, floor with the runner's bytes ${fmt(same.storedLength)} B`);
