/**
 * `@app/sql-store`: the SQL the `@app/migrate` adapters share, written once. `createSqlStore`
 * implements the whole `MigrationStore` port from a {@link SqlDialect} (quoting, placeholders,
 * clock, JSON access) and a {@link SqlSession} (query, execute, transaction): every adapter is
 * that plus its DDL, and PostgreSQL adds its one-statement batches ({@link SqlBatch}). Also the
 * pieces they share: table and column names, the checkpoint row, payload-preserving writes, the
 * system flags. For adapter authors; applications install an adapter.
 *
 * @packageDocumentation
 */
export { CHECKPOINT_COLUMNS, checkpointFromRow, checkpointValues, toIsoTime } from './checkpoint-row.js';
export { type SqlStoreConfig, createSqlStore } from './create-sql-store.js';
export { FLAG_CHANGE_FIELDS, fieldsMissingFromCheck, flagChangeFieldCondition } from './flag-change-fields.js';
export { oneAtATime } from './one-at-a-time.js';
export { type SqlFlagStoreParts, sqlFlagStore } from './sql-flag-store.js';
export { sqlFlagMetricsStore } from './sql-flag-metrics-store.js';
export { type CanonicalEventWrite, OriginalPayloads } from './original-payloads.js';
export type { SqlBatch, SqlBatchRows, SqlJoinedRows } from './sql-batch.js';
export { batchRecordsJson, eventRecordsJson } from './batch-records.js';
export { PreparedEventUpdate } from './prepared-event-update.js';
export { BatchRecordsText } from './batch-records-text.js';
export { decodeJsonText } from './decode-json-text.js';
export { exactInteger } from './exact-integer.js';
export { knownJsonColumns } from './known-json-columns.js';
export { type SqlDialect, jsonMemberPath } from './sql-dialect.js';
export type { ColumnLookup } from './legacy-columns.js';
export {
  LEGACY_TABLES,
  RUNS_SCOPE_COLUMN,
  RUNS_ROWS_BEHIND_COLUMN,
  type SchemaCatalog,
  TABLES,
  missingLegacyTables,
  missingSchemaObjects,
  missingSystemFlags,
  schemaInspection,
} from './schema-inspection.js';
export { SqlParameters } from './sql-parameters.js';
export type { SqlExecutor, SqlRow, SqlSession } from './sql-session.js';
export { SqlStoreError } from './sql-store-error.js';
export type { StoreTable } from './store-table.js';
export { storedRow } from './stored-row.js';
export { SYSTEM_FLAG_ROWS } from './system-flag-rows.js';
export { type ColumnNames, DEFAULT_TABLE_NAMES, type NamingOptions, type ResolvedNames, type TableNames, resolveNames } from './table-names.js';
