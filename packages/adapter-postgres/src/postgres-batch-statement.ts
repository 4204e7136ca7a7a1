import type { ResolvedNames, SqlBatch } from '@app/sql-store';
import { postgresDialect } from './postgres-dialect.js';

/**
 * A batch of `createSqlStore` as ONE statement: the lease check (`FOR UPDATE` on the run's row),
 * the rows from one `jsonb_to_recordset` parameter, and the checkpoint, as data-modifying CTEs
 * that write nothing without the lease. One round trip and no transaction to hold open, which is
 * most of the backfill's speed. `keyType` is the key column's SQL type, so the join on the key
 * uses its index; unused for a checkpoint alone. `eventKeyType` is the events' key type, for the
 * count of the events behind the cursor the checkpoint keeps (`rows_behind`). `recordsWhenSent`
 * (node-postgres clients, not PGlite, which serializes its parameters itself) passes the events'
 * JSON as the store's `BatchRecordsText`, whose text `pg` asks for as it sends the statement.
 *
 * A batch with rows commits without waiting for its WAL to reach the disk (`synchronous_commit`
 * off for its own transaction only): the wait was a few milliseconds of every batch. A server
 * crash can then undo the last batches written, each with its checkpoint (they commit as one), so
 * a resume writes exactly those again: nothing is lost or written twice. A checkpoint alone (the
 * run's start, its end, an abort) still waits, and its flush makes every batch before it durable.
 */
export function postgresBatchStatement(n: ResolvedNames, batch: SqlBatch, keyType: string, eventKeyType: string, recordsWhenSent = false): string {
  const { parameters: p, rows } = batch;
  // The run's lock timeout for this batch (a local setting, gone at its commit), in the statement
  // itself: the server reads lock_timeout when a lock wait starts, and the rows are locked only
  // once the join below has a row of `limits`, so it holds for every row lock of the batch. (Not
  // statement_timeout: its timer starts with the statement, so the store's timed session sets it
  // before, in a transaction of the batch's own.)
  const lockTimeoutMs = rows === null ? undefined : batch.timeouts?.lockTimeoutMs;
  const limits = lockTimeoutMs === undefined ? null : `limits AS (SELECT set_config('lock_timeout', ${p.add(`${lockTimeoutMs}ms`)}::text, true) AS lock_timeout)`;
  const from = limits === null ? 'lease' : 'lease, limits';
  let written: string | null = null;
  if (rows?.table === 'events') {
    const e = n.event;
    // The rows' JSON text (`{"id":…,"original":1|0,"event":…}`), joined from the rows the store
    // serialized ahead; a pg client asks for it only as it sends the statement (`toPostgres`).
    const records = p.add(recordsWhenSent ? rows.records : String(rows.records));
    written = `UPDATE ${n.events} AS e
SET ${e.canonicalEvent} = CASE WHEN u.original = 1 THEN ${postgresDialect.withPayload('u.event', `e.${e.eventData}`)} ELSE u.event END
FROM ${from}, jsonb_to_recordset(${records}::jsonb) AS u(id text, original int, event jsonb)
WHERE ${[`e.${e.id} = u.id::${keyType}`, ...rows.conditions].join(' AND ')}
RETURNING 1`;
  } else if (rows?.table === 'campaigns') {
    const records = p.add(JSON.stringify(rows.updates.map((update) => ({ id: update.id, value: update.dataSourcesV2 }))));
    written = `UPDATE ${n.campaigns} AS c SET ${n.campaign.dataSourcesV2} = u.value
FROM ${from}, jsonb_to_recordset(${records}::jsonb) AS u(id text, value jsonb)
WHERE c.${n.campaign.id} = u.id::${keyType}
RETURNING 1`;
  }
  // A batch that follows another (`SqlBatch.follows`): the lease is a plain read and the rows are
  // all; the store writes the checkpoint after them, in the same transaction, once the other batch committed.
  const checkpoint =
    batch.follows === true
      ? null
      : `checkpoint AS (UPDATE ${n.runs} AS r SET ${batch.rowsBehind((text) => `${text}::${eventKeyType}`)}, ${batch.checkpoint} FROM lease WHERE r.run_key = lease.run_key RETURNING 1)`;
  const ctes = [`lease AS (${batch.lease})`, limits, written === null ? null : `written AS (${written})`, checkpoint].filter((cte) => cte !== null);
  return `WITH ${ctes.join(',\n')}
SELECT (SELECT count(*) FROM lease)::int AS leased, ${written === null ? '0' : '(SELECT count(*) FROM written)::int'} AS written${written === null ? '' : `,
set_config('synchronous_commit', 'off', true) AS commit_without_flush`}`;
}
