import { BatchRecordsText, exactInteger, oneAtATime, type SqlExecutor, type SqlRow, type SqlSession } from '@app/sql-store';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

// better-sqlite3 binds numbers, strings, bigints, buffers and null only; a batch's rows (BatchRecordsText) as their text, made now.
const bindable = (value: unknown) => (value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value instanceof BatchRecordsText ? String(value) : value);

const STATEMENT_CACHE_SIZE = 256;

function exactRow(row: SqlRow): SqlRow {
  for (const column in row) if (typeof row[column] === 'bigint') row[column] = exactInteger(row[column]);
  return row;
}

/** The store's session over one connection, and the same session with a busy timeout of its own for its transactions. */
export interface SqliteSession extends SqlSession {
  /**
   * The same session (its operations in the same turns) whose transactions wait at most
   * `busyTimeoutMs` for the file's write lock (`PRAGMA busy_timeout` from before `BEGIN IMMEDIATE`
   * to the transaction's end), the connection's own busy timeout again afterwards: a batch's
   * `lockTimeoutMs`.
   */
  waitingAtMost(busyTimeoutMs: number): SqlSession;
}

/**
 * The store's session over one synchronous connection. Every operation runs in turn (a
 * transaction spans awaits, and another operation on the same connection must not slip in), and
 * prepared statements are cached.
 */
export function createSqliteSession(db: SqliteDatabase): SqliteSession {
  const statements = new Map<string, SqliteStatement>();

  function prepare(sql: string): SqliteStatement {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      // INTEGER columns as bigints, then exact values (exactInteger): better-sqlite3 would round 9007199254740993 to …992.
      if (statement.reader && typeof statement.safeIntegers === 'function') statement.safeIntegers(true);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  }

  const executor: SqlExecutor = {
    query: async (sql, params = []) => (prepare(sql).all(...params.map(bindable)) as SqlRow[]).map(exactRow),
    execute: async (sql, params = []) => Number(prepare(sql).run(...params.map(bindable)).changes),
  };

  async function inTransaction<T>(work: (tx: SqlExecutor) => Promise<T>, busyTimeoutMs: number | undefined): Promise<T> {
    // The connection's own busy timeout, put back once the transaction is over, committed or not.
    const own = busyTimeoutMs === undefined ? undefined : Number((db.prepare('PRAGMA busy_timeout').all()[0] as { timeout: unknown }).timeout);
    if (busyTimeoutMs !== undefined) db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    try {
      // IMMEDIATE takes the write lock now, so two processes cannot both read a lease as free.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(executor);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      if (own !== undefined) db.exec(`PRAGMA busy_timeout = ${own}`);
    }
  }

  // Turns are taken through the queue's `transaction`, which here only runs the work in turn: the
  // session's transactions, with the connection's busy timeout or their own, share one queue.
  const inTurn = oneAtATime({ ...executor, transaction: (work) => work(executor) });
  const waiting = (busyTimeoutMs: number | undefined): SqlSession => ({
    query: inTurn.query,
    execute: inTurn.execute,
    transaction: (work) => inTurn.transaction(() => inTransaction(work, busyTimeoutMs)),
  });
  return { ...waiting(undefined), waitingAtMost: (busyTimeoutMs) => waiting(busyTimeoutMs) };
}
