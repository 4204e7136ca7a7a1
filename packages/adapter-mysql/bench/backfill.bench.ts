/**
 * The event backfill against the real MySQL/MariaDB server, side by side in one run with the floor
 * of doing it all inside the database (the MariaDB column of adapter-postgres's backfill bench):
 *
 * - the runner (apply, default batch size) in a child process running the built package
 *   (bench/runner-child.mjs, no TypeScript loader), on tables of 10k, 100k and N events: events/s
 *   and the child's peak RSS (`process.resourceUsage().maxRSS`), which must stay flat as the table
 *   grows, with the peaks of `process.memoryUsage()` (where the memory goes);
 * - the floor: one set-based `UPDATE events SET canonical_event = JSON_OBJECT('event_id', id,
 *   'provider', integration_type, 'payload', event_data, 'normalized', JSON_OBJECT(…))` on N events;
 *   its `normalized` is one field, so it writes fewer bytes than the runner;
 * - the floor with the runner's bytes (issue 15's floor: the same rows, the same bytes): one
 *   set-based UPDATE writing, for each row, the canonical event the runner wrote for the first row
 *   of the same payload template (from its smallest table), with the row's own `event_id` and
 *   payload, so the same rows get events of the runner's size; the average stored size of each is
 *   printed;
 * - the runner with `writesInFlight: 2` (the next batch's write sent while the previous one is
 *   written, one checkpoint) on N events;
 * - the runner with `workers: 2` (`--workers 2`: two shards of the table side by side, each its own
 *   writer, so the server's second core writes too) on a fresh table of N events, after the default
 *   runner and before the floors, its ratio printed beside the default's;
 * - the CPU per event: the runner's own process (`process.cpuUsage()`), and the `mariadbd`
 *   process as a whole while each runs (`/proc`, with the server on this machine: other jobs'
 *   queries on the same server count too, so it is an upper bound).
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   pnpm --filter @app/adapter-mysql bench                 # 1,000,000 events
 *   BENCH_EVENTS=100000 TEST_MYSQL_URL=mysql://… tsx bench/backfill.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 *   BENCH_WORKERS=4 …                                # the second runner with 4 workers (2 by default)
 *   BENCH_QUICK=1 …                                  # N only: no 10k and 100k runs, no plain floor (issue 15's ratios in about half the time)
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EventMigrationReport } from '@app/migrate';
import type mysql from 'mysql2/promise';
import { createMysqlStore } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from '../test/fixtures/mysql-payload-events.js';
import { createAdminPool, freshDatabase } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const quick = process.env.BENCH_QUICK === '1';
const sizes = [...new Set(quick ? [total] : [10_000, 100_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
/** The workers of the second runner at N events (`BENCH_WORKERS`, 2 by default). */
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const templates = loadPayloadTemplates();

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (kb: number) => `${fmt(kb / 1024)} MB`;
const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () => fmt(loadavg()[0]!, 1);

