import type { CampaignUpdate } from '@app/migrate';
import type { CanonicalEventWrite } from './original-payloads.js';
import { PreparedEventUpdate } from './prepared-event-update.js';

/**
 * The rows of a batch as ONE JSON array text, for a statement that joins them as a table
 * (MariaDB's and MySQL's `JSON_TABLE`, SQLite's `json_each`) instead of a `CASE` branch and two
 * parameters per row, whose cost grows with the square of the batch. Events are
 * `{"id":…,"original":1|0,"event":…}` (`original`: the SQL sets the payload from `event_data`),
 * campaigns `{"id":…,"value":…}`. Keys stay the text the store read (never a JS number), and
 * the text is built piece by piece: no object per row is allocated only to be serialized.
 */
export function batchRecordsJson(rows: { table: 'events'; updates: readonly CanonicalEventWrite[] } | { table: 'campaigns'; updates: readonly CampaignUpdate[] }): string {
  // An event's record has one spelling, PreparedEventUpdate's.
  if (rows.table === 'events') return eventRecordsJson(rows.updates.map((row) => new PreparedEventUpdate(row)));
  const parts: string[] = [];
  for (const update of rows.updates) parts.push(`{"id":${JSON.stringify(String(update.id))},"value":${JSON.stringify(update.dataSourcesV2 ?? null)}}`);
  return `[${parts.join(',')}]`;
}

/**
 * The rows of a batch serialized ahead ({@link PreparedEventUpdate}) as ONE JSON array text, the
 * same text {@link batchRecordsJson} makes of their events. Joined on each call, not kept: a
 * statement that reads it as it is sent holds it for no longer than that.
 */
export function eventRecordsJson(updates: readonly PreparedEventUpdate[]): string {
  const parts = new Array<string>(updates.length);
  for (let i = 0; i < updates.length; i++) parts[i] = updates[i]!.record();
  return `[${parts.join(',')}]`;
}
