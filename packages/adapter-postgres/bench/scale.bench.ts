/**
 * Whether the event backfill slows down as the table grows: the runner (apply, default batch
 * size, in a child process running the built package, bench/runner-child.mjs) on a table of
 * BENCH_BASE_EVENTS (1,000,000) events and then on one of BENCH_SCALE_EVENTS (10,000,000), both
 * built set-based from the 49 real payloads of examples/payloads/. It prints each run's time,
 * rate and peak RSS, the rate of every stretch of BENCH_BASE_EVENTS rows of the large run, and the
 * ratio of the large run's rate to the small one's (goal: within 10 %).
 *
 * Not part of `pnpm bench`: 10M events take about 35 GB of disk and most of an hour on 2 cores.
 *
 *   pnpm --filter @app/adapter-postgres bench:scale
 *   BENCH_BASE_EVENTS=100000 BENCH_SCALE_EVENTS=1000000 tsx bench/scale.bench.ts   # a quicker look
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { EventMigrationReport } from '@app/migrate';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';
import { POSTGRES_URL } from '../test/harness.js';

const base = Number(process.env.BENCH_BASE_EVENTS ?? 1_000_000);
const large = Number(process.env.BENCH_SCALE_EVENTS ?? 10_000_000);
if (!(Number.isSafeInteger(base) && Number.isSafeInteger(large) && base > 0 && large >= base)) {
  throw new Error('BENCH_BASE_EVENTS and BENCH_SCALE_EVENTS must be positive integers, the second at least the first');
}

const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const schema = `bench_scale_${Date.now().toString(36)}`;
const quotedSchema = quoteIdentifier(schema);
const table = (name: string) => `${quotedSchema}.${quoteIdentifier(name)}`;
const templates = loadPayloadTemplates();
const runnerChild = fileURLToPath(new URL('./runner-child.mjs', import.meta.url));

const format = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () => format(loadavg()[0]!, 1);

interface RunnerResult {
  report: EventMigrationReport;
  maxRssKb: number;
  memory: { heapUsed: number; heapTotal: number; external: number };
  timeline: { rows: number; ms: number }[];
}

async function createEventsTable(name: string, count: number): Promise<string> {
  await createPostgresStore({ client: pool, schema, tables: { events: name, runs: `runs_${name}` }, createLegacyTables: true }).ensureSchema();
  await insertPayloadEvents(pool, table(name), count, templates);
  await pool.query(`VACUUM ANALYZE ${table(name)}`);
  const size = await pool.query('SELECT pg_size_pretty(pg_total_relation_size($1::regclass)) AS size', [`${schema}.${name}`]);
  return size.rows[0].size as string;
}

function runRunner(name: string): Promise<RunnerResult> {
  const options = { schema, holder: 'bench', tables: { events: name, runs: `runs_${name}` }, timelineEvery: base };
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [runnerChild, JSON.stringify(options)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, stderr) =>
      error === null ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as RunnerResult) : reject(new Error(`the runner on ${name} failed: ${stderr || error.message}`)),
    ),
  );
}

async function measure(name: string, count: number): Promise<{ rate: number; result: RunnerResult }> {
  await pool.query('CHECKPOINT');
  const started = performance.now();
  const result = await runRunner(name);
  if (result.report.counts.written !== count) throw new Error(`the runner wrote ${result.report.counts.written} of ${count} events`);
  const rate = result.report.counts.processed / (result.report.durationMs / 1000);
  console.log(
    `  runner, ${format(count).padStart(10)} rows: ${format(rate).padStart(6)} events/s, ${format(seconds(started) / 60, 1)} min, ` +
      `peak RSS ${format(result.maxRssKb / 1024)} MB (V8 heap ${result.memory.heapUsed} MB used), load ${load()}`,
  );
  return { rate, result };
}

async function main() {
  const version = await pool.query('SHOW server_version');
  console.log(`scale: ${format(base)} and ${format(large)} events from ${templates.length} real payloads, PostgreSQL ${version.rows[0].server_version}, ${cpus().length} CPUs, Node ${process.version}, load ${load()}`);
  for (const count of [base, large]) {
    const started = performance.now();
    const size = await createEventsTable(`events_${count}`, count);
    console.log(`  setup: ${format(count)} rows inserted set-based in ${format(seconds(started) / 60, 1)} min (${size})`);
  }
  const small = await measure(`events_${base}`, base);
  const big = await measure(`events_${large}`, large);

  console.log(`\nrate of each stretch of ${format(base)} rows of the ${format(large)}-row run:`);
  let previous = { rows: 0, ms: 0 };
  for (const mark of big.result.timeline) {
    const rate = (mark.rows - previous.rows) / ((mark.ms - previous.ms) / 1000);
    console.log(`  rows ${format(previous.rows + 1).padStart(10)} to ${format(mark.rows).padStart(10)}: ${format(rate).padStart(6)} events/s`);
    previous = mark;
  }
  console.log(
    `\n${format(large)} events: ${format(big.result.report.durationMs / 60_000, 1)} min at ${format(big.rate)} events/s, peak RSS ${format(big.result.maxRssKb / 1024)} MB; ` +
      `${format(base)} events: ${format(small.rate)} events/s, peak RSS ${format(small.result.maxRssKb / 1024)} MB. ` +
      `Rate at ${format(large)} / rate at ${format(base)}: ${format(big.rate / small.rate, 2)}x (goal: 0.90x or more).`,
  );
}

try {
  await main();
} finally {
  if (process.env.BENCH_KEEP !== '1') await pool.query(`DROP SCHEMA IF EXISTS ${quotedSchema} CASCADE`);
  await pool.end();
}
