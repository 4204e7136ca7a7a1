/**
 * The event runner in a process of its own, as the package ships (the built dist, no TypeScript
 * loader), for the backfill bench's memory figures: applies the event migration with `resume:
 * true` through a pg Pool and prints one JSON line: the report, the peak RSS
 * (`process.resourceUsage().maxRSS`, kB) before and after the run, and the peaks of
 * `process.memoryUsage()` (MB) sampled after every batch and every 50 ms. With `timelineEvery: n`
 * it also prints `timeline`: the milliseconds since the start at which the run passed each
 * multiple of n rows, for the rate of each stretch of a long run. It also prints `cpu`: the
 * microseconds of CPU the run took in this process (`process.cpuUsage()`) and in the pool's
 * PostgreSQL backends (read from `/proc/<pid>/stat` of each backend, so only when the server runs
 * on this machine; `null` otherwise). The pool's connections are opened before the run and kept
 * open (no idle timeout), so every backend that does its work lives through the whole run.
 *
 *   node bench/runner-child.mjs '{"schema":"s","holder":"bench","tables":{"events":"events_10000"}}'
 */
import { runEventMigration } from '@app/migrate/core';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { createPostgresStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const connections = 2;
const pool = new pg.Pool({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: connections, idleTimeoutMillis: 0 });
/** Microseconds of CPU (user and system) a local process has used; null when its /proc entry cannot be read. */
const processCpuMicros = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks of 1/100 s (USER_HZ)
  } catch {
    return null;
  }
};
/** The pool's backends, opened now and kept open, with the CPU each has used so far. */
async function openBackends() {
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  try {
    const pids = await Promise.all(clients.map(async (client) => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
    return pids.map((pid) => ({ pid, cpu: processCpuMicros(pid) }));
  } finally {
    for (const client of clients) client.release();
  }
}
const backendCpuSince = (backends) => {
  let total = 0;
  for (const { pid, cpu } of backends) {
    const now = processCpuMicros(pid);
    if (now === null || cpu === null) return null;
    total += now - cpu;
  }
  return total;
};
const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const timeline = [];
let nextMark = options.timelineEvery ?? Number.POSITIVE_INFINITY;
const sample = () => {
  const now = process.memoryUsage();
  for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], Math.round(now[key] / 1048576));
};
try {
  const store = createPostgresStore({ client: pool, schema: options.schema, tables: options.tables });
  const maxRssBeforeRunKb = process.resourceUsage().maxRSS;
  const backends = await openBackends();
  const cpuBefore = process.cpuUsage();
  const timer = setInterval(sample, 50);
  const started = performance.now();
  const onProgress = (progress) => {
    sample();
    while (progress.processed >= nextMark) {
      timeline.push({ rows: nextMark, ms: Math.round(performance.now() - started) });
      nextMark += options.timelineEvery;
    }
  };
  const report = await runEventMigration({ store, apply: true, resume: true, batchSize: options.batchSize, holder: options.holder, canonicalPayload: options.canonicalPayload, onProgress });
  const ownCpu = process.cpuUsage(cpuBefore);
  const cpu = { runner: ownCpu.user + ownCpu.system, postgres: backendCpuSince(backends) };
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeRunKb, memory, timeline, cpu })}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
