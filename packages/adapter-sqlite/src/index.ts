/**
 * `@app/adapter-sqlite`: the `MigrationStore` of `@app/migrate` over a SQLite file through
 * better-sqlite3, for migrations on one machine without a database server: JSON as text, WAL,
 * keyset batches committed with their checkpoint, and a run lease against concurrent runs.
 *
 * @packageDocumentation
 */
export { type SqliteStore, type SqliteStoreOptions, createSqliteStore } from './create-sqlite-store.js';
export type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
export { sqliteDialect } from './sqlite-dialect.js';
export { type SqliteKeyType, type SqliteSchemaOptions } from './sqlite-schema-options.js';
export { sqliteSchemaStatements } from './sqlite-schema-sql.js';
