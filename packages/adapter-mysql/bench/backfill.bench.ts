/**
 * The event backfill against the real MySQL/MariaDB server, side by side in one run with the floor
 * of doing it all inside the database (the MariaDB column of adapter-postgres's backfill bench):
 *
 * - the runner (apply, default batch size) in a child process running the built package
 *   (bench/runner-child.mjs, no TypeScript loader), on tables of 10k, 100k and N events: events/s
 *   and the child's peak RSS (`process.resourceUsage().maxRSS`), which must stay flat as the table
 *   grows, with the peaks of `process.memoryUsage()` (where the memory goes);
 * - the floor: one set-based `UPDATE events SET canonical_event = JSON_OBJECT('event_id', id,
 *   'provider', integration_type, 'payload', event_data, 'normalized', JSON_OBJECT(…))` on N events.
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   pnpm --filter @app/adapter-mysql bench                 # 1,000,000 events
 *   BENCH_EVENTS=100000 TEST_MYSQL_URL=mysql://… tsx bench/backfill.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EventMigrationReport } from '@app/migrate';
import type mysql from 'mysql2/promise';
import { createMysqlStore } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from '../test/fixtures/mysql-payload-events.js';
import { createAdminPool, freshDatabase } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const sizes = [...new Set([10_000, 100_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
const templates = loadPayloadTemplates();

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (kb: number) => `${fmt(kb / 1024)} MB`;
const seconds = (since: number) => (performance.now() - since) / 1000;

const admin = createAdminPool();
const [versionRows] = await admin.query('SELECT VERSION() AS v');
const version = String((versionRows as { v: string }[])[0]?.v);

/** A fresh database holding `count` events that need the migration. */
async function databaseWithEvents(count: number) {
  const db = await freshDatabase(admin, `bench_backfill_${count}`);
  await createMysqlStore({ client: db.pool, createLegacyTables: true }).ensureSchema();
  await insertMysqlPayloadEvents(db.pool, count, templates);
  await db.pool.query('ANALYZE TABLE events');
  return db;
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
  const db = await databaseWithEvents(size);
  try {
    const options = { database: db.name, holder: 'bench', canonicalPayload };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [runnerChild, JSON.stringify(options)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) =>
        error === null ? resolve(out) : reject(new Error(`the runner on ${size} events failed: ${stderr || error.message}`)),
      ),
    );
    const { report, maxRssKb, maxRssBeforeRunKb, memory } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<RunnerResult, 'size' | 'rate'> & { report: EventMigrationReport };
    if (report.counts.written !== size) throw new Error(`runner wrote ${report.counts.written} of ${size}`);
    // The run's own duration, as adapter-postgres's bench measures it (the child's start-up is not the backfill's).
    return { size, rate: report.counts.processed / (report.durationMs / 1000), maxRssKb, maxRssBeforeRunKb, memory };
  } finally {
    await db.drop();
  }
}

async function floor(size: number): Promise<number> {
  const db: { pool: mysql.Pool; drop(): Promise<void> } = await databaseWithEvents(size);
  try {
    const started = performance.now();
    const [header] = await db.pool.query<mysql.ResultSetHeader>(`UPDATE events SET canonical_event = JSON_OBJECT('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', JSON_EXTRACT(event_data, '$'), "}
  'normalized', JSON_OBJECT('meta.provider', integration_type))`);
    const elapsed = seconds(started);
    if (header.affectedRows !== size) throw new Error(`the floor updated ${header.affectedRows} of ${size} events`);
    return size / elapsed;
  } finally {
    await db.drop();
  }
}

console.log(`Backfill on MySQL/MariaDB ${version} (${cpus().length} cores), N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}`);
const results = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  console.log(`  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, peak RSS ${mb(result.maxRssKb)}`);
}
const floorRate = await floor(total);
const largest = results.at(-1)!;
console.table([
  { '': 'runner (apply, default batch size)', 'events/s': fmt(largest.rate), [`${fmt(total)} events in`]: `${fmt(total / largest.rate / 60, 1)} min`, 'runner vs it': '' },
  { '': 'floor (one set-based UPDATE)', 'events/s': fmt(floorRate), [`${fmt(total)} events in`]: `${fmt(total / floorRate / 60, 1)} min`, 'runner vs it': `${fmt(largest.rate / floorRate, 2)}×` },
]);
console.log(`runner peak RSS (child process; before the run: ${mb(results[0]!.maxRssBeforeRunKb)})`);
console.table(
  results.map((r) => ({
    'table size': fmt(r.size),
    'runner events/s': fmt(r.rate),
    'runner peak RSS': mb(r.maxRssKb),
    'V8 heap used / total (MB)': `${r.memory.heapUsed} / ${r.memory.heapTotal}`,
    'external (MB)': r.memory.external,
  })),
);
await admin.end();
