import type { NamingOptions } from '@app/sql-store';

/** The SQL type of a primary key when the adapter creates the table (existing tables keep theirs). */
export type MysqlKeyType = 'varchar' | 'bigint' | 'char(36)';

/** Where the tables are, what they are called, and how the adapter creates them. */
export interface MysqlSchemaOptions extends NamingOptions {
  /** Key types of tables the adapter creates: `varchar` (VARCHAR(255), binary collation) by default. */
  keyTypes?: { events?: MysqlKeyType; campaigns?: MysqlKeyType; integrations?: MysqlKeyType };
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

/** The column definition of a key type; text keys use a binary collation, so keys sort the same way on every server. */
export function mysqlKeyColumnType(type: string | undefined): string {
  switch (type ?? 'varchar') {
    case 'varchar':
      return 'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    case 'char(36)':
      return 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';
    case 'bigint':
      return 'BIGINT';
    default:
      throw new TypeError(`keyTypes: "${type}" must be varchar, bigint or char(36)`);
  }
}
