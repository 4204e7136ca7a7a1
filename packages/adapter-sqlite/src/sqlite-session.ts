import { exactInteger, oneAtATime, type SqlExecutor, type SqlRow, type SqlSession } from '@app/sql-store';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';

// better-sqlite3 binds numbers, strings, bigints, buffers and null only.
const bindable = (value: unknown) => (value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value);

const STATEMENT_CACHE_SIZE = 256;

function exactRow(row: SqlRow): SqlRow {
  for (const column in row) if (typeof row[column] === 'bigint') row[column] = exactInteger(row[column]);
  return row;
}

/**
 * The store's session over one synchronous connection. Every operation runs in turn (a
 * transaction spans awaits, and another operation on the same connection must not slip in), and
 * prepared statements are cached.
 */
export function createSqliteSession(db: SqliteDatabase): SqlSession {
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

  return oneAtATime({
    ...executor,
    async transaction(work) {
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
    },
  });
}
