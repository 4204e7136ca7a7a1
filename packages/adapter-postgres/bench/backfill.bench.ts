/**
 * The event backfill against the real PostgreSQL server, side by side in one run with the seed's
 * approach and with the floor of doing it all inside PostgreSQL:
 *
 * - the runner (apply, default batch size) in a child process running the built package
 *   (bench/runner-child.mjs, no TypeScript loader), on tables of 10k, 100k and N events: events/s
 *   and the child's peak RSS (`process.resourceUsage().maxRSS`), which must stay flat as the table
 *   grows, with the peaks of `process.memoryUsage()` (where the memory goes);
 * - the seed's approach: pages of `WHERE canonical_event IS NULL ORDER BY id OFFSET $n LIMIT 100`
 *   and one UPDATE per row, normalizing with the same normalizer, on a sample, scaled to N;
 * - the floor: one set-based `UPDATE … SET canonical_event = jsonb_build_object(…)`, whose
 *   `normalized` is one field: it writes fewer bytes than the runner;
 * - the floor with the runner's bytes: one set-based UPDATE writing, for each row, the canonical
 *   event the runner wrote for the first row of the same payload template (its `event_id` and
 *   payload the row's own), so the same rows get events of the runner's size; the average stored
 *   size of each is printed. This is the floor of issue 15's ratio: the same rows, the same bytes;
 * - the runner with `writesInFlight: 2` (the next batch's write sent while the previous one is
 *   written, one checkpoint) on its own table of N events;
 * - the runner with `workers: 2` (`--workers 2`: two shards of the table side by side, each its own
 *   writer, so the database's second core writes too) on its own table of N events, after the
 *   default runner and before the floors, its ratio printed beside the default's.
 *
 * With the server on this machine it also prints the CPU each spent per event, which the load of
 * other jobs inflates far less than the rates: the runner's own process and its PostgreSQL
 * backends (bench/runner-child.mjs), and the floors' backend (`/proc/<pid>/stat`).
 *
 * Events repeat the 49 real payloads of examples/payloads/, inserted set-based.
 *
 *   pnpm --filter @app/adapter-postgres bench      # both benches; this one on 1,000,000 events
 *   BENCH_EVENTS=200000 BENCH_SEED_SAMPLE=20000 TEST_POSTGRES_URL=postgres://… tsx bench/backfill.bench.ts
 *   BENCH_CANONICAL_PAYLOAD=omit …                   # the runner with canonicalPayload 'omit', the floor without payload
 *   BENCH_WORKERS=4 …                                # the second runner with 4 workers (2 by default)
 *   BENCH_QUICK=1 …                                  # N only: no 10k and 100k runs, no seed, no plain floor (issue 15's ratios in about half the time)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import pg from 'pg';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';
import type { EventMigrationReport } from '@app/migrate';
import { POSTGRES_URL } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const canonicalPayload = process.env.BENCH_CANONICAL_PAYLOAD === 'omit' ? 'omit' : 'copy';
const quick = process.env.BENCH_QUICK === '1';
const seedSample = Math.min(Number(process.env.BENCH_SEED_SAMPLE ?? 20_000), total);
const sizes = [...new Set(quick ? [total] : [10_000, 100_000, total])].filter((size) => size <= total).sort((a, b) => a - b);
/** The workers of the second runner at N events (`BENCH_WORKERS`, 2 by default). */
const workers = Number(process.env.BENCH_WORKERS ?? 2);

interface EventNormalizer {
  normalizeEvent(row: unknown): { success: true; data: unknown } | { success: false };
}
// The runner's normalizer, for the seed's approach: @app/canonical-events is a dependency of
// @app/migrate, not of this package, so it is loaded from where @app/migrate finds it.
const requireFromMigrate = createRequire(createRequire(import.meta.url).resolve('@app/migrate'));
const { defaultRegistry } = requireFromMigrate('@app/canonical-events') as { defaultRegistry: EventNormalizer };

