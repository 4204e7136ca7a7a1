/**
 * What `status` and a no-op `--resume` cost on a finished events table, on the PostgreSQL server
 * and on PGlite, at two table sizes: both must stay flat as the table grows (issue 15: under 1 s
 * at 1,000,000 events). `verify`'s exact count, which does read every row, is printed beside them
 * as the peer measured in the same run (`status` as a fraction of it). The table is filled
 * set-based (events from the 49 real payloads, each with a canonical event),
 * then a completed checkpoint is recorded, as a finished run leaves it. See `startup-cost.ts` for
 * what is timed.
 *
 *   tsx bench/status-and-resume.bench.ts                   # 100,000 and 1,000,000 events; PGlite 10,000 and 1,000,000
 *   BENCH_EVENTS=200000 BENCH_PGLITE_EVENTS=50000 tsx bench/status-and-resume.bench.ts
 *   BENCH_KEEP=1 tsx bench/status-and-resume.bench.ts      # keep the filled tables and reuse them next time
 *
 * With `BENCH_KEEP=1` each table is kept (PostgreSQL: schema `bench_status_keep_<events>`;
 * PGlite: a data directory `app-bench-status-pglite` in the temporary directory) and a later run
 * reuses a kept table that holds its finished run, instead of filling it again (minutes at
 * 1,000,000 events). Drop them with `DROP SCHEMA … CASCADE` and by removing the directory.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type PostgresQueryable, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { eventId, loadPayloadTemplates } from '../test/fixtures/payload-events.js';
import { POSTGRES_URL, uniqueName } from '../test/harness.js';
import { costColumns, measureStartup, recordFinishedRun } from './startup-cost.js';

const largest = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const pgliteLargest = Number(process.env.BENCH_PGLITE_EVENTS ?? 1_000_000);
const keep = process.env.BENCH_KEEP === '1';
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
type Queryable = PostgresQueryable;

/** A finished table of `count` events in a fresh schema of `db` (or the kept one, reused when it holds its finished run), and its store. */
async function finishedTable(db: Queryable, client: pg.Pool | PGlite, count: number) {
  const schema = keep ? `bench_status_keep_${count}` : uniqueName('bench_status');
  const s = quoteIdentifier(schema);
  const drop = () => (keep ? Promise.resolve() : db.query(`DROP SCHEMA ${s} CASCADE`));
  if (keep) {
    const found = await db.query(`SELECT to_regclass($1::text) IS NOT NULL AS found`, [`${s}.migration_runs`]);
    if ((found.rows[0] as { found: boolean }).found) {
      const store = createPostgresStore({ client, schema, createLegacyTables: true });
      await store.ensureSchema();
      const run = await store.readCheckpoint('events');
      if (run?.status === 'completed' && run.cursor === eventId(count) && run.counts.processed === count && run.scope?.source === (await store.sourceOf('events'))) return { store, fillSeconds: null, drop };
    }
    await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  }
  await db.query(`CREATE SCHEMA ${s}`);
  const store = createPostgresStore({ client, schema, createLegacyTables: true });
  await store.ensureSchema();
  const started = performance.now();
  // As insertPayloadEvents of the test fixtures, with each canonical event written by the same INSERT (half the writes of an UPDATE after it).
  const rows = JSON.stringify(templates.map((template, n) => ({ n, ...template })));
  for (let first = 1; first <= count; first += 100_000) {
    await db.query(
      `INSERT INTO ${s}.events (id, integration_type, event_type, event_data, created_at, canonical_event)
SELECT k.id, t.integration_type, t.event_type, t.body, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second',
  jsonb_build_object('event_id', k.id, 'provider', t.integration_type, 'payload', t.body, 'normalized', jsonb_build_object('meta.provider', t.integration_type))
FROM generate_series($2::int, $3::int) AS i
CROSS JOIN LATERAL (SELECT 'evt-' || lpad(i::text, 8, '0') AS id) AS k
JOIN jsonb_to_recordset($1::jsonb) AS t(n int, integration_type text, event_type text, body jsonb) ON t.n = i % $4::int`,
      [rows, first, Math.min(count, first + 99_999), templates.length],
    );
  }
  await db.query(`VACUUM ANALYZE ${s}.events`);
  await recordFinishedRun(store, count, eventId(count));
  return { store, fillSeconds: (performance.now() - started) / 1000, drop };
}

async function measure(label: string, db: Queryable, client: pg.Pool | PGlite, sizes: number[]) {
  const rows = [];
  for (const size of sizes) {
    const table = await finishedTable(db, client, size);
    try {
      const cost = await measureStartup(table.store);
      if (cost.status.migrated !== size || cost.status.remaining !== 0) throw new Error(`status says ${JSON.stringify(cost.status)} on ${size} migrated events`);
      rows.push({ '': label, events: fmt(size), ...costColumns(cost), 'filled in s': table.fillSeconds === null ? 'kept' : fmt(table.fillSeconds, 1) });
    } finally {
      await table.drop();
    }
  }
  return rows;
}

const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const version = String(((await pool.query('SHOW server_version')) as { rows: { server_version: string }[] }).rows[0]?.server_version);
console.log(`status and a no-op --resume on a finished table: PostgreSQL ${version} and PGlite, Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')} (medians of 3)`);
const results = await measure('PostgreSQL', pool, pool, [...new Set([100_000, largest])].filter((n) => n <= largest));
await pool.end();
const lite = await PGlite.create(keep ? join(tmpdir(), 'app-bench-status-pglite') : undefined);
results.push(...(await measure('PGlite', lite, lite, [...new Set([10_000, pgliteLargest])].filter((n) => n <= pgliteLargest))));
await lite.close();
console.table(results);
