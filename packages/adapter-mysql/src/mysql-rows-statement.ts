import type { ResolvedNames, SqlJoinedRows } from '@app/sql-store';
import type { MysqlBatchBytes } from './mysql-batch-bytes.js';
import { mysqlDialect } from './mysql-dialect.js';

/**
 * The `UPDATE` of a batch's rows on MariaDB and MySQL: the rows from one JSON parameter as a
 * `JSON_TABLE`, joined on the key, instead of `CASE id WHEN ? THEN ? …`, whose branches the server walks for
 * every row (a cost that grows with the square of the batch).
 * `keyType` is the key column's full type (`bigint(20) unsigned`, `varchar(64) CHARACTER SET
 * utf8mb4 COLLATE utf8mb4_bin`), so the ids, sent as text, convert exactly (a BIGINT past 2^53
 * too) and compare in the key's own collation, on its index. `ERROR ON ERROR`: an id or flag
 * the column cannot hold fails the statement rather than matching nothing; JSON the server
 * cannot parse (a lone surrogate) fails it too, as a data error, so the runner writes the batch
 * in halves until that row is alone. The events' rows come as bytes (a Buffer the session fills,
 * {@link MysqlBatchBytes}), which mysql2 sends as a binary string: `CONVERT(… USING utf8mb4)`
 * makes them text again, as a text parameter would have been (a no-op for one).
 */
export function mysqlRowsStatement(n: ResolvedNames, rows: SqlJoinedRows, keyType: string): string {
  const id = `id ${keyType} PATH '$.id' ERROR ON ERROR`;
  if (rows.table === 'campaigns') {
    return `UPDATE ${n.campaigns} AS c JOIN JSON_TABLE(${rows.records}, '$[*]' COLUMNS(${id}, value JSON PATH '$.value')) AS u ON c.${n.campaign.id} = u.id
SET c.${n.campaign.dataSourcesV2} = u.value`;
  }
  const e = n.event;
  return `UPDATE ${n.events} AS e JOIN JSON_TABLE(CONVERT(${rows.records} USING utf8mb4), '$[*]' COLUMNS(${id}, original INT PATH '$.original' ERROR ON ERROR, event JSON PATH '$.event')) AS u ON e.${e.id} = u.id
SET e.${e.canonicalEvent} = CASE WHEN u.original = 1 THEN ${mysqlDialect.withPayload('u.event', `e.${e.eventData}`)} ELSE u.event END${rows.conditions.length === 0 ? '' : `\nWHERE ${rows.conditions.join(' AND ')}`}`;
}
