import { type ProviderId, resolveProviderId } from '@app/canonical-events/providers';
import type { InvalidResult } from './campaign-migration-result.js';
import { CampaignRowSchema, type MigratedCampaignRow } from './campaign-row-schema.js';
import { checkShape } from './check-shape.js';
import type { DataSourceV2 } from './data-source-v2-schema.js';
import { OwnerIdSchema } from './field-schemas.js';
import { cloneJsonValue, type JsonObject } from './json-value.js';
import type { ResolvedMigrationOptions } from './migration-options.js';
import { exceedsNestingDepth, TOO_DEEP_WHY } from './nesting-depth.js';
import { campaignOwner } from './owner-scope.js';
import { isPlainObject, readOwnProperty } from './own-property.js';
import { rowIdText } from './row-id.js';

/** The columns of a campaign row the migration decides on, read once and checked. */
export interface CampaignReading {
  row: Record<string, unknown>;
  id: string;
  /** Owner id as text, `null` when the row has none (missing, null, blank) or under `singleOwner`. */
  owner: string | null;
  /** `data_source`, or `null` when absent, null or blank. */
  dataSource: string | null;
  /** The canonical provider `data_source` names, or `null` when it is absent or not in the alias table. */
  provider: ProviderId | null;
  /** `native_config`, or `null` when absent, null or `{}` (a column default, not a choice). */
  nativeConfig: JsonObject | null;
  /** `integration_settings.integration_id` as text, or `null`. */
  reference: string | null;
  /** `integration_settings` without `integration_id`: the filters of the new source. */
  filters: JsonObject;
  /** A non-empty `data_sources_v2` is present (`[]` is a column default, not a migration). */
  alreadyMigrated: boolean;
}

/** `Campaign "c-1": ` or `Campaign at index 3: `, the start of every message about a row. */
export function campaignLabel(id: string | null): string {
  return id === null ? 'Campaign without a readable id' : `Campaign ${JSON.stringify(id)}`;
}

/** An invalid result naming the field and the row. */
export function invalidCampaign(campaignId: string | null, field: string, why: string): InvalidResult {
  return { outcome: 'invalid', campaignId, field, why, message: `${campaignLabel(campaignId)}: ${field} ${why}` };
}

/** Reads and checks a campaign row; an {@link InvalidResult} when its shape is wrong. */
export function readCampaign(campaign: unknown, options: ResolvedMigrationOptions): CampaignReading | InvalidResult {
  const rawId = readOwnProperty(campaign, 'id');
  const readableId = rowIdText(rawId);
  if (!isPlainObject(campaign)) return invalidCampaign(readableId, '(row)', 'must be an object');
  const tooDeep = Object.keys(campaign).find((key) => exceedsNestingDepth(campaign[key]));
  if (tooDeep !== undefined) return invalidCampaign(readableId, tooDeep, TOO_DEEP_WHY);
  const problem =
    checkShape(CampaignRowSchema, campaign) ??
    (options.singleOwner ? undefined : checkShape(OwnerIdSchema.nullish(), readOwnProperty(campaign, options.ownerKey), options.ownerKey));
  if (problem !== undefined) return invalidCampaign(problem.field === 'id' ? null : readableId, problem.field, problem.why);

  const dataSource = readOwnProperty(campaign, 'data_source');
  const nativeConfig = readOwnProperty(campaign, 'native_config') as JsonObject | null | undefined;
  const settings = readOwnProperty(campaign, 'integration_settings') as JsonObject | null | undefined;
  const reference = readOwnProperty(settings, 'integration_id');
  const dataSourcesV2 = readOwnProperty(campaign, 'data_sources_v2');
  const filters: JsonObject =
    settings == null
      ? {}
      : Object.fromEntries(Object.entries(cloneJsonValue(settings)).filter(([key]) => key !== 'integration_id'));
  const source = typeof dataSource === 'string' && dataSource.trim() !== '' ? dataSource : null;
  return {
    row: campaign,
    id: String(rawId),
    owner: campaignOwner(campaign, options),
    dataSource: source,
    provider: source === null ? null : (resolveProviderId(source) ?? null),
    nativeConfig: nativeConfig != null && Object.keys(nativeConfig).length > 0 ? nativeConfig : null,
    reference: typeof reference === 'string' || typeof reference === 'number' ? String(reference) : null,
    filters,
    alreadyMigrated: Array.isArray(dataSourcesV2) && dataSourcesV2.length > 0,
  };
}

/**
 * The migrated row: every original column, same order, same values (shared, not copied, so they
 * stay byte for byte), with `data_sources_v2` set. Spreading defines own properties, so a
 * `__proto__` column is copied as a column and cannot replace the new row's prototype.
 */
export function withDataSources(row: Record<string, unknown>, dataSources: DataSourceV2[]): MigratedCampaignRow {
  return { ...row, data_sources_v2: dataSources } as MigratedCampaignRow;
}
