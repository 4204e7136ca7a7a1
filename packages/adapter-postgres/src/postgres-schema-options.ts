import type { FeatureFlagAccess } from './feature-flag-access.js';
import { type ColumnNames, type ResolvedNames, type TableNames, resolveNames as resolveSharedNames } from '@app/sql-store';
import { quoteIdentifier } from './quote-identifier.js';

/** Table names, for teams whose schema differs from the product's (shared by every adapter). */
export type PostgresTableNames = TableNames;

/** Column names the store reads or writes by name; every other column is read as it is. */
export type PostgresColumnNames = ColumnNames;

/**
 * The SQL type of a primary key when the adapter creates the table (existing tables keep theirs;
 * the store reads the real type from the catalog).
 */
export type PostgresKeyType = 'text' | 'bigint' | 'integer' | 'uuid' | (string & {});

/** Where the tables are and what they are called. Shared by the store and {@link postgresSchemaSql}. */
export interface PostgresSchemaOptions {
  /** The schema of every table; the connection's `search_path` decides when absent. */
  schema?: string;
  tables?: Partial<TableNames>;
  columns?: ColumnNames;
  /** Key types of tables the adapter creates: `text` by default. */
  keyTypes?: { events?: PostgresKeyType; campaigns?: PostgresKeyType; integrations?: PostgresKeyType };
  /** Roles of the feature-flag RLS policies. */
  flagAccess?: FeatureFlagAccess;
  /** Insert the four system flags (disabled, 0 %) when missing; `true` by default. */
  seedSystemFlags?: boolean;
  /**
   * Also create the application's tables (events, campaigns, integrations, with the product's
   * columns and `keyTypes`) when absent: for a new database (tests, demos). `false` by default:
   * `ensureSchema()` then refuses a missing one with `LegacyTableMissingError`
   * (`LEGACY_TABLE_MISSING`) before any DDL, so a misspelt name never becomes an empty table.
   * `app-migrate` never sets it.
   */
  createLegacyTables?: boolean;
  /**
   * TOAST compression of `canonical_event` (PostgreSQL 14+, no rewrite: applies to values written
   * from then on). `lz4` made the backfill ~40 % faster in `pnpm bench`; it needs a server built
   * with lz4 (Debian, Supabase and most distributions are; PGlite is not). Unchanged when absent.
   */
  canonicalEventCompression?: 'lz4' | 'pglz';
}

export { DEFAULT_TABLE_NAMES, type ResolvedNames } from '@app/sql-store';

const KEY_TYPE = /^[a-z][a-z0-9_ ]*(\(\d+\))?$/i;

/** Validates a key type; it is written into CREATE TABLE. */
export function checkKeyType(type: PostgresKeyType | undefined): string {
  const value = type ?? 'text';
  if (!KEY_TYPE.test(value)) throw new TypeError(`keyTypes: "${value}" is not a plain SQL type name (e.g. text, bigint, uuid, varchar(64))`);
  return value;
}

/** Resolves every name and quotes it for PostgreSQL. */
export function resolveNames(options: PostgresSchemaOptions): ResolvedNames {
  return resolveSharedNames(options, quoteIdentifier);
}
