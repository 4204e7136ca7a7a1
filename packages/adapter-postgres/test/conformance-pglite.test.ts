import { PGlite } from '@electric-sql/pglite';
import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, quoteIdentifier } from '../src/index.js';
import { createLegacyTables, insertSeed, poisonEvents, readCatalog, readSnapshot, uniqueName } from './harness.js';

// One in-memory PGlite for the file; every harness gets a fresh schema through search_path.
let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describeMigrationStoreConformance(
  'pglite (in-memory, search_path schema)',
  async (seed) => {
    const schema = uniqueName('conformance');
    await db.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await db.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    const store = createPostgresStore({ client: db, createLegacyTables: true });
    await store.ensureSchema();
    await insertSeed(db, seed);
    return {
      store,
      snapshot: () => readSnapshot(db),
      insertEvents: (events) => insertSeed(db, { events, campaigns: [], integrations: [], flags: [] }),
      poisonEvents: (ids) => poisonEvents(db, ids),
      breakFlagRow: async (name: string) => {
        await db.query("UPDATE feature_flags SET created_at = 'infinity' WHERE name = $1", [name]);
      },
      dropFlagHistory: async () => {
        await db.query('DROP TABLE feature_flag_changes');
      },
      dispose: async () => {
        await db.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
        await db.query('SET search_path TO public');
      },
    };
  },
  // Without legacy tables the schema option names a schema that does not exist yet: ensureSchema must not even create it.
  async ({ legacyTables }) => {
    const schema = uniqueName('unprepared');
    if (legacyTables) {
      await db.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
      await createLegacyTables(db, schema);
    }
    return {
      store: createPostgresStore({ client: db, schema }),
      catalog: () => readCatalog(db, schema),
      dispose: async () => {
        await db.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      },
    };
  },
);

describe('throttling on PGlite', () => {
  it('has no replicas to wait for: a throttled run never pauses', async () => {
    expect(await createPostgresStore({ client: db }).readDatabaseHealth()).toEqual({ replicas: [] });
  });
});
