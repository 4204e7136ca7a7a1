/**
 * Where a runner's wall time goes, on a fresh table of `BENCH_EVENTS` (100,000) real-payload
 * events: each batch's read and write timed from the runner's side (the store wrapped), the share
 * of the run's wall time a write was in flight, the median gap between two writes, and what the
 * runner's PostgreSQL backends were doing, sampled from `pg_stat_activity` every 10 ms (on CPU, or
 * the wait event). `WRITES_IN_FLIGHT=2` runs it with `writesInFlight: 2`.
 *
 *   WRITES_IN_FLIGHT=2 BENCH_EVENTS=50000 pnpm exec tsx bench/wall-time-trace.ts
 */
import pg from 'pg';
import { loadavg } from 'node:os';
import { runEventMigration } from '@app/migrate';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from '../test/fixtures/payload-events.js';
import { POSTGRES_URL } from '../test/harness.js';

const total = Number(process.env.BENCH_EVENTS ?? 100_000);
const inFlight = process.env.WRITES_IN_FLIGHT === '2' ? 2 : 1;
const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const schema = `wall_time_trace_${Date.now().toString(36)}`;
const s = quoteIdentifier(schema);
await admin.query(`CREATE SCHEMA ${s}`);
const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4, idleTimeoutMillis: 0 });
try {
  await createPostgresStore({ client: admin, schema, createLegacyTables: true }).ensureSchema();
  await insertPayloadEvents(admin, `${s}.events`, total, loadPayloadTemplates());
  await admin.query(`VACUUM ANALYZE ${s}.events`);
  await admin.query('CHECKPOINT');
  const base = createPostgresStore({ client: pool, schema });
  const spans: { kind: string; start: number; end: number; rows: number }[] = [];
  const t0 = performance.now();
  const store = Object.assign(Object.create(Object.getPrototypeOf(base)), base, {
    async readEventBatch(...args: Parameters<typeof base.readEventBatch>) {
      const start = performance.now();
      const rows = await base.readEventBatch(...args);
      spans.push({ kind: 'read', start: start - t0, end: performance.now() - t0, rows: rows.length });
      return rows;
    },
    async writeEventBatch(...args: Parameters<typeof base.writeEventBatch>) {
      const start = performance.now();
      const n = await base.writeEventBatch(...args);
      spans.push({ kind: 'write', start: start - t0, end: performance.now() - t0, rows: args[0].updates.length });
      return n;
    },
  });
  // What the backends of this run's statements are doing, every 10 ms.
  const states = new Map<string, number>();
  let sampling = true;
  const sampler = (async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    while (sampling) {
      const r = await c.query(`SELECT state, wait_event_type, wait_event, left(query, 30) AS q FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name = '' AND query LIKE '%${schema}%'`);
      for (const row of r.rows) {
        const what = row.q.startsWith('WITH lease') || row.q.startsWith('BEGIN') || row.q.startsWith('SELECT set_config') ? 'write' : row.q.startsWith('SELECT') ? 'read' : 'other';
        const key = `${what} ${row.state} ${row.wait_event_type ?? 'CPU'}:${row.wait_event ?? ''}`;
        states.set(key, (states.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await c.end();
  })();
  const cpuBefore = process.cpuUsage();
  const report = await runEventMigration({ store, apply: true, holder: 'trace', writesInFlight: inFlight });
  const cpu = process.cpuUsage(cpuBefore);
  sampling = false;
  await sampler;
  const writes = spans.filter((x) => x.kind === 'write');
  const reads = spans.filter((x) => x.kind === 'read');
  const wall = report.durationMs;
  const busy = writes.reduce((a, x) => a + x.end - x.start, 0);
  const gaps: number[] = [];
  for (let i = 1; i < writes.length; i++) gaps.push(writes[i]!.start - writes[i - 1]!.end);
  gaps.sort((a, b) => a - b);
  const med = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
  const wd = writes.map((x) => x.end - x.start).sort((a, b) => a - b);
  const rd = reads.map((x) => x.end - x.start).sort((a, b) => a - b);
  console.log(JSON.stringify({ total, inFlight, rate: Math.round(report.counts.processed / (wall / 1000)), wall, batches: writes.length, meanRows: Math.round(total / writes.length),
    writeBusyShare: +(busy / wall).toFixed(3), writeMedianMs: +med(wd).toFixed(1), readMedianMs: +med(rd).toFixed(1), gapMedianMs: +med(gaps).toFixed(2),
    nodeCpuPerEventUs: Math.round((cpu.user + cpu.system) / total), load: loadavg().map((x) => x.toFixed(2)).join(' ') }));
  const totalSamples = [...states.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of [...states.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v} (${((100 * v) / totalSamples).toFixed(1)} %)`);
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await pool.end();
  await admin.end();
}
