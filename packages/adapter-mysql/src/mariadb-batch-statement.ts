import type { ResolvedNames, SqlBatch } from '@app/sql-store';
import { mysqlRowsStatement } from './mysql-rows-statement.js';
import { mysqlSetStatement } from './mysql-set-statement.js';

/**
 * A batch of canonical events (or a checkpoint alone) on MariaDB as ONE statement, an anonymous
 * compound statement (`BEGIN NOT ATOMIC … END`, MariaDB ≥ 10.1; MySQL has none): its own
 * transaction, the lease check (`FOR UPDATE` on the run's row), the rows' `UPDATE` joined to the
 * batch's `JSON_TABLE`, the checkpoint with its count of the events behind the cursor, and the
 * commit. The transaction it replaces took six round trips (`START TRANSACTION`, the lease, the
 * rows, the count, the checkpoint, `COMMIT`), and between each two the server's thread waited
 * for the runner's process to be scheduled and send the next: on a loaded machine the batch's
 * wall time grew with them where the set-based floor's does not. Without the lease it writes
 * nothing and answers `leased` 0. Any error rolls the whole transaction back before it is
 * raised again (the same error code: a data error still splits the batch, a deadlock or a lock
 * wait timeout is still retried). `written` is `ROW_COUNT()` of the rows' `UPDATE`: the rows
 * matched under mysql2's default `CLIENT_FOUND_ROWS`, the rows changed without it, which for
 * canonical events are the same (the `UPDATE` repeats the selection, so it never writes an event
 * over itself). `eventKeyType` is the events' key type: the batch's ids take it in the
 * `JSON_TABLE`, and the stored cursor (text) is converted to it once, so the join and the counts
 * compare keys on the primary key's index.
 *
 * The store's placeholders are numbered on MySQL and MariaDB (`numberedPlaceholder`):
 * this statement's parts come in another order than their values were added.
 */
export function mariadbBatchStatement(n: ResolvedNames, batch: SqlBatch, eventKeyType: string): string {
  const { parameters: p, rows } = batch;
  let written = '';
  if (rows?.table === 'events') {
    // The rows' JSON text, joined now: mysql2 takes strings (it has no hook to ask for the text as it sends the statement).
    written = `${mysqlRowsStatement(n, { table: 'events', records: p.add(String(rows.records)), conditions: rows.conditions }, eventKeyType)};
    SET v_written = ROW_COUNT();\n`;
  }
  // The lease's read, its columns into the block's variables (the store's lease query: SELECT run_key, cursor_before, rows_behind_before FROM …).
  const lease = batch.lease.replace(/\sFROM\s/, ' INTO v_run_key, v_cursor, v_rows_behind FROM ');
  // The cursor as a key only where the count uses it: another run's cursor (campaigns) need not be an event key.
  let keyed = false;
  const rowsBehind = batch.rowsBehind(() => {
    keyed = true;
    return 'v_cursor_key';
  });
  // The run's batch timeouts hold for the whole statement (SET STATEMENT … FOR takes a compound statement).
  return `${batch.timeouts === undefined ? '' : mysqlSetStatement(batch.timeouts)}BEGIN NOT ATOMIC
DECLARE v_run_key TEXT;
DECLARE v_cursor TEXT;
DECLARE v_cursor_key ${eventKeyType};
DECLARE v_rows_behind BIGINT;
DECLARE v_written BIGINT DEFAULT 0;
DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
START TRANSACTION;
${lease};
IF v_run_key IS NOT NULL THEN
  ${keyed ? 'SET v_cursor_key = v_cursor;\n  ' : ''}${written}UPDATE ${n.runs} AS r, (SELECT v_cursor AS cursor_before, v_rows_behind AS rows_behind_before) AS lease
  SET ${rowsBehind}, ${batch.checkpoint} WHERE r.run_key = v_run_key;
END IF;
COMMIT;
SELECT CASE WHEN v_run_key IS NULL THEN '0' ELSE '1' END AS leased, CAST(v_written AS CHAR) AS written;
END`;
}