const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const schema = `bench_backfill_${Date.now().toString(36)}`;
const s = quoteIdentifier(schema);
const table = (name: string) => `${s}.${quoteIdentifier(name)}`;
const templates = loadPayloadTemplates();

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (kb: number) => `${fmt(kb / 1024)} MB`;
const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () => fmt(loadavg()[0]!, 1);

/** Microseconds of CPU a local process has used (user and system), or null when its /proc entry cannot be read (a remote server). */
function processCpuMicros(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks of 1/100 s (USER_HZ)
  } catch {
    return null;
  }
}

/** Runs one statement on a connection of its own: its duration, rows, and the CPU its backend spent (null for a remote server). */
async function onOwnBackend(text: string): Promise<{ seconds: number; rowCount: number; cpuMicros: number | null }> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const before = processCpuMicros(pid);
    const started = performance.now();
    const result = await client.query(text);
    const elapsed = seconds(started);
    const after = processCpuMicros(pid);
    return { seconds: elapsed, rowCount: result.rowCount ?? 0, cpuMicros: before === null || after === null ? null : after - before };
  } finally {
    await client.end();
  }
}

/** A fresh table of `count` events needing the migration, laid out as ensureSchema lays out `events`. */
async function createEventsTable(name: string, count: number, runs = `runs_${name}`): Promise<void> {
  await createPostgresStore({ client: pool, schema, tables: { events: name, runs }, createLegacyTables: true }).ensureSchema();
  await insertPayloadEvents(pool, table(name), count, templates);
  await pool.query(`VACUUM ANALYZE ${table(name)}`);
}

/** Starts a measurement with no dirty pages of the previous phase left to write. */
const settle = () => pool.query('CHECKPOINT');

interface RunnerResult {
  size: number;
  workers: number;
  writesInFlight: 1 | 2;
  rate: number;
  maxRssKb: number;
  maxRssBeforeRunKb: number;
  /** Peaks of process.memoryUsage() in MB. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** CPU microseconds of the run: the runner's process, and its PostgreSQL backends (null for a remote server). */
  cpu: { runner: number; server: number | null };
  /** The load average (1 min) when the run ended. */
  load: string;
}

const runnerChild = fileURLToPath(new URL('./runner-child.mjs', import.meta.url));

async function measureRunner(size: number, workerCount = 1, writesInFlight: 1 | 2 = 1): Promise<RunnerResult> {
  await settle();
  const name = writesInFlight === 2 ? `events_in_flight_${size}` : workerCount === 1 ? `events_${size}` : `events_workers_${size}`;
  const options = { schema, holder: 'bench', canonicalPayload, workers: workerCount, writesInFlight, tables: { events: name, runs: `runs_${name}` } };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [runnerChild, JSON.stringify(options)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) =>
      error === null ? resolve(out) : reject(new Error(`the runner on ${size} events failed: ${stderr || error.message}`)),
    ),
  );
  const { report, maxRssKb, maxRssBeforeRunKb, memory, cpu } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<RunnerResult, 'size' | 'workers' | 'rate' | 'load'> & {
    report: EventMigrationReport;
  };
  if (report.counts.written !== size) throw new Error(`the runner wrote ${report.counts.written} of ${size} events`);
  return { size, workers: workerCount, writesInFlight, rate: report.counts.processed / (report.durationMs / 1000), maxRssKb, maxRssBeforeRunKb, memory, cpu, load: load() };
}

