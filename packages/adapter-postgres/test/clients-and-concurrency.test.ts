import { PGlite } from '@electric-sql/pglite';
import { LeaseLostError, type MigrationStore, runEventMigration } from '@app/migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresStoreError, createPostgresStore, detectClientKind, quoteIdentifier } from '../src/index.js';
import { POSTGRES_URL, createPool, uniqueName } from './harness.js';

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('the real PostgreSQL server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  /** A fresh schema with `count` zapier events, ready to migrate. */
  async function freshEvents(count: number): Promise<string> {
    const schema = uniqueName('concurrency');
    schemas.push(schema);
    await createPostgresStore({ client: pool, createLegacyTables: true, schema }).ensureSchema();
    await pool.query(
      `INSERT INTO ${quoteIdentifier(schema)}.events (id, integration_type, event_data)
       SELECT 'evt-' || lpad(i::text, 6, '0'), 'zapier', jsonb_build_object('name', 'Ola', 'product', 'Plan ' || i) FROM generate_series(1, $1::int) AS i`,
      [count],
    );
    return schema;
  }

  describe('clients', () => {
    it('tells a pg Pool, a pg Client, a checked-out PoolClient and PGlite apart', async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      const checkedOut = await pool.connect();
      const lite = await PGlite.create();
      try {
        expect([detectClientKind(pool), detectClientKind(client), detectClientKind(checkedOut), detectClientKind(lite)]).toEqual(['pool', 'client', 'client', 'pglite']);
        expect(createPostgresStore({ client: lite, createLegacyTables: true }).kind).toBe('pglite');
        expect(createPostgresStore({ client: pool, createLegacyTables: true }).kind).toBe('postgres');
      } finally {
        checkedOut.release();
        await lite.close();
      }
    });

    it('works over a single pg Client: BEGIN/COMMIT on the client itself', async () => {
      const schema = await freshEvents(50);
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const store = createPostgresStore({ client, schema });
        expect(store.clientKind).toBe('client');
        await store.ensureSchema();
        const report = await runEventMigration({ store, apply: true, batchSize: 8 });
        expect(report.counts).toMatchObject({ processed: 50, written: 50 });
        expect(await store.eventStatus()).toEqual({ total: 50, migrated: 50, remaining: 0 });
      } finally {
        await client.end();
      }
    });

    it('reports database errors as PostgresStoreError naming the operation, with the SQLSTATE', async () => {
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema: uniqueName('missing') });
      const error = await store.eventStatus().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PostgresStoreError);
      expect(error).toMatchObject({ code: 'STORE_ERROR', sqlState: '42P01' });
      expect((error as Error).message).toContain('counting migrated events');
      const history = await store.readFlagHistory().catch((e: unknown) => e);
      expect(history).toMatchObject({ code: 'STORE_ERROR', sqlState: '42P01' });
      expect((history as Error).message).toContain('reading the feature flag history');
    });
  });

  describe('schema options on the real server', () => {
    it('sets lz4 compression on canonical_event when asked, and migrates as before', async () => {
      const schema = await freshEvents(20);
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema, canonicalEventCompression: 'lz4' });
      await store.ensureSchema();
      const column = await pool.query(
        `SELECT attcompression FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'canonical_event'`,
        [`${quoteIdentifier(schema)}.events`],
      );
      expect(column.rows[0].attcompression).toBe('l');
      expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ written: 20 });
    });
  });

  describe('concurrency on the real server', () => {
    let schema: string;
    beforeAll(async () => {
      schema = await freshEvents(3000);
    });

    it('of ten runners asking for the same lease at once, exactly one gets it', async () => {
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.acquireLease('race', `runner-${i}`, 60_000)));
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const holder = `runner-${results.findIndex((r) => r.acquired)}`;
      for (const r of results) if (!r.acquired) expect(r.holder).toBe(holder);
    });

    it('a runner whose lease expired and was taken over writes nothing', async () => {
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema });
      expect(await store.acquireLease('takeover', 'slow', 1)).toEqual({ acquired: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.acquireLease('takeover', 'fast', 60_000)).toEqual({ acquired: true });
      const checkpoint = { runKey: 'takeover', migration: 'events' as const, status: 'running' as const, cursor: 'evt-000001', counts: {}, failures: [], startedAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      const write = store.writeEventBatch({ holder: 'slow', updates: [{ id: 'evt-000001', canonicalEvent: { event_id: 'evt-000001' } }], checkpoint }, {});
      await expect(write).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.writeCheckpoint(checkpoint, 'slow')).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.eventStatus()).toMatchObject({ migrated: 0 });
      expect(await store.readCheckpoint('takeover')).toBeNull();
    });

    it('four shards migrating at once on separate stores write every row exactly once', async () => {
      const writes = new Map<string, number>();
      const counted = (store: MigrationStore): MigrationStore => {
        const wrapper: MigrationStore = Object.create(store);
        wrapper.writeEventBatch = async (write, selection) => {
          for (const u of write.updates) writes.set(u.id, (writes.get(u.id) ?? 0) + 1);
          return store.writeEventBatch(write, selection);
        };
        return wrapper;
      };
      const reports = await Promise.all(
        [1, 2, 3, 4].map((index) => runEventMigration({ store: counted(createPostgresStore({ client: pool, createLegacyTables: true, schema })), apply: true, batchSize: 97, shard: { index, count: 4 } })),
      );
      expect(reports.map((r) => r.counts.processed)).toEqual([750, 750, 750, 750]);
      expect(reports.reduce((n, r) => n + r.counts.written, 0)).toBe(3000);
      expect(writes.size).toBe(3000);
      expect([...writes.values()].every((n) => n === 1)).toBe(true);
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema });
      expect(await store.eventStatus()).toEqual({ total: 3000, migrated: 3000, remaining: 0 });
    });
  });
});
