import { DEFAULT_OWNER_KEY, type MigrationOptions } from '@app/campaign-migrator';
import type { AbsentColumn, StoredRow } from './migration-store.js';

/**
 * The owner columns (`ownerKey`, `integrationOwnerKey`) the campaign rows or the integration rows
 * lack. Rows are read whole, so a column is absent when no row has it; a wrong name would
 * otherwise make every campaign `NO_OWNER`. Nothing is checked under `singleOwner`.
 */
export function absentOwnerColumns(campaigns: readonly StoredRow[], integrations: readonly StoredRow[], options: Pick<MigrationOptions, 'ownerKey' | 'integrationOwnerKey' | 'singleOwner'>): AbsentColumn[] {
  if (options.singleOwner === true) return [];
  const ownerKey = options.ownerKey ?? DEFAULT_OWNER_KEY;
  const integrationOwnerKey = options.integrationOwnerKey ?? ownerKey;
  const lacks = (rows: readonly StoredRow[], column: string) => rows.length > 0 && !rows.some((row) => Object.hasOwn(row, column));
  const absent: AbsentColumn[] = [];
  if (lacks(campaigns, ownerKey)) absent.push({ table: 'campaigns', column: ownerKey, key: 'ownerKey', optional: true });
  if (lacks(integrations, integrationOwnerKey)) absent.push({ table: 'integrations', column: integrationOwnerKey, key: 'integrationOwnerKey', optional: true });
  return absent;
}
