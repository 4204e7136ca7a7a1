import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SUPABASE_FLAG_ACCESS, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { POSTGRES_URL, createPool, uniqueName } from './harness.js';

// Supabase's API roles, by their real names: the store closes its tables to these names. They are
// cluster-wide, so they are created when missing and left in place (NOLOGIN, owning nothing), as
// concurrent runs may be using them.
const CLIENT_ROLES = ['anon', 'authenticated'] as const;

describe.runIf(inject('postgresAvailable'))('tables the store creates, on a server with Supabase-style roles', () => {
  const pool = createPool();
  const schema = uniqueName('supabase');
  const s = quoteIdentifier(schema);
  const runs = `${s}.migration_runs`;
  const flags = `${s}.feature_flags`;
  const history = `${s}.feature_flag_changes`;
  const metrics = `${s}.feature_flag_metrics`;

  /** Runs `work` as `role` in a transaction that is rolled back, as PostgREST does per request. */
  async function as<T>(role: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${quoteIdentifier(role)}`);
      return await work(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  /** The SQLSTATE a statement fails with (`ok` when it succeeds), inside a savepoint so the transaction goes on. */
  async function attempt(client: pg.PoolClient, sql: string): Promise<string> {
    await client.query('SAVEPOINT attempt');
    try {
      await client.query(sql);
      return 'ok';
    } catch (error) {
      return String((error as { code?: string }).code);
    } finally {
      await client.query('ROLLBACK TO SAVEPOINT attempt');
    }
  }

  beforeAll(async () => {
    for (const role of CLIENT_ROLES) {
      await pool
        .query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF; END $$`)
        .catch((error: { code?: string }) => {
          // Another run created it between the check and CREATE ROLE.
          if (error.code !== '23505' && error.code !== '42710') throw error;
        });
    }
    // What a Supabase project does for every schema the API exposes.
    await pool.query(`CREATE SCHEMA ${s}`);
    await pool.query(`GRANT USAGE ON SCHEMA ${s} TO anon, authenticated`);
    await pool.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ALL ON TABLES TO anon, authenticated`);
    const store = createPostgresStore({ client: pool, schema, flagAccess: SUPABASE_FLAG_ACCESS_WITHOUT_AUTH, createLegacyTables: true });
    await store.ensureSchema();
    await store.acquireLease('events', 'runner-1', 60_000);
    // A recorded change that leaves every flag disabled (the flag tests below expect none visible).
    expect(await store.updateFlag('testimonial_system', { description: 'Testimonials, reviewed' }, { actor: 'owner' })).toMatchObject({ ok: true });
    await store.writeFlagMetrics([{ windowStart: '2026-03-02T09:00:00.000Z', flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 3 }]);
    await store.writeCheckpoint({ runKey: 'events', migration: 'events', status: 'running', cursor: 'evt-10', counts: { processed: 10 }, failures: [], startedAt: new Date().toISOString(), updatedAt: new Date().toISOString() }, 'runner-1');
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool.end();
  });

  for (const role of CLIENT_ROLES) {
    it(`${role} can neither read the runs table, move the cursor, take the lease, nor empty it`, async () => {
      await as(role, async (client) => {
        expect(await attempt(client, `SELECT * FROM ${runs}`)).toBe('42501');
        expect(await attempt(client, `UPDATE ${runs} SET "cursor" = 'evt-99999'`)).toBe('42501');
        expect(await attempt(client, `UPDATE ${runs} SET lease_holder = 'attacker', lease_expires_at = now() + interval '1 day'`)).toBe('42501');
        expect(await attempt(client, `INSERT INTO ${runs} (run_key, lease_holder, lease_expires_at) VALUES ('campaigns', 'attacker', now() + interval '1 day')`)).toBe('42501');
        expect(await attempt(client, `DELETE FROM ${runs}`)).toBe('42501');
        expect(await attempt(client, `TRUNCATE ${runs}`)).toBe('42501');
      });
      const row = (await pool.query(`SELECT "cursor", lease_holder FROM ${runs} WHERE run_key = 'events'`)).rows[0];
      expect(row).toEqual({ cursor: 'evt-10', lease_holder: 'runner-1' });
    });

    it(`${role} through the store itself gets no lease and no checkpoint`, async () => {
      // A session whose role is set at connection time, as the API's own connections are.
      const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c role=${role}` });
      await client.connect();
      try {
        const store = createPostgresStore({ client, schema, createLegacyTables: true });
        await expect(store.acquireLease('campaigns', 'attacker', 60_000)).rejects.toMatchObject({ code: 'STORE_ERROR' });
        await expect(store.readCheckpoint('events')).rejects.toMatchObject({ code: 'STORE_ERROR' });
      } finally {
        await client.end();
      }
    });

    it(`${role} can neither read the flag history nor forge, change or erase a record of it`, async () => {
      await as(role, async (client) => {
        expect(await attempt(client, `SELECT * FROM ${history}`)).toBe('42501');
        expect(await attempt(client, `INSERT INTO ${history} (flag_name, field, old_value, new_value, actor) VALUES ('x', 'enabled', 'false', 'true', 'forged')`)).toBe('42501');
        expect(await attempt(client, `UPDATE ${history} SET actor = 'someone else'`)).toBe('42501');
        expect(await attempt(client, `DELETE FROM ${history}`)).toBe('42501');
        expect(await attempt(client, `TRUNCATE ${history}`)).toBe('42501');
      });
      expect((await pool.query(`SELECT flag_name, field, actor FROM ${history}`)).rows).toEqual([{ flag_name: 'testimonial_system', field: 'description', actor: 'owner' }]);
    });

    it(`${role} can neither read flag telemetry nor inflate, change or erase it`, async () => {
      await as(role, async (client) => {
        expect(await attempt(client, `SELECT * FROM ${metrics}`)).toBe('42501');
        expect(await attempt(client, `INSERT INTO ${metrics} (window_start, flag_name, metric, variant, "count") VALUES (now(), 'testimonial_system', 'error', 'on', 1000)`)).toBe('42501');
        expect(await attempt(client, `UPDATE ${metrics} SET "count" = 1`)).toBe('42501');
        expect(await attempt(client, `DELETE FROM ${metrics}`)).toBe('42501');
        expect(await attempt(client, `TRUNCATE ${metrics}`)).toBe('42501');
      });
      expect((await pool.query(`SELECT flag_name, metric, "count"::int AS count FROM ${metrics}`)).rows).toEqual([{ flag_name: 'testimonial_system', metric: 'error', count: 3 }]);
    });

    it(`${role} reads enabled flags only and cannot empty, lock or alter feature_flags`, async () => {
      await as(role, async (client) => {
        expect((await client.query(`SELECT name FROM ${flags}`)).rows).toEqual([]);
        expect(await attempt(client, `TRUNCATE ${flags}`)).toBe('42501');
        expect(await attempt(client, `DELETE FROM ${flags}`)).toBe(role === 'authenticated' ? 'ok' : '42501');
        expect(await attempt(client, `CREATE TRIGGER t BEFORE INSERT ON ${flags} FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`)).toBe('42501');
      });
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${flags}`)).rows[0].n).toBe(4);
    });
  }

  it('inspectSchema reports the runs table open to them as pending, and ensureSchema closes it again', async () => {
    const store = createPostgresStore({ client: pool, schema, flagAccess: SUPABASE_FLAG_ACCESS_WITHOUT_AUTH, createLegacyTables: true });
    expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    // A runs table created before the store closed it: RLS off, Supabase's grants in place.
    await pool.query(`ALTER TABLE ${runs} DISABLE ROW LEVEL SECURITY`);
    await pool.query(`GRANT ALL ON ${runs} TO anon`);
    await pool.query(`GRANT TRUNCATE ON ${flags} TO authenticated`);
    await pool.query(`GRANT SELECT, DELETE ON ${history} TO authenticated`);
    await pool.query(`ALTER TABLE ${metrics} DISABLE ROW LEVEL SECURITY`);
    await pool.query(`GRANT INSERT ON ${metrics} TO anon`);
    const inspection = await store.inspectSchema();
    expect(inspection.ready).toBe(true);
    expect(inspection.pending).toContain(`row-level security on ${schema}.migration_runs`);
    expect(inspection.pending).toContain(`revoke SELECT from anon on ${schema}.migration_runs`);
    expect(inspection.pending).toContain(`revoke TRUNCATE from anon on ${schema}.migration_runs`);
    expect(inspection.pending).toContain(`revoke TRUNCATE from authenticated on ${schema}.feature_flags`);
    expect(inspection.pending).toContain(`revoke SELECT from authenticated on ${schema}.feature_flag_changes`);
    expect(inspection.pending).toContain(`revoke DELETE from authenticated on ${schema}.feature_flag_changes`);
    expect(inspection.pending).toContain(`row-level security on ${schema}.feature_flag_metrics`);
    expect(inspection.pending).toContain(`revoke INSERT from anon on ${schema}.feature_flag_metrics`);
    await store.ensureSchema();
    expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    await as('anon', async (client) => {
      expect(await attempt(client, `SELECT * FROM ${runs}`)).toBe('42501');
    });
  });
});

/** SUPABASE_FLAG_ACCESS with a plain admin condition: this server has no `auth.jwt()`. */
const SUPABASE_FLAG_ACCESS_WITHOUT_AUTH = { ...SUPABASE_FLAG_ACCESS, adminCondition: 'false' };
