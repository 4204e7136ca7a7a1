/**
 * The event runner in a process of its own, as the package ships (the built dist, no TypeScript
 * loader, whose thread and compiler would count in the RSS), for the backfill bench's memory
 * figures: applies the event migration with `resume: true` through a mysql2 pool and prints one
 * JSON line: the report, the peak RSS (`process.resourceUsage().maxRSS`, kB) before and after the
 * run, the peaks of `process.memoryUsage()` (MB) sampled after every batch and every 50 ms, and
 * `cpu`: the microseconds of CPU the run took in this process (`process.cpuUsage()`).
 *
 *   node bench/runner-child.mjs '{"database":"bench_backfill_x","holder":"bench"}'
 */
import { runEventMigration } from '@app/migrate/core';
import mysql from 'mysql2/promise';
import { createMysqlStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const url = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
url.pathname = `/${options.database}`;
// The README's pool options (test/harness.ts), two connections: the batch written and the next one read.
const pool = mysql.createPool({ uri: url.href, supportBigNumbers: true, bigNumberStrings: true, connectionLimit: 2 });
const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const now = process.memoryUsage();
  for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], Math.round(now[key] / 1048576));
};
try {
  const store = createMysqlStore({ client: pool });
  const maxRssBeforeRunKb = process.resourceUsage().maxRSS;
  const timer = setInterval(sample, 50);
  const cpuBefore = process.cpuUsage();
  const report = await runEventMigration({ store, apply: true, resume: true, batchSize: options.batchSize, holder: options.holder, canonicalPayload: options.canonicalPayload, onProgress: sample });
  const used = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeRunKb, memory, cpu: used.user + used.system })}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
