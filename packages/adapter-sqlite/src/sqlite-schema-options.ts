import type { NamingOptions } from '@app/sql-store';

/** The SQL type of a primary key when the adapter creates the table (existing tables keep theirs). */
export type SqliteKeyType = 'TEXT' | 'INTEGER';

/** Where the tables are, what they are called, and how the adapter creates them. */
export interface SqliteSchemaOptions extends Omit<NamingOptions, 'schema'> {
  /** An attached database's name (`ATTACH … AS archive`); `main` when absent. */
  schema?: string;
  /** Key types of tables the adapter creates: `TEXT` by default. */
  keyTypes?: { events?: SqliteKeyType; campaigns?: SqliteKeyType; integrations?: SqliteKeyType };
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
}

/** Validates a key type; it is written into CREATE TABLE. */
export function checkSqliteKeyType(type: string | undefined): SqliteKeyType {
  const value = (type ?? 'TEXT').toUpperCase();
  if (value !== 'TEXT' && value !== 'INTEGER') throw new TypeError(`keyTypes: "${type}" must be TEXT or INTEGER`);
  return value;
}
