import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { afterAll, describe, inject } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createLegacyTables, createPool, insertSeed, readSnapshot, uniqueName } from './harness.js';

// Runs against the real server only when it answers (see ensure-postgres.ts).
describe.runIf(inject('postgresAvailable'))('the real PostgreSQL server', () => {
  const pool = createPool();
  afterAll(async () => {
    await pool.end();
  });

  // Each harness: a fresh schema holding the legacy tables as they are before the migration, which
  // ensureSchema extends (new columns, runs table, feature_flags with RLS).
  describeMigrationStoreConformance('postgres server (pg Pool, schema option, legacy tables)', async (seed) => {
    const schema = uniqueName('conformance');
    await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await createLegacyTables(pool, schema);
    const store = createPostgresStore({ client: pool, schema });
    await store.ensureSchema();
    await insertSeed(pool, seed, schema);
    return {
      store,
      snapshot: () => readSnapshot(pool, schema),
      dispose: async () => {
        await pool.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      },
    };
  });
});
