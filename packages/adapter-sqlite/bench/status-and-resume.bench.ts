/**
 * What `status` and a no-op `--resume` cost on a finished events table in a SQLite file, at two
 * table sizes: both must stay flat as the table grows. `verify`'s exact count, which does read
 * every row, is printed beside them for scale. The table is filled set-based (events from the 49
 * real payloads, each with a canonical event), then a completed checkpoint is recorded, as a
 * finished run leaves it. See adapter-postgres's `bench/startup-cost.ts`.
 *
 *   tsx bench/status-and-resume.bench.ts                   # 100,000 and 1,000,000 events
 *   BENCH_EVENTS=200000 tsx bench/status-and-resume.bench.ts
 *   BENCH_KEEP=1 tsx bench/status-and-resume.bench.ts      # keep the filled files and reuse them next time
 *
 * With `BENCH_KEEP=1` each table is kept in `app-bench-status-<events>.db` in the temporary
 * directory and a later run reuses it when it holds its finished run, instead of filling it again.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventId, loadPayloadTemplates } from '../../adapter-postgres/test/fixtures/payload-events.js';
import { costColumns, measureStartup, recordFinishedRun } from '../../adapter-postgres/bench/startup-cost.js';
import type { MigrationStore } from '@app/migrate';
import { createSqliteStore } from '../src/index.js';
import { temporaryDatabase } from '../test/harness.js';

const largest = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const keep = process.env.BENCH_KEEP === '1';
const templates = loadPayloadTemplates();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The kept file of `size` events; `remove` only closes it. */
function keptDatabase(size: number) {
  const file = join(tmpdir(), `app-bench-status-${size}.db`);
  const database = new Database(file);
  return { database, file, remove: () => database.close() };
}

async function measured(store: MigrationStore, size: number, fillSeconds: number | null) {
  const cost = await measureStartup(store);
  if (cost.status.migrated !== size || cost.status.remaining !== 0) throw new Error(`status says ${JSON.stringify(cost.status)} on ${size} migrated events`);
  return { events: fmt(size), ...costColumns(cost), 'filled in s': fillSeconds === null ? 'kept' : fmt(fillSeconds, 1) };
}

console.log(`status and a no-op --resume on a finished table: SQLite (better-sqlite3), Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')} (medians of 3)`);
const rows = [];
for (const size of [...new Set([100_000, largest])].filter((n) => n <= largest)) {
  const db = keep ? keptDatabase(size) : temporaryDatabase();
  try {
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    await store.ensureSchema();
    const run = await store.readCheckpoint('events');
    if (keep && run?.status === 'completed' && run.cursor === eventId(size) && run.counts.processed === size && run.scope?.source === (await store.sourceOf('events'))) {
      rows.push(await measured(store, size, null));
      continue;
    }
    db.database.exec('DELETE FROM events');
    const started = performance.now();
    db.database.exec('CREATE TEMP TABLE templates (n INTEGER PRIMARY KEY, integration_type TEXT, event_type TEXT, body TEXT)');
    const template = db.database.prepare('INSERT INTO templates VALUES (?, ?, ?, ?)');
    templates.forEach((t, n) => template.run(n, t.integration_type, t.event_type, JSON.stringify(t.body)));
    db.database
      .prepare(
        `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
INSERT INTO events (id, integration_type, event_type, event_data, created_at, canonical_event)
SELECT 'evt-' || printf('%08d', i), t.integration_type, t.event_type, t.body, '2026-01-01T00:00:00Z',
  json_object('event_id', 'evt-' || printf('%08d', i), 'provider', t.integration_type, 'payload', json(t.body), 'normalized', json_object('meta.provider', t.integration_type))
FROM s JOIN templates AS t ON t.n = s.i % ?`,
      )
      .run(size, templates.length);
    db.database.exec('ANALYZE');
    const fillSeconds = (performance.now() - started) / 1000;
    await recordFinishedRun(store, size, eventId(size));
    rows.push(await measured(store, size, fillSeconds));
  } finally {
    db.remove();
  }
}
console.table(rows);
