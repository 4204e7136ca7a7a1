import type { BatchRecordsText } from './batch-records-text.js';

/** One row as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * The few driver operations {@link createSqlStore} needs; an adapter implements them over its
 * driver (mysql2, better-sqlite3…). Parameters are positional `?`. A parameter may be a
 * {@link BatchRecordsText} (a batch's rows, for an adapter's `rowsStatement`): the executor turns
 * it into text (`String(value)`) or bytes ({@link BatchRecordsText.eachPart}) as late as it can,
 * as it sends the statement.
 */
export interface SqlExecutor {
  /** Runs a statement that returns rows. */
  query(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** Runs a statement that changes rows; returns how many rows it matched. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** An executor that can also run work in one transaction (committed when `work` resolves, rolled back when it throws). */
export interface SqlSession extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
