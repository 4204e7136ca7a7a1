import type { BatchTimeouts } from '@app/migrate';

/** A lock wait in ms as the servers take it: whole seconds, rounded up, at least 1. */
export const lockWaitSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * The run's batch timeouts as MariaDB's `SET STATEMENT … FOR ` prefix, put before each statement of
 * the batch's transaction: the variables hold for that statement only, so the session keeps its
 * own and no round trip is added. `lockTimeoutMs` sets both the row lock wait
 * (`innodb_lock_wait_timeout`) and the metadata lock wait (`lock_wait_timeout`, a DDL holding the
 * table), in whole seconds rounded up (the server has no finer unit; at least 1);
 * `statementTimeoutMs` sets `max_statement_time` (seconds, to the microsecond), which bounds each
 * statement of the batch.
 */
export function mysqlSetStatement(timeouts: BatchTimeouts): string {
  const settings: string[] = [];
  if (timeouts.lockTimeoutMs !== undefined) {
    const seconds = lockWaitSeconds(timeouts.lockTimeoutMs);
    settings.push(`innodb_lock_wait_timeout=${seconds}`, `lock_wait_timeout=${seconds}`);
  }
  if (timeouts.statementTimeoutMs !== undefined) settings.push(`max_statement_time=${timeouts.statementTimeoutMs / 1000}`);
  return settings.length === 0 ? '' : `SET STATEMENT ${settings.join(', ')} FOR `;
}
