import { type MigrationProgress, runEventMigration } from '@app/migrate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createLegacyTables, createPool, uniqueName } from './harness.js';

const order = (n: number) =>
  `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;

// A physical replication slot reserved at once and read by no one is what a standby that stopped
// replaying leaves behind: the server keeps every byte of WAL written after the slot's position
// for it. The test plays the standby: it advances the slot (pg_replication_slot_advance) as a
// standby catching up would. Slots are the cluster's, so this one is dropped whatever happens.
describe.runIf(inject('postgresAvailable'))('throttling on replication lag, on the real PostgreSQL server', () => {
  const pool = createPool();
  const schema = uniqueName('throttle');
  const slot = uniqueName('test_throttle_slot');
  const s = quoteIdentifier(schema);

  beforeAll(async () => {
    // Slots a killed run of this test left: each would keep WAL on the machine for ever.
    await pool.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE 'test_throttle_slot%' AND NOT active");
    await pool.query(`CREATE SCHEMA ${s}`);
    await createLegacyTables(pool, schema);
    for (let n = 1; n <= 60; n++) await pool.query(`INSERT INTO ${s}.events (id, integration_type, event_data, created_at) VALUES ($1, 'shopify', $2::jsonb, now())`, [`evt-${String(n).padStart(2, '0')}`, order(n)]);
    await createPostgresStore({ client: pool, schema }).ensureSchema();
  });
  afterAll(async () => {
    await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool.end();
  });

  it('reads an idle slot as a replica with the WAL kept for it, which grows as the server writes', async () => {
    const store = createPostgresStore({ client: pool, schema });
    expect((await store.readDatabaseHealth()).replicas.find((replica) => replica.name === `slot ${slot}`)).toBeUndefined();
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    try {
      const before = (await store.readDatabaseHealth()).replicas.find((replica) => replica.name === `slot ${slot}`);
      expect(before).toMatchObject({ lagSeconds: null, lagBytes: expect.any(Number) });
      await pool.query(`CREATE TABLE ${s}.filler AS SELECT g, repeat('x', 200) AS text FROM generate_series(1, 2000) AS g`);
      const after = (await store.readDatabaseHealth()).replicas.find((replica) => replica.name === `slot ${slot}`);
      expect(after!.lagBytes!).toBeGreaterThan(before!.lagBytes! + 400_000);
    } finally {
      await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
    }
  });

  it('an applying run writes nothing while the slot is behind, and goes on once it is gone: every row written once', async () => {
    const store = createPostgresStore({ client: pool, schema });
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    // The store's reading, of this test's slot only: other slots of the machine's cluster are not the test's.
    const health = { readDatabaseHealth: async () => ({ replicas: (await store.readDatabaseHealth()).replicas.filter((replica) => replica.name === `slot ${slot}`) }) };
    const written = async () => (await pool.query(`SELECT count(*)::int AS n FROM ${s}.events WHERE canonical_event IS NOT NULL`)).rows[0].n as number;
    const paused: { reason: string; written: number }[] = [];
    let standby: Promise<unknown> = Promise.resolve();
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 20,
      // The lease and the first checkpoint, written before the first batch, are WAL the slot has not seen.
      throttle: { health, maxReplicationLagBytes: 1, pauseMs: 100 },
      onProgress: (progress: MigrationProgress) => {
        if (progress.paused === undefined) return;
        standby = standby.then(async () => {
          paused.push({ reason: progress.paused!, written: await written() });
          // After three readings the standby is taken away (as one rebuilt or removed would be).
          if (paused.length === 3) await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
        });
      },
    });
    await standby;
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 60, written: 60, failed: 0 }, throttle: { pauses: 1 } });
    expect(report.throttle!.pausedMs).toBeGreaterThanOrEqual(200);
    expect(paused.length).toBeGreaterThanOrEqual(3);
    expect(paused[0]!.reason).toMatch(new RegExp(`^replica slot ${slot} has [\\d.,]+ (bytes|MB) of log to apply \\(limit 1 byte\\)$`));
    // Three readings, 0.2 s and more, and not a row written.
    expect(paused.slice(0, 3).map((pause) => pause.written)).toEqual([0, 0, 0]);
    expect(await written()).toBe(60);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { written: 60 } });
  });
});
