import { describeMigrationStoreConformance } from '@app/migrate/testing';
import { createSqliteStore } from '../src/index.js';
import { createLegacyTables, insertSeed, poisonEvents, readCatalog, readSnapshot, temporaryDatabase } from './harness.js';

// Tables created by ensureSchema on an empty file (createLegacyTables: the only way it creates the application's tables).
describeMigrationStoreConformance(
  'sqlite (new file, tables created by ensureSchema)',
  async (seed) => {
    const db = temporaryDatabase();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    await store.ensureSchema();
    insertSeed(db.database, seed);
    return { store, snapshot: async () => readSnapshot(db.database), poisonEvents: async (ids) => poisonEvents(db.database, ids, true), insertEvents: async (events) => insertSeed(db.database, { events, campaigns: [], integrations: [], flags: [] }), dropFlagHistory: async () => void db.database.exec('DROP TABLE feature_flag_changes'), breakFlagRow: async (name) => void db.database.prepare("UPDATE feature_flags SET created_at = 'not a date' WHERE name = ?").run(name), dispose: async () => db.remove() };
  },
  async ({ legacyTables }) => {
    const db = temporaryDatabase();
    if (legacyTables) createLegacyTables(db.database);
    return { store: createSqliteStore({ database: db.database }), catalog: async () => readCatalog(db.database), dispose: async () => db.remove() };
  },
);

// Legacy tables as a team has them (JSON in plain TEXT columns), which ensureSchema extends.
describeMigrationStoreConformance(
  'sqlite (legacy tables extended by ensureSchema)',
  async (seed) => {
    const db = temporaryDatabase();
    createLegacyTables(db.database);
    const store = createSqliteStore({ database: db.database });
    await store.ensureSchema();
    insertSeed(db.database, seed);
    return { store, snapshot: async () => readSnapshot(db.database), poisonEvents: async (ids) => poisonEvents(db.database, ids, false), insertEvents: async (events) => insertSeed(db.database, { events, campaigns: [], integrations: [], flags: [] }), dropFlagHistory: async () => void db.database.exec('DROP TABLE feature_flag_changes'), breakFlagRow: async (name) => void db.database.prepare("UPDATE feature_flags SET created_at = 'not a date' WHERE name = ?").run(name), dispose: async () => db.remove() };
  },
  async ({ legacyTables }) => {
    const db = temporaryDatabase();
    if (legacyTables) createLegacyTables(db.database);
    return { store: createSqliteStore({ database: db.database }), catalog: async () => readCatalog(db.database), dispose: async () => db.remove() };
  },
);