/** The pid of the local `mariadbd` (or `mysqld`), or null when the server is not on this machine. */
function serverPid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (/^(mariadbd|mysqld)$/.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
const server = serverPid();
/** Microseconds of CPU (user and system) the local server has used so far; null without one. */
function serverCpuMicros(): number | null {
  if (server === null) return null;
  try {
    const fields = readFileSync(`/proc/${server}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks of 1/100 s (USER_HZ)
  } catch {
    return null;
  }
}
const cpuSince = (before: number | null) => {
  const now = serverCpuMicros();
  return before === null || now === null ? null : now - before;
};

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
  workers: number;
  writesInFlight: 1 | 2;
  rate: number;
  maxRssKb: number;
  maxRssBeforeRunKb: number;
  /** Peaks of process.memoryUsage() in MB. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** CPU microseconds of the run: the runner's process and the whole server (null for a remote one). */
  cpu: { runner: number; server: number | null };
  /** The average stored length of the canonical events written. */
  storedLength: number;
  load: string;
}

/** The canonical event (without payload) the runner wrote for the first row of each payload template. */
let runnerTemplates: { integration_type: string; event_type: string | null; canonical: string }[] = [];

const runnerChild = fileURLToPath(new URL('./runner-child.mjs', import.meta.url));

async function runner(size: number, workerCount = 1, writesInFlight: 1 | 2 = 1): Promise<RunnerResult> {
  const db = await databaseWithEvents(size);
  try {
    const options = { database: db.name, holder: 'bench', canonicalPayload, workers: workerCount, writesInFlight };
    const serverBefore = serverCpuMicros();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [runnerChild, JSON.stringify(options)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) =>
        error === null ? resolve(out) : reject(new Error(`the runner on ${size} events failed: ${stderr || error.message}`)),
      ),
    );
    const serverCpu = cpuSince(serverBefore);
    const { report, maxRssKb, maxRssBeforeRunKb, memory, cpu } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Pick<RunnerResult, 'maxRssKb' | 'maxRssBeforeRunKb' | 'memory'> & {
      report: EventMigrationReport;
      cpu: { runner: number };
    };
    if (report.counts.written !== size) throw new Error(`runner wrote ${report.counts.written} of ${size}`);
    if (runnerTemplates.length === 0) {
      const [rows] = await db.pool.query(
        `SELECT e.integration_type, e.event_type, JSON_REMOVE(e.canonical_event, '$.payload') AS canonical FROM events AS e
JOIN (SELECT MIN(id) AS id FROM events WHERE canonical_event IS NOT NULL GROUP BY integration_type, event_type) AS first_row ON first_row.id = e.id`,
      );
      runnerTemplates = rows as typeof runnerTemplates;
    }
    const [stored] = await db.pool.query('SELECT AVG(LENGTH(canonical_event)) AS length FROM events');
    // The run's own duration, as adapter-postgres's bench measures it (the child's start-up is not the backfill's).
    return {
      size,
      workers: workerCount,
      writesInFlight,
      rate: report.counts.processed / (report.durationMs / 1000),
      maxRssKb,
      maxRssBeforeRunKb,
      memory,
      cpu: { runner: cpu.runner, server: serverCpu },
      storedLength: Number((stored as { length: string }[])[0]?.length),
      load: load(),
    };
  } finally {
    await db.drop();
  }
}

interface FloorResult {
  rate: number;
  /** Microseconds of the whole server's CPU per event (null for a remote server). */
  cpuPerEvent: number | null;
  storedLength: number;
  load: string;
}

/** Times one set-based UPDATE of a fresh table of `size` events; `before` prepares the database first (untimed). */
async function floor(size: number, update: string, before?: (pool: mysql.Pool) => Promise<void>): Promise<FloorResult> {
  const db: { pool: mysql.Pool; drop(): Promise<void> } = await databaseWithEvents(size);
  try {
    await before?.(db.pool);
    const serverBefore = serverCpuMicros();
    const started = performance.now();
    const [header] = await db.pool.query<mysql.ResultSetHeader>(update);
    const elapsed = seconds(started);
    const serverCpu = cpuSince(serverBefore);
    if (header.affectedRows !== size) throw new Error(`the floor updated ${header.affectedRows} of ${size} events`);
    const [stored] = await db.pool.query('SELECT AVG(LENGTH(canonical_event)) AS length FROM events');
    return { rate: size / elapsed, cpuPerEvent: serverCpu === null ? null : serverCpu / size, storedLength: Number((stored as { length: string }[])[0]?.length), load: load() };
  } finally {
    await db.drop();
  }
}

const plainFloor = (size: number) =>
  floor(
    size,
    `UPDATE events SET canonical_event = JSON_OBJECT('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', JSON_EXTRACT(event_data, '$'), "}
  'normalized', JSON_OBJECT('meta.provider', integration_type))`,
  );

/** The floor with the runner's bytes: each row gets the runner's canonical event of its template, with its own event_id (and payload, unless omitted). */
const sameBytesFloor = (size: number) => {
  // A lookup by the templates' primary key per row, so the UPDATE scans the events once (a join let
  // MariaDB scan the events table once per template).
  const template = `(SELECT t.canonical FROM floor_templates AS t WHERE t.integration_type = e.integration_type AND t.event_type = e.event_type)`;
  const event = `JSON_SET(${template}, '$.event_id', e.id)`;
  return floor(
    size,
    `UPDATE events AS e SET e.canonical_event = ${canonicalPayload === 'omit' ? event : `JSON_SET(${event}, '$.payload', JSON_EXTRACT(e.event_data, '$'))`}`,
    async (pool) => {
      await pool.query('CREATE TABLE floor_templates (integration_type VARCHAR(100), event_type VARCHAR(255), canonical LONGTEXT NOT NULL, PRIMARY KEY (integration_type, event_type))');
      await pool.query('INSERT INTO floor_templates (integration_type, event_type, canonical) VALUES ?', [
        runnerTemplates.map((row) => [row.integration_type, row.event_type, typeof row.canonical === 'string' ? row.canonical : JSON.stringify(row.canonical)]),
      ]);
    },
  );
};

console.log(`Backfill on MySQL/MariaDB ${version} (${cpus().length} cores), N = ${fmt(total)} events built from ${templates.length} real payloads, canonicalPayload ${canonicalPayload}, load ${load()}`);
const results = [];
for (const size of sizes) {
  const result = await runner(size);
  results.push(result);
  console.log(`  runner on ${fmt(size)} events: ${fmt(result.rate)} events/s, peak RSS ${mb(result.maxRssKb)} (load ${result.load})`);
}
const inFlight = await runner(total, 1, 2);
console.log(`  runner, writesInFlight: 2, on ${fmt(total)} events: ${fmt(inFlight.rate)} events/s, peak RSS ${mb(inFlight.maxRssKb)} (load ${inFlight.load})`);
const withWorkers = await runner(total, workers);
console.log(`  runner, workers: ${workers}, on ${fmt(total)} events: ${fmt(withWorkers.rate)} events/s, peak RSS ${mb(withWorkers.maxRssKb)} (load ${withWorkers.load})`);
const floors = { plain: quick ? null : await plainFloor(total), same: await sameBytesFloor(total) };
const largest = results.at(-1)!;
const perEvent = (micros: number | null) => (micros === null ? 'n/a' : `${fmt(micros)} µs`);
console.table([
  ...[
    ['runner (apply, default batch size)', largest],
    ['runner, writesInFlight: 2', inFlight],
    [`runner, workers: ${workers} (--workers ${workers})`, withWorkers],
  ].map(([label, result]) => {
    const r = result as RunnerResult;
    return {
      '': label as string,
      'events/s': fmt(r.rate),
      [`${fmt(total)} events in`]: `${fmt(total / r.rate / 60, 1)} min`,
      'runner vs it': '',
      'stored bytes': fmt(r.storedLength),
      'CPU per event: Node + server': `${perEvent(r.cpu.runner / total)} + ${perEvent(r.cpu.server === null ? null : r.cpu.server / total)}`,
      load: r.load,
    };
  }),
  ...[
    ['floor (one set-based UPDATE)', floors.plain],
    ["floor with the runner's bytes (issue 15's)", floors.same],
  ]
    .filter(([, result]) => result !== null)
    .map(([label, result]) => {
      const f = result as FloorResult;
      return {
        '': label as string,
        'events/s': fmt(f.rate),
        [`${fmt(total)} events in`]: `${fmt(total / f.rate / 60, 1)} min`,
        'runner vs it': `${fmt(largest.rate / f.rate, 2)}× (writesInFlight: 2: ${fmt(inFlight.rate / f.rate, 2)}×, workers: ${workers}: ${fmt(withWorkers.rate / f.rate, 2)}×)`,
        'stored bytes': fmt(f.storedLength),
        'CPU per event: Node + server': perEvent(f.cpuPerEvent),
        load: f.load,
      };
    }),
]);
console.log(`runner peak RSS (child process; before the run: ${mb(results[0]!.maxRssBeforeRunKb)})`);
console.table(
  [...results, inFlight, withWorkers].map((r) => ({
    'table size': `${fmt(r.size)}${r.workers === 1 ? '' : `, workers: ${r.workers}`}${r.writesInFlight === 1 ? '' : `, writesInFlight: ${r.writesInFlight}`}`,
    'runner events/s': fmt(r.rate),
    'runner peak RSS': mb(r.maxRssKb),
    'V8 heap used / total (MB)': `${r.memory.heapUsed} / ${r.memory.heapTotal}`,
    'external (MB)': r.memory.external,
  })),
);
await admin.end();
