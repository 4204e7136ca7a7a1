/**
 * The event runner in a process of its own, as the package ships (the built dist, no TypeScript
 * loader), for the backfill bench's memory figures: applies the event migration to a SQLite file
 * and prints one JSON line: the report, the peak RSS (`process.resourceUsage().maxRSS`, kB) before
 * and after the run, and the peaks of `process.memoryUsage()` (MB) sampled after every batch and
 * every 50 ms, and `cpu`: the microseconds of CPU the run took in this process
 * (`process.cpuUsage()`). SQLite works in this process, so its page cache and its CPU count here too.
 *
 *   node bench/runner-child.mjs '{"file":"/tmp/…/test.db"}'
 */
import { runEventMigration } from '@app/migrate/core';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const database = new Database(options.file);
const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const now = process.memoryUsage();
  for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], Math.round(now[key] / 1048576));
};
try {
  const store = createSqliteStore({ database });
  const maxRssBeforeRunKb = process.resourceUsage().maxRSS;
  const timer = setInterval(sample, 50);
  const cpuBefore = process.cpuUsage();
  const report = await runEventMigration({ store, apply: true, batchSize: options.batchSize, canonicalPayload: options.canonicalPayload, onProgress: sample });
  const used = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ report, maxRssKb: process.resourceUsage().maxRSS, maxRssBeforeRunKb, memory, cpu: used.user + used.system })}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  database.close();
}
