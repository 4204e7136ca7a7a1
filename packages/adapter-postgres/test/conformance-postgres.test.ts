import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { afterAll, describe, inject } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createLegacyTables, createPool, insertSeed, poisonEvents, readCatalog, readSnapshot, uniqueName } from './harness.js';

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('the real PostgreSQL server', () => {
  const pool = createPool();
  afterAll(async () => {
    await pool.end();
  });

  /** A fresh schema holding the legacy tables as they are before the migration. */
  async function legacySchema(): Promise<string> {
    const schema = uniqueName('conformance');
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await createLegacyTables(pool, schema);
    return schema;
  }
  const dropping = (schema: string) => async () => {
    await pool.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
  };

  // Each harness: the legacy tables, which ensureSchema extends (new columns, runs table, feature_flags with RLS).
  describeMigrationStoreConformance(
    'postgres server (pg Pool, schema option, legacy tables)',
    async (seed) => {
      const schema = await legacySchema();
      const store = createPostgresStore({ client: pool, schema });
      await store.ensureSchema();
      await insertSeed(pool, seed, schema);
      return {
        store,
        snapshot: () => readSnapshot(pool, schema),
        breakFlagRow: async (name: string) => {
          await pool.query(`UPDATE ${quoteIdentifier(schema)}.feature_flags SET created_at = 'infinity' WHERE name = $1`, [name]);
        },
        dropFlagHistory: async () => {
          await pool.query(`DROP TABLE ${quoteIdentifier(schema)}.feature_flag_changes`);
        },
        insertEvents: (events) => insertSeed(pool, { events, campaigns: [], integrations: [], flags: [] }, schema),
        poisonEvents: (ids) => poisonEvents(pool, ids, schema),
        dispose: dropping(schema),
      };
    },
    async ({ legacyTables }) => {
      const schema = legacyTables ? await legacySchema() : uniqueName('unprepared');
      if (!legacyTables) await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
      return { store: createPostgresStore({ client: pool, schema }), catalog: () => readCatalog(pool, schema), dispose: dropping(schema) };
    },
  );
});
