import { PGlite } from '@electric-sql/pglite';
import { verifyMigration } from '@app/migrate';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PostgresStoreError, createPostgresStore, postgresSchemaStatements, quoteIdentifier } from '../src/index.js';
import { POSTGRES_URL, createLegacyTables, createPool, uniqueName } from './harness.js';

/** Resolves with what `promise` settles to, or with `'still waiting'` after `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms))]);

describe('verify compares payloads as jsonb in SQL', () => {
  it('reports a payload whose integer past 2^53 was rounded, which looks equal once parsed', async () => {
    const db = await PGlite.create();
    try {
      const store = createPostgresStore({ client: db, createLegacyTables: true });
      await store.ensureSchema();
      const exact = '{"id": 820982911946154508123, "currency": "USD", "total": "9.99"}';
      await db.query("INSERT INTO events (id, integration_type, event_data) VALUES ('evt-1', 'shopify', $1::jsonb), ('evt-2', 'shopify', $1::jsonb)", [exact]);
      await db.query(`UPDATE events SET canonical_event = jsonb_build_object('event_id', id, 'payload', event_data) WHERE id = 'evt-1'`);
      // As a writer going through JSON.parse would have written it.
      await db.query(`UPDATE events SET canonical_event = $1::jsonb WHERE id = 'evt-2'`, [JSON.stringify({ event_id: 'evt-2', payload: JSON.parse(exact) })]);
      const verification = await verifyMigration(store, { sampleSize: 10 });
      expect(verification.mismatches).toEqual([{ id: 'evt-2', problem: 'payload_differs' }]);
      const parsed = (await store.sampleMigratedEvents(10)).find((row) => row.id === 'evt-2')!;
      expect(JSON.stringify((parsed.canonical_event as { payload: unknown }).payload)).toBe(JSON.stringify(parsed.event_data));
    } finally {
      await db.close();
    }
  });
});

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('ensureSchema and table locks on the real server', () => {
  const pool = createPool();
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  /** A schema with the legacy tables, and a second connection holding a transaction that has read `events` (an ACCESS SHARE lock). */
  async function legacyWithLongReader() {
    const schema = uniqueName('locks');
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await createLegacyTables(pool, schema);
    const reader = new pg.Client({ connectionString: POSTGRES_URL });
    await reader.connect();
    const hold = async () => {
      await reader.query('BEGIN');
      await reader.query(`SELECT count(*) FROM ${quoteIdentifier(schema)}.events`);
    };
    return { schema, reader, hold };
  }

  it('gives up after ddlLockTimeoutMs with an error naming the table, changing nothing, instead of queueing behind a long transaction', async () => {
    const { schema, reader, hold } = await legacyWithLongReader();
    try {
      await hold();
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema, ddlLockTimeoutMs: 300 });
      const before = await store.inspectSchema();
      expect(before.missing).toEqual([`column ${schema}.events.canonical_event`, `column ${schema}.campaigns.data_sources_v2`, `table ${schema}.migration_runs`, `table ${schema}.feature_flags`, `table ${schema}.feature_flag_changes`, `table ${schema}.feature_flag_metrics`]);
      const outcome = await within(store.ensureSchema(), 10_000);
      expect(outcome).not.toBe('still waiting');
      const error = (outcome as { error?: unknown }).error;
      expect(error).toBeInstanceOf(PostgresStoreError);
      expect(error).toMatchObject({ code: 'STORE_ERROR', sqlState: '55P03' });
      expect((error as Error).message).toContain('lock on events');
      expect((error as Error).message).toContain('ddlLockTimeoutMs');
      // One transaction: the runs table it had created is gone with the rest.
      expect(await store.inspectSchema()).toEqual(before);
      await reader.query('COMMIT');
      await store.ensureSchema();
      expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    } finally {
      await reader.end();
    }
  });

  it('on a complete schema takes no table lock: it finishes while a transaction holds events, where ADD COLUMN IF NOT EXISTS would wait', async () => {
    const { schema, reader, hold } = await legacyWithLongReader();
    try {
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema, ddlLockTimeoutMs: 0 });
      await store.ensureSchema();
      await hold();
      // ddlLockTimeoutMs 0 waits forever: it can only finish because it asks for no lock on events.
      expect(await within(store.ensureSchema(), 5_000)).toEqual({ value: undefined });
      // The statement the adapter used to run every time does wait for the reader.
      const alter = postgresSchemaStatements({ schema }).find((sql) => sql.includes('ADD COLUMN IF NOT EXISTS "canonical_event"'))!;
      const client = await pool.connect();
      try {
        await client.query("SET lock_timeout = '200ms'");
        await expect(client.query(alter)).rejects.toMatchObject({ code: '55P03' });
      } finally {
        await client.query('RESET lock_timeout');
        client.release();
      }
      await reader.query('COMMIT');
    } finally {
      await reader.end();
    }
  });
});
