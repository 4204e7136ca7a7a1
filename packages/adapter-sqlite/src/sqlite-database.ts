/**
 * The few better-sqlite3 methods the store uses, declared here so the package never imports the
 * driver's types (as Kysely's dialect configs do): a better-sqlite3 `Database` fits, and so
 * does any synchronous driver with the same shape.
 */

/** A prepared statement. */
export interface SqliteStatement {
  /** Runs a statement that returns rows. */
  all(...params: unknown[]): unknown[];
  /** Runs a statement that changes rows. */
  run(...params: unknown[]): { changes: number | bigint };
  /** Whether the statement returns rows. */
  readonly reader: boolean;
  /** Returns INTEGER values as bigints (better-sqlite3), so the store can keep integers past 2^53 exact. */
  safeIntegers?(toggle?: boolean): unknown;
}

/** A better-sqlite3 `Database`. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  /** True while a transaction is open on the connection. */
  readonly inTransaction: boolean;
  /** True for `:memory:` and temporary databases (WAL does not apply). */
  readonly memory: boolean;
  /** The file name the database was opened with. */
  readonly name: string;
}
