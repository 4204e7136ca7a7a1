import type { ProviderId } from '@app/canonical-events/providers';
import type { CampaignMigrationResult, InvalidResult } from './campaign-migration-result.js';
import type { IntegrationIndex } from './integration-index.js';
import { decideCampaignRow } from './migrate-campaign.js';
import type { ResolvedMigrationOptions } from './migration-options.js';
import { invalidCampaign } from './read-campaign.js';
import { readRowId } from './row-id.js';


/** One campaign row with its automatic decision. */
export interface CampaignDecision {
  row: unknown;
  index: number;
  result: CampaignMigrationResult;
  /** Owner id as text (`null` when absent, under `singleOwner`, or the row is invalid). */
  owner: string | null;
  /** The known provider `data_source` names (`null` when absent, unknown, or the row is invalid). */
  provider: ProviderId | null;
}

/** What a resolution check needs to know of one campaign id. */
export interface CampaignForResolution {
  owner: string | null;
  provider: ProviderId | null;
  invalid: InvalidResult | null;
}

// Enough positions to find the rows in a dump; a message listing all of them grows with the
// number of duplicates, and so would the report (quadratically: one such message per row).
const NAMED_POSITIONS = 3;

interface SharedId {
  count: number;
  positions: number[];
  why?: string;
}

function sharedWhy(shared: SharedId): string {
  shared.why ??= `is shared by ${shared.count} campaign rows (positions ${shared.positions.join(', ')}${
    shared.count > shared.positions.length ? ` and ${shared.count - shared.positions.length} more` : ''
  })`;
  return shared.why;
}

/**
 * Decides every campaign, in time linear in the number of rows. Rows sharing an id are all
 * invalid: the runner updates rows by id, so it could not tell them apart.
 */
export function decideCampaigns(campaigns: readonly unknown[], index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignDecision[] {
  const rows: readonly unknown[] = Array.isArray(campaigns) ? campaigns : [];
  const ids = rows.map(readRowId);
  const byId = new Map<string, SharedId>();
  ids.forEach((id, position) => {
    if (id === null) return;
    const shared = byId.get(id);
    if (shared === undefined) byId.set(id, { count: 1, positions: [position] });
    else {
      shared.count += 1;
      if (shared.positions.length < NAMED_POSITIONS) shared.positions.push(position);
    }
  });
  return rows.map((row, position) => {
    const id = ids[position] ?? null;
    const shared = id === null ? undefined : byId.get(id);
    if (shared !== undefined && shared.count > 1) {
      return { row, index: position, result: invalidCampaign(id, 'id', sharedWhy(shared)), owner: null, provider: null };
    }
    const { result, reading } = decideCampaignRow(row, index, options);
    return { row, index: position, result, owner: reading?.owner ?? null, provider: reading?.provider ?? null };
  });
}

/** Campaign id → owner, provider and validity, what resolution checks need. */
export function resolutionLookup(decisions: readonly CampaignDecision[]): Map<string, CampaignForResolution> {
  const byId = new Map<string, CampaignForResolution>();
  for (const { result, owner, provider } of decisions) {
    if (result.campaignId === null) continue;
    byId.set(result.campaignId, { owner, provider, invalid: result.outcome === 'invalid' ? result : null });
  }
  return byId;
}
