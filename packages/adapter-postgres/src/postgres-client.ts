/**
 * The few driver methods the store uses, declared here so the package never imports `pg` or
 * `@electric-sql/pglite` types (as Kysely's postgres dialect does): any client with
 * `query(text, params)` fits.
 */

/** What a query returns: the rows (every driver) and, where the driver reports it, a count. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
  /**
   * The rows a statement touched (node-postgres and PGlite ≥ 0.3 report it): how the store tells
   * an `updateFlag` of an unknown flag. Without it, the rows an UPDATE returned count.
   */
  rowCount?: number | null | undefined;
}

/** Anything that runs one parameterized statement: a `pg` Pool, Client or PoolClient, PGlite, a PGlite transaction. */
export interface PostgresQueryable {
  query(text: string, params?: unknown[]): Promise<PostgresQueryResult>;
}

/** A connection checked out of a pool (`pg`'s `PoolClient`). */
export interface PostgresPoolClient extends PostgresQueryable {
  /** Returns the connection; an error argument destroys it instead. */
  release(error?: Error | boolean): void;
}

/** A connection pool (`pg`'s `Pool`): a transaction needs one connection from BEGIN to COMMIT. */
export interface PostgresPool extends PostgresQueryable {
  connect(): Promise<PostgresPoolClient>;
}

/** PGlite (or anything else) that runs a callback in a transaction of its own. */
export interface PostgresTransactionRunner extends PostgresQueryable {
  transaction<T>(callback: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
}

/** Any client the store accepts. */
export type PostgresClient = PostgresQueryable | PostgresPool | PostgresTransactionRunner;

/**
 * How the store runs a transaction on a client: `pglite` through its `transaction()`, `pool` on
 * one checked-out connection, `client` with BEGIN/COMMIT on the client itself.
 */
export type PostgresClientKind = 'pglite' | 'pool' | 'client';

/**
 * Tells the kind of a client by its shape. A `pg` Pool and a `pg` Client both have `connect()`;
 * only the pool counts its connections (`totalCount`, `idleCount`).
 */
export function detectClientKind(client: PostgresClient): PostgresClientKind {
  const candidate = client as Partial<PostgresTransactionRunner & PostgresPool & PostgresPoolClient>;
  if (typeof candidate.transaction === 'function') return 'pglite';
  if (typeof candidate.connect === 'function' && typeof candidate.release !== 'function' && ('totalCount' in client || 'idleCount' in client)) {
    return 'pool';
  }
  return 'client';
}
