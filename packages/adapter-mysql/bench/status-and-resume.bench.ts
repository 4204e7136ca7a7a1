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
 */
import { cpus } from 'node:os';
import { eventId } from '../../adapter-postgres/test/fixtures/payload-events.js';
import { measureStartup, recordFinishedRun } from '../../adapter-postgres/bench/startup-cost.js';
import { createMysqlStore } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from '../test/fixtures/mysql-payload-events.js';
import { createAdminPool, freshDatabase } from '../test/harness.js';

const largest = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const admin = createAdminPool();
const [versionRows] = await admin.query('SELECT VERSION() AS v');
console.log(`status and a no-op --resume on a finished table: MySQL/MariaDB ${String((versionRows as { v: string }[])[0]?.v)}, Node ${process.version}, ${cpus().length} cores (medians of 3)`);
const rows = [];
for (const size of [...new Set([20_000, largest])].filter((n) => n <= largest)) {
  const db = await freshDatabase(admin, `bench_status_${size}`);
  try {
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    const started = performance.now();
    await insertMysqlPayloadEvents(db.pool, size, templates);
    await db.pool.query(`UPDATE events SET canonical_event = JSON_OBJECT('event_id', id, 'provider', integration_type, 'payload', JSON_EXTRACT(event_data, '$'),
  'normalized', JSON_OBJECT('meta.provider', integration_type))`);
    await db.pool.query('ANALYZE TABLE events');
    const fillSeconds = (performance.now() - started) / 1000;
    await recordFinishedRun(store, size, eventId(size));
    const cost = await measureStartup(store);
    if (cost.status.migrated !== size || cost.status.remaining !== 0) throw new Error(`status says ${JSON.stringify(cost.status)} on ${size} migrated events`);
    rows.push({ events: fmt(size), 'status ms': fmt(cost.statusMs), 'no-op --resume ms': fmt(cost.resumeMs), "verify's exact count ms": fmt(cost.exactCountsMs), 'filled in s': fmt(fillSeconds, 1) });
    await store.close();
  } finally {
    await db.drop();
  }
}
console.table(rows);
await admin.end();