/** The seed's loop: OFFSET pages of 100 over the shrinking `canonical_event IS NULL` set, one UPDATE per row. */
async function measureSeedApproach(name: string): Promise<{ rate: number; written: number; leftBehind: number }> {
  await settle();
  // One dedicated connection: kinder to the seed than its HTTP round trip per call.
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    let offset = 0;
    let written = 0;
    const started = performance.now();
    for (;;) {
      const page = await client.query(
        `SELECT id, integration_type, event_type, event_data, created_at FROM ${table(name)} WHERE canonical_event IS NULL ORDER BY id OFFSET $1 LIMIT 100`,
        [offset],
      );
      if (page.rows.length === 0) break;
      for (const row of page.rows) {
        const result = defaultRegistry.normalizeEvent(row);
        if (!result.success) continue;
        await client.query(`UPDATE ${table(name)} SET canonical_event = $2::jsonb WHERE id = $1`, [row.id, JSON.stringify(result.data)]);
        written++;
      }
      offset += 100;
    }
    const elapsed = seconds(started);
    const left = await client.query(`SELECT count(*)::int AS n FROM ${table(name)} WHERE canonical_event IS NULL`);
    return { rate: written / elapsed, written, leftBehind: left.rows[0].n as number };
  } finally {
    await client.end();
  }
}

/** A floor's rate, the CPU its backend spent per event (null for a remote server), and the load (1 min) when it ended. */
interface FloorResult {
  rate: number;
  cpuPerEvent: number | null;
  load: string;
}

async function measureFloor(name: string, count: number): Promise<FloorResult> {
  await settle();
  const result = await onOwnBackend(
    `UPDATE ${table(name)} SET canonical_event = jsonb_build_object('event_id', id, 'provider', integration_type, ${canonicalPayload === 'omit' ? '' : "'payload', event_data, "}'normalized', jsonb_build_object('meta.provider', integration_type))`,
  );
  if (result.rowCount !== count) throw new Error(`the floor updated ${result.rowCount} of ${count} events`);
  return { rate: count / result.seconds, cpuPerEvent: result.cpuMicros === null ? null : result.cpuMicros / count, load: load() };
}

/**
 * The floor with the runner's bytes: the runner's canonical event of each payload template (from
 * the table it migrated), written to every row of that template with the row's own `event_id`
 * (and payload, unless omitted), in one set-based UPDATE.
 */
async function measureSameBytesFloor(name: string, count: number, migrated: string): Promise<FloorResult> {
  const templatesTable = table('floor_templates');
  await pool.query(
    `CREATE TABLE ${templatesTable} AS SELECT DISTINCT ON (integration_type, event_type) integration_type, event_type, canonical_event - 'payload' AS canonical
FROM ${table(migrated)} WHERE canonical_event IS NOT NULL ORDER BY integration_type, event_type, id`,
  );
  await settle();
  const event = `tpl.canonical || jsonb_build_object('event_id', t.id)`;
  const result = await onOwnBackend(
    `UPDATE ${table(name)} AS t SET canonical_event = ${canonicalPayload === 'omit' ? event : `jsonb_set(${event}, '{payload}', t.event_data)`}
FROM ${templatesTable} AS tpl WHERE tpl.integration_type = t.integration_type AND tpl.event_type IS NOT DISTINCT FROM t.event_type`,
  );
  if (result.rowCount !== count) throw new Error(`the floor with the runner's bytes updated ${result.rowCount} of ${count} events`);
  return { rate: count / result.seconds, cpuPerEvent: result.cpuMicros === null ? null : result.cpuMicros / count, load: load() };
}

/** The average stored size (`pg_column_size`, after TOAST compression) of the canonical events of a table. */
async function storedSize(name: string): Promise<number> {
  const result = await pool.query(`SELECT avg(pg_column_size(canonical_event))::int AS size FROM ${table(name)}`);
  return result.rows[0].size as number;
}

