import type { ResolvedNames, SqlJoinedRows } from '@app/sql-store';
import { sqliteDialect } from './sqlite-dialect.js';

/**
 * The `UPDATE … FROM` of a batch's rows on SQLite (≥ 3.33): the rows from one JSON parameter
 * through `json_each`, joined on the key, instead of `CASE id WHEN ? THEN ? …`, whose branches
 * SQLite walks for every row (a cost that grows with the square of the batch), with two
 * parameters per row (a batch was bounded by the variable limit). One statement text whatever
 * the batch's size, so it is prepared once. Ids arrive as text: against an INTEGER key SQLite
 * compares them as integers, exactly (9007199254740993 stays itself), on the key's index; `->`
 * keeps each event's JSON text as sent.
 */
export function sqliteRowsStatement(n: ResolvedNames, rows: SqlJoinedRows): string {
  if (rows.table === 'campaigns') {
    return `UPDATE ${n.campaigns} AS c SET ${n.campaign.dataSourcesV2} = u.value
FROM (SELECT value ->> '$.id' AS id, value -> '$.value' AS value FROM json_each(${rows.records})) AS u WHERE c.${n.campaign.id} = u.id`;
  }
  const e = n.event;
  return `UPDATE ${n.events} AS e SET ${e.canonicalEvent} = CASE WHEN u.original = 1 THEN ${sqliteDialect.withPayload('u.event', `e.${e.eventData}`)} ELSE u.event END
FROM (SELECT value ->> '$.id' AS id, value ->> '$.original' AS original, value -> '$.event' AS event FROM json_each(${rows.records})) AS u
WHERE ${[`e.${e.id} = u.id`, ...rows.conditions].join(' AND ')}`;
}
