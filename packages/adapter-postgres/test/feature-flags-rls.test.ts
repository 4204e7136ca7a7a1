import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createPool, uniqueName } from './harness.js';

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('the real PostgreSQL server', () => {
  // Real roles on the real server, created for this run and dropped after it. The test connects as a
  // superuser (who bypasses RLS) and switches with SET ROLE, as a pooled app connection would.
  const pool = createPool();
  const schema = uniqueName('rls');
  const anon = uniqueName('anon');
  const admin = uniqueName('flag_admin');
  const member = uniqueName('authenticated');
  const s = quoteIdentifier(schema);
  const flags = `${s}.feature_flags`;

  /** Runs `work` as `role` on one connection, resetting the role afterwards. */
  async function as<T>(role: string, work: (client: pg.PoolClient) => Promise<T>, claims?: object): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (claims) await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
      await client.query(`SET LOCAL ROLE ${quoteIdentifier(role)}`);
      return await work(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  const sqlState = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code?: string }) => error.code);

  beforeAll(async () => {
    for (const role of [anon, admin, member]) await pool.query(`CREATE ROLE ${quoteIdentifier(role)} NOLOGIN`);
    const store = createPostgresStore({ client: pool, createLegacyTables: true, schema, flagAccess: { readerRoles: [anon, member], adminRoles: [admin] } });
    await store.ensureSchema();
    await store.ensureSchema();
    await store.updateFlag('v2_canonical_system', { enabled: true, rollout_percentage: 10 }, { actor: 'rls-test' });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    for (const role of [anon, admin, member]) await pool.query(`DROP ROLE IF EXISTS ${quoteIdentifier(role)}`);
    await pool.end();
  });

  describe('feature_flags row-level security with real roles', () => {
    it('seeds the four system flags once, with RLS enabled and the table constraints', async () => {
      const rows = await pool.query(`SELECT name, enabled, rollout_percentage FROM ${flags} ORDER BY name`);
      expect(rows.rows.map((r) => r.name)).toEqual(['multi_integration_campaigns', 'playlist_orchestration', 'testimonial_system', 'v2_canonical_system']);
      const rls = await pool.query('SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass($1)', [flags]);
      expect(rls.rows[0].relrowsecurity).toBe(true);
      expect(await sqlState(pool.query(`UPDATE ${flags} SET rollout_percentage = 150 WHERE name = 'testimonial_system'`))).toBe('23514');
      expect(await sqlState(pool.query(`INSERT INTO ${flags} (name) VALUES ('v2_canonical_system')`))).toBe('23505');
    });

    it('an anonymous role reads only enabled flags and cannot insert, update or delete', async () => {
      await as(anon, async (client) => {
        const visible = await client.query(`SELECT name FROM ${flags} ORDER BY name`);
        expect(visible.rows.map((r) => r.name)).toEqual(['v2_canonical_system']);
        expect(await sqlState(client.query('SAVEPOINT s'))).toBe('ok');
        expect(await sqlState(client.query(`INSERT INTO ${flags} (name, enabled) VALUES ('sneaky', true)`))).toBe('42501');
        await client.query('ROLLBACK TO SAVEPOINT s');
        expect(await sqlState(client.query(`UPDATE ${flags} SET enabled = true`))).toBe('42501');
        await client.query('ROLLBACK TO SAVEPOINT s');
        expect(await sqlState(client.query(`DELETE FROM ${flags}`))).toBe('42501');
      });
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${flags}`)).rows[0].n).toBe(4);
    });

    it('another reader role (authenticated-like) sees the same enabled flags only', async () => {
      const names = await as(member, async (client) => (await client.query(`SELECT name FROM ${flags}`)).rows.map((r) => r.name));
      expect(names).toEqual(['v2_canonical_system']);
    });

    it('an admin role reads every flag and can insert, update and delete', async () => {
      await as(admin, async (client) => {
        expect((await client.query(`SELECT name FROM ${flags}`)).rowCount).toBe(4);
        await client.query(`INSERT INTO ${flags} (name, description) VALUES ('new_flag', 'from the admin')`);
        const updated = await client.query(`UPDATE ${flags} SET enabled = true, rollout_percentage = 50 WHERE name = 'testimonial_system'`);
        expect(updated.rowCount).toBe(1);
        const deleted = await client.query(`DELETE FROM ${flags} WHERE name = 'new_flag'`);
        expect(deleted.rowCount).toBe(1);
        // Within the policy's WITH CHECK the table constraints still hold.
        expect(await sqlState(client.query(`UPDATE ${flags} SET rollout_percentage = -1 WHERE name = 'testimonial_system'`))).toBe('23514');
      });
    });
  });

  describe('an admin decided by a JWT claim (the Supabase variant, emulated with request.jwt.claims)', () => {
    const claimSchema = uniqueName('rls_claims');
    const cs = quoteIdentifier(claimSchema);
    const claimFlags = `${cs}.feature_flags`;
    const condition = "coalesce((current_setting('request.jwt.claims', true)::jsonb -> 'app_metadata' ->> 'role') = 'admin', false)";

    beforeAll(async () => {
      const store = createPostgresStore({ client: pool, createLegacyTables: true, schema: claimSchema, flagAccess: { readerRoles: [anon, member], adminRoles: [member], adminCondition: condition } });
      await store.ensureSchema();
    });
    afterAll(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${cs} CASCADE`);
    });

    it('the same role manages flags only with the admin claim', async () => {
      await as(member, async (client) => {
        expect((await client.query(`SELECT name FROM ${claimFlags}`)).rowCount).toBe(0);
        expect((await client.query(`UPDATE ${claimFlags} SET enabled = true`)).rowCount).toBe(0);
        await client.query('SAVEPOINT s');
        expect(await sqlState(client.query(`INSERT INTO ${claimFlags} (name) VALUES ('x')`))).toBe('42501');
      }, { app_metadata: { role: 'user' } });
      await as(member, async (client) => {
        expect((await client.query(`UPDATE ${claimFlags} SET enabled = true WHERE name = 'playlist_orchestration'`)).rowCount).toBe(1);
        expect((await client.query(`SELECT name FROM ${claimFlags}`)).rowCount).toBe(4);
      }, { app_metadata: { role: 'admin' } });
    });
  });
});
