/**
 * What `status` and a no-op `--resume` cost on a finished events table on the real MySQL/MariaDB
 * server, at two table sizes: both must stay flat as the table grows (they used to read every
 * migrated canonical event: 10 s for `status` on 100k rows). `verify`'s exact count, which does
 * read every row, is printed beside them for scale. The table is filled set-based (events from the
 * 49 real payloads, then one `UPDATE` giving each a canonical event), then a completed checkpoint
 * is recorded, as a finished run leaves it. See adapter-postgres's `bench/startup-cost.ts`.
 *
 *   tsx bench/status-and-resume.bench.ts                   # 20,000 and 1,000,000 events
 *   BENCH_EVENTS=200000 tsx bench/status-and-resume.bench.ts
 *   BENCH_KEEP=1 tsx bench/status-and-resume.bench.ts      # keep the filled databases and reuse them next time
 *
 * With `BENCH_KEEP=1` each table is kept in database `bench_status_keep_<events>` and a later run
 * reuses it when it holds its finished run, instead of filling it again (minutes at 1,000,000
 * events). Drop them with `DROP DATABASE`.
 */
import { cpus, loadavg } from 'node:os';
import mysql from 'mysql2/promise';
import { eventId } from '../../adapter-postgres/test/fixtures/payload-events.js';
import { costColumns, measureStartup, recordFinishedRun } from '../../adapter-postgres/bench/startup-cost.js';
import { createMysqlStore } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from '../test/fixtures/mysql-payload-events.js';
import { MYSQL_URL, POOL_OPTIONS, createAdminPool, freshDatabase } from '../test/harness.js';

const largest = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const keep = process.env.BENCH_KEEP === '1';
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const admin = createAdminPool();
const [versionRows] = await admin.query('SELECT VERSION() AS v');
console.log(`status and a no-op --resume on a finished table: MySQL/MariaDB ${String((versionRows as { v: string }[])[0]?.v)}, Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')} (medians of 3)`);
const rows = [];
/** The kept database of `size` events (created when absent), or a fresh one. */
async function database(size: number) {
  if (!keep) return freshDatabase(admin, `bench_status_${size}`);
  const name = `bench_status_keep_${size}`;
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  const pool = mysql.createPool({ uri: url.href, ...POOL_OPTIONS });
  return { name, pool, drop: () => pool.end() };
}

for (const size of [...new Set([20_000, largest])].filter((n) => n <= largest)) {
  const db = await database(size);
  try {
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    const run = await store.readCheckpoint('events');
    let fillSeconds: number | null = null;
    if (!keep || run?.status !== 'completed' || run.cursor !== eventId(size) || run.counts.processed !== size || run.scope?.source !== (await store.sourceOf('events'))) {
      const started = performance.now();
      await db.pool.query('DELETE FROM events');
      await insertMysqlPayloadEvents(db.pool, size, templates);
      await db.pool.query(`UPDATE events SET canonical_event = JSON_OBJECT('event_id', id, 'provider', integration_type, 'payload', JSON_EXTRACT(event_data, '$'),
  'normalized', JSON_OBJECT('meta.provider', integration_type))`);
      await db.pool.query('ANALYZE TABLE events');
      fillSeconds = (performance.now() - started) / 1000;
      await recordFinishedRun(store, size, eventId(size));
    }
    const cost = await measureStartup(store);
    if (cost.status.migrated !== size || cost.status.remaining !== 0) throw new Error(`status says ${JSON.stringify(cost.status)} on ${size} migrated events`);
    rows.push({ events: fmt(size), ...costColumns(cost), 'filled in s': fillSeconds === null ? 'kept' : fmt(fillSeconds, 1) });
    await store.close();
  } finally {
    await db.drop();
  }
}
console.table(rows);
await admin.end();
