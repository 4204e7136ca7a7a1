/**
 * `@app/adapter-postgres`: the `MigrationStore` of `@app/migrate` over PostgreSQL, through
 * node-postgres (`pg` Pool or Client) or PGlite (embedded, WASM), with the SQL of the migration
 * schema: the legacy tables, the new columns, the runs table and `feature_flags` with RLS.
 *
 * @packageDocumentation
 */
export { type PostgresStore, type PostgresStoreOptions, createPostgresStore } from './create-postgres-store.js';
export { type FeatureFlagAccess, SUPABASE_FLAG_ACCESS } from './feature-flag-access.js';
export {
  type PostgresClient,
  type PostgresClientKind,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type PostgresQueryable,
  type PostgresTransactionRunner,
  detectClientKind,
} from './postgres-client.js';
export {
  DEFAULT_TABLE_NAMES,
  type PostgresColumnNames,
  type PostgresKeyType,
  type PostgresSchemaOptions,
  type PostgresTableNames,
} from './postgres-schema-options.js';
export { postgresSchemaSql, postgresSchemaStatements } from './postgres-schema-sql.js';
export { PostgresStoreError } from './postgres-store-error.js';
export { quoteIdentifier, quoteLiteral } from './quote-identifier.js';
export { SYSTEM_FLAG_ROWS } from '@app/sql-store';
export { withTransaction } from './with-transaction.js';
