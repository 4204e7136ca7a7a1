import type { SqlSession } from './sql-session.js';

/**
 * The session with its operations run one after another. For a single connection (a `pg.Client`,
 * a mysql2 Connection): it runs one transaction at a time, and a statement sent while another
 * operation's transaction is open would become part of that transaction. A failed operation does
 * not stop the ones queued after it.
 */
export function oneAtATime(session: SqlSession): SqlSession {
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    query: (sql, params) => inTurn(() => session.query(sql, params)),
    execute: (sql, params) => inTurn(() => session.execute(sql, params)),
    transaction: (work) => inTurn(() => session.transaction(work)),
  };
}
