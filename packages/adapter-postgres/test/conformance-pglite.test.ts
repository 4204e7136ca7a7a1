import { PGlite } from '@electric-sql/pglite';
import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { insertSeed, readSnapshot, uniqueName } from './harness.js';

// One in-memory PGlite for the file; every harness gets a fresh schema through search_path.
let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describeMigrationStoreConformance('pglite (in-memory, search_path schema)', async (seed) => {
  const schema = uniqueName('conformance');
  await db.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  await db.query(`SET search_path TO ${quoteIdentifier(schema)}`);
  const store = createPostgresStore({ client: db });
  await store.ensureSchema();
  await insertSeed(db, seed);
  return {
    store,
    snapshot: () => readSnapshot(db),
    dispose: async () => {
      await db.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      await db.query('SET search_path TO public');
    },
  };
});
