import type { CampaignMigrationResult, InvalidResult } from './campaign-migration-result.js';
import type { IntegrationIndex } from './integration-index.js';
import { migrateCampaignWithIndex } from './migrate-campaign.js';
import { ownerToken, type ResolvedMigrationOptions } from './migration-options.js';
import { readOwnProperty } from './own-property.js';
import { invalidCampaign } from './read-campaign.js';

/** One campaign row with its automatic decision. */
export interface CampaignDecision {
  row: unknown;
  index: number;
  result: CampaignMigrationResult;
  /** Owner id as text (`null` when absent or the row is invalid). */
  owner: string | null;
}

function readableId(row: unknown): string | null {
  try {
    const id = readOwnProperty(row, 'id');
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/**
 * Decides every campaign. Rows sharing an id are all invalid: the runner updates rows by id, so
 * it could not tell them apart.
 */
export function decideCampaigns(campaigns: readonly unknown[], index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignDecision[] {
  const rows: readonly unknown[] = Array.isArray(campaigns) ? campaigns : [];
  const positions = new Map<string, number[]>();
  rows.forEach((row, position) => {
    const id = readableId(row);
    if (id !== null) positions.set(id, [...(positions.get(id) ?? []), position]);
  });
  return rows.map((row, position) => {
    const id = readableId(row);
    const shared = id === null ? undefined : positions.get(id);
    const result: CampaignMigrationResult =
      shared !== undefined && shared.length > 1
        ? invalidCampaign(id, 'id', `is shared by the campaigns at positions ${shared.join(', ')}`)
        : migrateCampaignWithIndex(row, index, options);
    let owner: string | null = null;
    if (result.outcome !== 'invalid') owner = ownerToken(readOwnProperty(row, options.ownerKey));
    return { row, index: position, result, owner };
  });
}

/** Campaign id → owner and validity, what resolution checks need. */
export function resolutionLookup(decisions: readonly CampaignDecision[]): Map<string, { owner: string | null; invalid: InvalidResult | null }> {
  const byId = new Map<string, { owner: string | null; invalid: InvalidResult | null }>();
  for (const { result, owner } of decisions) {
    if (result.campaignId === null) continue;
    byId.set(result.campaignId, { owner, invalid: result.outcome === 'invalid' ? result : null });
  }
  return byId;
}
