import type { AbsentColumn } from '@app/migrate';
import type { ResolvedNames, TableNames } from './table-names.js';

/** Whether a table has a column, compared as its database compares names; `null` when the table does not exist. */
export type ColumnLookup = ((column: string) => boolean) | null;

/** A legacy column the migrations read, with the naming option that names it. */
interface LegacyColumn {
  table: 'events' | 'campaigns' | 'integrations';
  column: string;
  key: string;
  optional: boolean;
}

/**
 * Every column of the legacy tables the store reads by name: the events' key, provider, payload,
 * event type and creation time (the last two unless declared absent), and the campaigns' and
 * integrations' keys. Campaign and integration rows are otherwise read whole (`SELECT *`).
 */
export function legacyColumns(names: ResolvedNames): LegacyColumn[] {
  const raw = names.rawColumns;
  const columns: LegacyColumn[] = [
    { table: 'events', column: raw.eventId, key: 'events.id', optional: false },
    { table: 'events', column: raw.eventIntegrationType, key: 'events.integrationType', optional: false },
    { table: 'events', column: raw.eventData, key: 'events.eventData', optional: false },
  ];
  if (!names.declaredAbsent.eventType) columns.push({ table: 'events', column: raw.eventType, key: 'events.eventType', optional: true });
  if (!names.declaredAbsent.createdAt) columns.push({ table: 'events', column: raw.eventCreatedAt, key: 'events.createdAt', optional: true });
  columns.push({ table: 'campaigns', column: raw.campaignId, key: 'campaigns.id', optional: false });
  columns.push({ table: 'integrations', column: raw.integrationId, key: 'integrations.id', optional: false });
  return columns;
}

/** The legacy columns absent from tables that exist (an absent table is `ensureSchema()`'s or the caller's matter). */
export function absentLegacyColumns(names: ResolvedNames, lookup: (table: keyof TableNames) => ColumnLookup): AbsentColumn[] {
  return legacyColumns(names).flatMap((item) => {
    const has = lookup(item.table);
    return has === null || has(item.column) ? [] : [{ ...item, table: names.raw[item.table] }];
  });
}
