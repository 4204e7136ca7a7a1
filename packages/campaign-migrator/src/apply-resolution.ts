import type { CampaignMigrationResult } from './campaign-migration-result.js';
import { type IntegrationIndex, isUsableFor } from './integration-index.js';
import { migratedResult, nativeResult } from './migrate-campaign.js';
import type { ResolvedMigrationOptions } from './migration-options.js';
import { readCampaign } from './read-campaign.js';
import type { Resolution } from './resolutions-file-schema.js';

/**
 * The result a validated `native` or integration resolution gives a campaign. `undefined` when it
 * cannot be applied (the row or the integration is not usable), which validation rules out.
 */
export function applyResolution(
  row: unknown,
  resolution: Exclude<Resolution, 'skip'>,
  index: IntegrationIndex,
  options: ResolvedMigrationOptions,
): CampaignMigrationResult | undefined {
  const reading = readCampaign(row, options);
  if ('outcome' in reading) return undefined;
  if (resolution === 'native') return nativeResult(reading, 'a reviewer chose the native source');
  const integration = index.byId.get(String(resolution.integration_id));
  if (integration === undefined || !isUsableFor(integration, reading.owner)) return undefined;
  return migratedResult(reading, integration, 'a reviewer chose this integration');
}
