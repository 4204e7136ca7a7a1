/**
 * What `status` and a no-op `--resume` cost on a finished events table, on the PostgreSQL server
 * and on PGlite, at two table sizes: both must stay flat as the table grows (issue: they read
 * every migrated canonical event). `verify`'s exact count, which does read every row, is printed
 * beside them for scale. The table is filled set-based (events from the 49 real payloads, then one
 * `UPDATE` giving each a canonical event), then a completed checkpoint is recorded, as a finished
 * run leaves it. See `startup-cost.ts` for what is timed.
 *
 *   tsx bench/status-and-resume.bench.ts                   # 100,000 and 1,000,000 events; PGlite 10,000 and 100,000
 *   BENCH_EVENTS=200000 BENCH_PGLITE_EVENTS=50000 tsx bench/status-and-resume.bench.ts
 */
import { cpus } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type PostgresQueryable, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { eventId, insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';
import { POSTGRES_URL, uniqueName } from '../test/harness.js';
import { measureStartup, recordFinishedRun } from './startup-cost.js';

const largest = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const pgliteLargest = Number(process.env.BENCH_PGLITE_EVENTS ?? 100_000);
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
type Queryable = PostgresQueryable;

/** A finished table of `count` events in a fresh schema of `db`, and its store. */
async function finishedTable(db: Queryable, client: pg.Pool | PGlite, count: number) {
  const schema = uniqueName('bench_status');
  const s = quoteIdentifier(schema);
  await db.query(`CREATE SCHEMA ${s}`);
  const store = createPostgresStore({ client, schema, createLegacyTables: true });
  await store.ensureSchema();
  const started = performance.now();
  await insertPayloadEvents(db, `${s}.events`, count, templates);
  await db.query(
    `UPDATE ${s}.events SET canonical_event = jsonb_build_object('event_id', id, 'provider', integration_type, 'payload', event_data, 'normalized', jsonb_build_object('meta.provider', integration_type))`,
  );
  await db.query(`VACUUM ANALYZE ${s}.events`);
  await recordFinishedRun(store, count, eventId(count));
  return { store, fillSeconds: (performance.now() - started) / 1000, drop: () => db.query(`DROP SCHEMA ${s} CASCADE`) };
}

async function measure(label: string, db: Queryable, client: pg.Pool | PGlite, sizes: number[]) {
  const rows = [];
  for (const size of sizes) {
    const table = await finishedTable(db, client, size);
    try {
      const cost = await measureStartup(table.store);
      if (cost.status.migrated !== size || cost.status.remaining !== 0) throw new Error(`status says ${JSON.stringify(cost.status)} on ${size} migrated events`);
      rows.push({ '': label, events: fmt(size), 'status ms': fmt(cost.statusMs), 'no-op --resume ms': fmt(cost.resumeMs), "verify's exact count ms": fmt(cost.exactCountsMs), 'filled in s': fmt(table.fillSeconds, 1) });
    } finally {
      await table.drop();
    }
  }
  return rows;
}

const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const version = String(((await pool.query('SHOW server_version')) as { rows: { server_version: string }[] }).rows[0]?.server_version);
console.log(`status and a no-op --resume on a finished table: PostgreSQL ${version} and PGlite, Node ${process.version}, ${cpus().length} cores (medians of 3)`);
const results = await measure('PostgreSQL', pool, pool, [...new Set([100_000, largest])].filter((n) => n <= largest));
await pool.end();
const lite = await PGlite.create();
results.push(...(await measure('PGlite', lite, lite, [...new Set([10_000, pgliteLargest])].filter((n) => n <= pgliteLargest))));
await lite.close();
console.table(results);
