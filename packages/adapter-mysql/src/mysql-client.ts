/**
 * The few mysql2 (promise API) methods the store uses, declared here so the package never imports
 * the driver's types (as Kysely's dialect configs do): a mysql2 `Pool`, `PoolConnection` or
 * `Connection` from `mysql2/promise` fits.
 */

/** A column as mysql2 describes it to a `typeCast` function. */
export interface MysqlField {
  /** The column type's name (`JSON`, `LONGLONG`, `BLOB`…). */
  readonly type: string;
  /** `json` for MariaDB's JSON columns (LONGTEXT on the wire), from the server's extended metadata. */
  readonly extendedFormat?: string | undefined;
  /** The raw value as text (`null` for SQL NULL). */
  string(encoding?: string): string | null;
}

/** Options of one query (mysql2's `QueryOptions`, the part the store sets). */
export interface MysqlQueryOptions {
  sql: string;
  values?: unknown[];
  typeCast?: (field: MysqlField, next: () => unknown) => unknown;
  /** Milliseconds before the driver gives up on the statement. */
  timeout?: number;
}

/** What `query` resolves to: rows for a SELECT, a result header (`affectedRows`) for a change. */
export type MysqlQueryResult = [unknown, unknown?];

/** Anything that runs one statement (`query` with client-side placeholders). */
export interface MysqlQueryable {
  query(options: MysqlQueryOptions): Promise<MysqlQueryResult>;
  /**
   * Runs one statement as a prepared statement (mysql2's `execute`, which keeps it per
   * connection): the store sends a write whose parameters hold a large text (a batch's rows as
   * one JSON document, given as bytes) this way, so it goes to the server as it is instead of
   * being escaped into a copy of the statement. Without it every statement goes through `query`,
   * the batch's rows as text.
   */
  execute?(options: MysqlQueryOptions): Promise<MysqlQueryResult>;
}

/** One connection (mysql2's `Connection` or `PoolConnection`). */
export interface MysqlConnection extends MysqlQueryable {
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** A pooled connection goes back to its pool. */
  release?(): void;
  /** Closes the connection for good (a pooled one is then replaced by the pool). */
  destroy?(): void;
}

/** A pool (mysql2's `Pool`): a transaction needs one connection from BEGIN to COMMIT. */
export interface MysqlPool extends MysqlQueryable {
  getConnection(): Promise<MysqlConnection>;
}

/** Any client the store accepts. */
export type MysqlClient = MysqlPool | MysqlConnection;
