import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { afterAll, describe, inject } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { createAdminPool, createLegacyTables, freshDatabase, insertSeed, poisonEvents, readCatalog, readSnapshot } from './harness.js';

/** A zero date in `created_at`, which the server keeps under a permissive sql_mode and no time can stand for. */
const breakFlagRow = async (pool: { getConnection(): Promise<{ query(sql: string, values?: unknown[]): Promise<unknown>; release(): void }> }, name: string) => {
  const connection = await pool.getConnection();
  try {
    await connection.query("SET SESSION sql_mode = ''");
    await connection.query("UPDATE feature_flags SET created_at = '0000-00-00 00:00:00' WHERE name = ?", [name]);
  } finally {
    await connection.query('SET SESSION sql_mode = DEFAULT');
    connection.release();
  }
};

const dropFlagHistory = async (pool: { query(sql: string): Promise<unknown> }) => {
  await pool.query('DROP TABLE feature_flag_changes');
};

// Runs against the real server only when it answers (see ensure-mariadb.ts).
describe.runIf(inject('mysqlAvailable'))('the real MySQL/MariaDB server', () => {
  const admin = createAdminPool();
  afterAll(async () => {
    await admin.end();
  });

  describeMigrationStoreConformance(
    'mysql (fresh database, tables created by ensureSchema)',
    async (seed) => {
      const db = await freshDatabase(admin, 'conformance');
      const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
      await store.ensureSchema();
      await insertSeed(db.pool, seed);
      return { store, snapshot: () => readSnapshot(db.pool), insertEvents: (events) => insertSeed(db.pool, { events, campaigns: [], integrations: [], flags: [] }), poisonEvents: (ids) => poisonEvents(db.pool, ids), dropFlagHistory: () => dropFlagHistory(db.pool), breakFlagRow: (name: string) => breakFlagRow(db.pool, name), dispose: () => db.drop() };
    },
    async ({ legacyTables }) => {
      const db = await freshDatabase(admin, 'conformance');
      if (legacyTables) await createLegacyTables(db.pool);
      return { store: createMysqlStore({ client: db.pool }), catalog: () => readCatalog(db.pool), dispose: () => db.drop() };
    },
  );

  describeMigrationStoreConformance(
    "mysql (a pool with mysql2's default options: BIGINT as numbers, DATETIME as Date)",
    async (seed) => {
      const db = await freshDatabase(admin, 'conformance', {});
      // BIGINT owners past 2^53, which mysql2 would round without supportBigNumbers.
      await createLegacyTables(db.pool);
      const store = createMysqlStore({ client: db.pool });
      await store.ensureSchema();
      await insertSeed(db.pool, seed);
      return { store, snapshot: () => readSnapshot(db.pool), insertEvents: (events) => insertSeed(db.pool, { events, campaigns: [], integrations: [], flags: [] }), poisonEvents: (ids) => poisonEvents(db.pool, ids), dropFlagHistory: () => dropFlagHistory(db.pool), breakFlagRow: (name: string) => breakFlagRow(db.pool, name), dispose: () => db.drop() };
    },
    async ({ legacyTables }) => {
      const db = await freshDatabase(admin, 'conformance', {});
      if (legacyTables) await createLegacyTables(db.pool);
      return { store: createMysqlStore({ client: db.pool }), catalog: () => readCatalog(db.pool), dispose: () => db.drop() };
    },
  );

  describeMigrationStoreConformance(
    'mysql (legacy tables extended by ensureSchema, one Connection)',
    async (seed) => {
      const db = await freshDatabase(admin, 'conformance');
      await createLegacyTables(db.pool);
      const connection = await db.pool.getConnection();
      const store = createMysqlStore({ client: connection });
      await store.ensureSchema();
      await insertSeed(db.pool, seed);
      return {
        store,
        snapshot: () => readSnapshot(db.pool),
        insertEvents: (events) => insertSeed(db.pool, { events, campaigns: [], integrations: [], flags: [] }),
        poisonEvents: (ids) => poisonEvents(db.pool, ids),
        dropFlagHistory: () => dropFlagHistory(db.pool), breakFlagRow: (name: string) => breakFlagRow(db.pool, name),
        dispose: async () => {
          connection.release();
          await db.drop();
        },
      };
    },
    async ({ legacyTables }) => {
      const db = await freshDatabase(admin, 'conformance');
      if (legacyTables) await createLegacyTables(db.pool);
      const connection = await db.pool.getConnection();
      return {
        store: createMysqlStore({ client: connection }),
        catalog: () => readCatalog(db.pool),
        dispose: async () => {
          connection.release();
          await db.drop();
        },
      };
    },
  );
});
