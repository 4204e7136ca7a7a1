import type { BatchTimeouts } from '@app/migrate';
import type { SqlExecutor, SqlSession } from '@app/sql-store';
import { lockWaitSeconds, mysqlSetStatement } from './mysql-set-statement.js';

/**
 * The session a batch with the run's batch timeouts runs on. MariaDB: each statement of its
 * transaction as `SET STATEMENT … FOR …` ({@link mysqlSetStatement}), no round trip added. MySQL
 * has no SET STATEMENT, and its SET_VAR hint covers neither `innodb_lock_wait_timeout` nor a time
 * limit on an UPDATE (`max_execution_time` bounds SELECTs only): the lock waits are set on the
 * session at the transaction's start and put back at its end (two round trips more), and
 * `statementTimeoutMs` is left to the store's `statementTimeoutMs` (mysql2's, per statement).
 */
export function mysqlTimedSession(session: SqlSession, flavor: () => Promise<'mysql' | 'mariadb'>, timeouts: BatchTimeouts): SqlSession {
  return {
    ...session,
    async transaction(work) {
      if ((await flavor()) === 'mariadb') {
        const prefix = mysqlSetStatement(timeouts);
        return session.transaction((tx) => work({ query: (sql, params) => tx.query(prefix + sql, params), execute: (sql, params) => tx.execute(prefix + sql, params) }));
      }
      if (timeouts.lockTimeoutMs === undefined) return session.transaction(work);
      const seconds = lockWaitSeconds(timeouts.lockTimeoutMs);
      return session.transaction(async (tx: SqlExecutor) => {
        // One statement saves the session's own values and sets the batch's (assigned left to right).
        await tx.execute(
          `SET @app_migrate_lock_wait = @@SESSION.innodb_lock_wait_timeout, @app_migrate_metadata_wait = @@SESSION.lock_wait_timeout, SESSION innodb_lock_wait_timeout = ${seconds}, SESSION lock_wait_timeout = ${seconds}`,
        );
        const restore = () => tx.execute('SET SESSION innodb_lock_wait_timeout = @app_migrate_lock_wait, SESSION lock_wait_timeout = @app_migrate_metadata_wait');
        let result;
        try {
          result = await work(tx);
        } catch (error) {
          // The batch's error matters more; a connection that cannot be restored cannot roll back either, and is not reused.
          await restore().catch(() => undefined);
          throw error;
        }
        await restore();
        return result;
      });
    },
  };
}
