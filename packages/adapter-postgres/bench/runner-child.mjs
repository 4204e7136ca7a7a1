/**
 * The event runner in a process of its own, as the package ships (the built dist, no TypeScript
 * loader), for the backfill bench's memory figures: applies the event migration with `resume:
 * true` through a pg Pool and prints one JSON line: the report, the peak RSS
 * (`process.resourceUsage().maxRSS`, kB) before and after the run, and the peaks of
 * `process.memoryUsage()` (MB) sampled after every batch and every 50 ms. With `timelineEvery: n`
 * it also prints `timeline`: the milliseconds since the start at which the run passed each
 * multiple of n rows, for the rate of each stretch of a long run.
 *
 *   node bench/runner-child.mjs '{"schema":"s","holder":"bench","tables":{"events":"events_10000"}}'
 */
import { runEventMigration } from '@app/migrate/core';
import pg from 'pg';
import { createPostgresStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const pool = new pg.Pool({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 2 });
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
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeRunKb, memory, timeline })}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
