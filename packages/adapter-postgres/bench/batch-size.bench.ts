/**
 * Batch size of the event migration against the real PostgreSQL server: migrates the same N
 * generated events (real provider payloads from examples/payloads) at each batch size and prints
 * events/s with the ratio against batches of 100 (the seed's size), measured in the same run.
 *
 *   pnpm bench            # 50k events, 2 rounds (the best round of each size counts)
 *   BENCH_EVENTS=200000 BENCH_ROUNDS=3 TEST_POSTGRES_URL=postgres://… pnpm bench
 */
import { readFileSync } from 'node:fs';
import { type MigrationStore, runEventMigration } from '@app/migrate';
import pg from 'pg';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';

const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const sizes = [100, 250, 500, 1000, 2000, 5000];

const fixtures = new URL('../../../examples/payloads/', import.meta.url);
const templates = [
  ['shopify', 'shopify/orders_create.json'],
  ['shopify', 'shopify/orders_paid.json'],
  ['stripe', 'stripe/checkout.session.completed.json'],
  ['stripe', 'stripe/charge.succeeded.json'],
  ['stripe', 'stripe/invoice.paid.json'],
  ['typeform', 'typeform/form_response.json'],
  ['calendly', 'calendly/invitee.created.json'],
  ['hubspot', 'hubspot/contact.json'],
  ['bigcommerce', 'bigcommerce/store.order.created.json'],
  ['zapier', 'useproof/custom_webhook.template.json'],
].map(([integrationType, file]) => ({ integration_type: integrationType, body: JSON.parse(readFileSync(new URL(file!, fixtures), 'utf8')) }));

const pool = new pg.Pool({ connectionString: url, max: 4 });
const schema = `bench_${Date.now().toString(36)}`;
const s = quoteIdentifier(schema);

/** Wraps a store to add up the time spent reading and writing batches (the rest is the runner: normalizing). */
function timedStore(store: MigrationStore) {
  const timed = { store: Object.create(store) as MigrationStore, readMs: 0, writeMs: 0 };
  timed.store.readEventBatch = async (...args) => {
    const t = performance.now();
    try {
      return await store.readEventBatch(...args);
    } finally {
      timed.readMs += performance.now() - t;
    }
  };
  timed.store.writeEventBatch = async (...args) => {
    const t = performance.now();
    try {
      return await store.writeEventBatch(...args);
    } finally {
      timed.writeMs += performance.now() - t;
    }
  };
  return timed;
}

async function main() {
  const store = createPostgresStore({ client: pool, schema });
  await store.ensureSchema();
  await pool.query(
    `INSERT INTO ${s}.events (id, integration_type, event_data, created_at)
     SELECT 'evt-' || lpad(i::text, 8, '0'), t.integration_type, t.body, now()
     FROM generate_series(1, $2::int) AS i
     JOIN jsonb_to_recordset($1::jsonb) AS t(n int, integration_type text, body jsonb) ON t.n = i % $3::int`,
    [JSON.stringify(templates.map((t, n) => ({ n, ...t }))), total, templates.length],
  );
  const size = await pool.query(`SELECT pg_size_pretty(pg_total_relation_size('${s}.events')) AS size`);
  console.log(`${total} events (${templates.length} real payload shapes, table ${size.rows[0].size}), PostgreSQL at ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`);

  const best = new Map<number, number>();
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither end of the list always runs on a warmer cache.
    for (const batchSize of round % 2 === 0 ? sizes : [...sizes].reverse()) {
      await pool.query(`UPDATE ${s}.events SET canonical_event = NULL`);
      await pool.query(`DELETE FROM ${s}.migration_runs`);
      await pool.query(`VACUUM ANALYZE ${s}.events`);
      const timed = timedStore(store);
      const started = performance.now();
      const report = await runEventMigration({ store: timed.store, apply: true, batchSize });
      const seconds = (performance.now() - started) / 1000;
      const share = (ms: number) => `${((ms / 10 / seconds)).toFixed(0)} %`;
      if (report.counts.written !== total) throw new Error(`batch ${batchSize}: wrote ${report.counts.written} of ${total}`);
      const rate = total / seconds;
      best.set(batchSize, Math.max(best.get(batchSize) ?? 0, rate));
      console.log(`  round ${round + 1}  batch ${String(batchSize).padStart(5)}: ${rate.toFixed(0).padStart(7)} events/s (${seconds.toFixed(2)} s; reads ${share(timed.readMs)}, writes ${share(timed.writeMs)}, the rest is normalizing)`);
    }
  }
  // A peer in the same run: the default size with lz4 instead of pglz compressing canonical_event.
  const lz4Store = createPostgresStore({ client: pool, schema, canonicalEventCompression: 'lz4' });
  await lz4Store.ensureSchema();
  let lz4Best = 0;
  for (let round = 0; round < rounds; round++) {
    await pool.query(`UPDATE ${s}.events SET canonical_event = NULL`);
    await pool.query(`DELETE FROM ${s}.migration_runs`);
    await pool.query(`VACUUM ANALYZE ${s}.events`);
    const started = performance.now();
    await runEventMigration({ store: lz4Store, apply: true, batchSize: 1000 });
    lz4Best = Math.max(lz4Best, total / ((performance.now() - started) / 1000));
  }
  const base = best.get(100)!;
  console.log(`\nbatch size   events/s   vs 100   (best of ${rounds} rounds)`);
  for (const batchSize of sizes) {
    const rate = best.get(batchSize)!;
    console.log(`${String(batchSize).padStart(10)} ${rate.toFixed(0).padStart(10)} ${`${(rate / base).toFixed(2)}x`.padStart(8)}`);
  }
  console.log(`1000 + lz4 ${lz4Best.toFixed(0).padStart(10)} ${`${(lz4Best / base).toFixed(2)}x`.padStart(8)}   (${(lz4Best / best.get(1000)!).toFixed(2)}x the default pglz at 1000)`);
}

try {
  await main();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await pool.end();
}