async function main() {
  const version = await pool.query('SHOW server_version');
  console.log(
    `backfill: ${fmt(total)} events from ${templates.length} real payloads, PostgreSQL ${version.rows[0].server_version}, ${cpus().length} CPUs, Node ${process.version}, canonicalPayload ${canonicalPayload}, load ${load()}`,
  );

  let started = performance.now();
  for (const size of sizes) await createEventsTable(`events_${size}`, size);
  await createEventsTable(`events_workers_${total}`, total);
  await createEventsTable(`events_in_flight_${total}`, total);
  if (!quick) await createEventsTable('events_seed', seedSample);
  if (!quick) await createEventsTable('events_floor', total);
  await createEventsTable('events_floor_same', total);
  const bytes = await pool.query(`SELECT pg_size_pretty(pg_total_relation_size($1::regclass)) AS size`, [`${schema}.events_${total}`]);
  const inserted = sizes.reduce((a, b) => a + b, 0) + (quick ? 3 * total : seedSample + 4 * total);
  console.log(`setup: ${fmt(inserted)} rows inserted set-based in ${fmt(seconds(started), 1)} s (the ${fmt(total)}-row table: ${bytes.rows[0].size})`);

  const runner: RunnerResult[] = [];
  for (const size of sizes) {
    started = performance.now();
    const result = await measureRunner(size);
    runner.push(result);
    console.log(`  runner, ${fmt(size).padStart(9)} rows: ${fmt(result.rate).padStart(7)} events/s, peak RSS ${mb(result.maxRssKb)} (${fmt(seconds(started), 1)} s, load ${result.load})`);
  }
  started = performance.now();
  const inFlight = await measureRunner(total, 1, 2);
  console.log(`  runner, writesInFlight: 2, ${fmt(total)} rows: ${fmt(inFlight.rate)} events/s, peak RSS ${mb(inFlight.maxRssKb)} (${fmt(seconds(started), 1)} s, load ${inFlight.load})`);
  started = performance.now();
  const withWorkers = await measureRunner(total, workers);
  console.log(`  runner, workers: ${workers}, ${fmt(total)} rows: ${fmt(withWorkers.rate)} events/s, peak RSS ${mb(withWorkers.maxRssKb)} (${fmt(seconds(started), 1)} s, load ${withWorkers.load})`);
  started = performance.now();
  const seed = quick ? null : await measureSeedApproach('events_seed');
  if (seed !== null) console.log(`  seed approach, ${fmt(seedSample)}-row sample: ${fmt(seed.rate)} events/s (${fmt(seconds(started), 1)} s)`);
  started = performance.now();
  const floor = quick ? null : await measureFloor('events_floor', total);
  if (floor !== null) console.log(`  floor, ${fmt(total)} rows: ${fmt(floor.rate)} events/s (${fmt(seconds(started), 1)} s, load ${floor.load})`);
  started = performance.now();
  const sameBytesFloor = await measureSameBytesFloor('events_floor_same', total, `events_${total}`);
  console.log(`  floor with the runner's bytes, ${fmt(total)} rows: ${fmt(sameBytesFloor.rate)} events/s (${fmt(seconds(started), 1)} s, load ${sameBytesFloor.load})`);
  const stored = { runner: await storedSize(`events_${total}`), floor: floor === null ? null : await storedSize('events_floor'), same: await storedSize('events_floor_same') };

  const atTotal = runner.at(-1)!;
  const minutes = (rate: number) => `${fmt(total / rate / 60, 1)} min`;
  console.log(`\n${fmt(total)} events                                      events/s   time for ${fmt(total)}   runner is`);
  console.log(`runner (apply, default batch size)              ${fmt(atTotal.rate).padStart(9)}   ${minutes(atTotal.rate).padStart(12)}`);
  console.log(`runner, writesInFlight: 2                        ${fmt(inFlight.rate).padStart(9)}   ${minutes(inFlight.rate).padStart(12)}`);
  console.log(`runner, workers: ${workers} (--workers ${workers})                ${fmt(withWorkers.rate).padStart(9)}   ${minutes(withWorkers.rate).padStart(12)}`);
  if (seed !== null) {
    console.log(`seed: OFFSET pages of 100, UPDATE per row       ${fmt(seed.rate).padStart(9)}   ${minutes(seed.rate).padStart(12)}   ${fmt(atTotal.rate / seed.rate, 1)}x faster (scaled from ${fmt(seedSample)} rows)`);
  }
  if (floor !== null) {
    console.log(`floor: one set-based UPDATE in PostgreSQL       ${fmt(floor.rate).padStart(9)}   ${minutes(floor.rate).padStart(12)}   ${fmt(atTotal.rate / floor.rate, 2)}x the floor's speed`);
  }
  console.log(`floor with the runner's bytes (issue 15's)      ${fmt(sameBytesFloor.rate).padStart(9)}   ${minutes(sameBytesFloor.rate).padStart(12)}   ${fmt(atTotal.rate / sameBytesFloor.rate, 2)}x its speed`);
  console.log(`  the same floor against the runner with writesInFlight: 2: ${fmt(inFlight.rate / sameBytesFloor.rate, 2)}x its speed`);
  console.log(`  the same floor against the runner with workers: ${workers}: ${fmt(withWorkers.rate / sameBytesFloor.rate, 2)}x its speed`);
  console.log(
    `canonical_event stored size (avg pg_column_size): runner ${fmt(stored.runner)} B, ${stored.floor === null ? '' : `floor ${fmt(stored.floor)} B, `}floor with the runner's bytes ${fmt(stored.same)} B`,
  );
  if (atTotal.cpu.server !== null && sameBytesFloor.cpuPerEvent !== null) {
    const perEvent = (micros: number) => `${fmt(micros / total)} µs`;
    const runnerCpu = atTotal.cpu.runner + atTotal.cpu.server;
    console.log(`\nCPU per event, ${fmt(total)} events (the load inflates it far less than the rates)`);
    console.log(`runner: its process ${perEvent(atTotal.cpu.runner)}, its PostgreSQL backends ${perEvent(atTotal.cpu.server)}, together ${perEvent(runnerCpu)}`);
    if (inFlight.cpu.server !== null) {
      console.log(
        `runner, writesInFlight: 2: its process ${perEvent(inFlight.cpu.runner)}, its PostgreSQL backends ${perEvent(inFlight.cpu.server)}, together ${perEvent(inFlight.cpu.runner + inFlight.cpu.server)}`,
      );
    }
    if (withWorkers.cpu.server !== null) {
      console.log(
        `runner, workers: ${workers}: its process ${perEvent(withWorkers.cpu.runner)}, its PostgreSQL backends ${perEvent(withWorkers.cpu.server)}, together ${perEvent(withWorkers.cpu.runner + withWorkers.cpu.server)}`,
      );
    }
    console.log(
      `${floor?.cpuPerEvent == null ? '' : `floor: ${fmt(floor.cpuPerEvent)} µs; `}floor with the runner's bytes: ${fmt(sameBytesFloor.cpuPerEvent)} µs (${fmt((sameBytesFloor.cpuPerEvent * total) / runnerCpu, 2)}x the runner's CPU)`,
    );
  }
  console.log(`\nrunner peak RSS (child process; before the run: ${mb(runner[0]!.maxRssBeforeRunKb)})`);
  for (const result of [...runner, inFlight, withWorkers]) {
    const m = result.memory;
    console.log(
      `${fmt(result.size).padStart(10)} rows${result.workers === 1 ? '' : `, workers: ${result.workers}`}${result.writesInFlight === 1 ? '' : `, writesInFlight: ${result.writesInFlight}`} ${mb(result.maxRssKb).padStart(9)}   ${fmt(result.rate).padStart(7)} events/s   ` +
        `peaks: V8 heap ${m.heapUsed} MB used of ${m.heapTotal} MB, external ${m.external} MB (array buffers ${m.arrayBuffers} MB)`,
    );
  }
  if (seed !== null) {
    console.log(
      `\nThe seed's OFFSET pages skipped rows: its loop ended with ${fmt(seed.written)} of ${fmt(seedSample)} rows written and ${fmt(seed.leftBehind)} left behind ` +
        '(each page of updates shrinks the filtered set under the offset). Its rate is per row written and scaled linearly, ' +
        'which flatters it: OFFSET re-scans every skipped row, so its pages slow down as the offset grows.',
    );
  }
}

try {
  await main();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await pool.end();
}
