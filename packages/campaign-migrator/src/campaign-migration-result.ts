import type { ProviderId } from '@app/canonical-events/providers';
import type { AmbiguityReason } from './ambiguity-reason.js';
import type { CampaignRow, MigratedCampaignRow } from './campaign-row-schema.js';
import type { DataSourceV2 } from './data-source-v2-schema.js';

/** A choice a reviewer can make for an ambiguous campaign (and write into the resolutions file). */
export type MigrationCandidate =
  | { type: 'integration'; integration_id: string | number; provider: ProviderId; name: string | null }
  | { type: 'native'; provider: ProviderId };

/** The campaign was mapped to one integration: `campaign` is the row with `data_sources_v2` added. */
export interface MigratedResult {
  outcome: 'migrated';
  campaignId: string;
  campaign: MigratedCampaignRow;
  dataSources: DataSourceV2[];
  message: string;
}

/** The campaign runs on the product's own data: `campaign` has a native `data_sources_v2` entry. */
export interface NativeResult {
  outcome: 'native';
  campaignId: string;
  campaign: MigratedCampaignRow;
  dataSources: DataSourceV2[];
  message: string;
}

/** The campaign already has a valid, non-empty `data_sources_v2`; `campaign` is the input itself. */
export interface AlreadyMigratedResult {
  outcome: 'already_migrated';
  campaignId: string;
  campaign: CampaignRow;
  message: string;
}

/** A person must choose: `reasons` says why, `candidates` what they can choose from. */
export interface AmbiguousResult {
  outcome: 'ambiguous';
  campaignId: string;
  reasons: AmbiguityReason[];
  /** The choices: at most `MAX_LISTED_CANDIDATES` integrations, in id order, then native when it is one. */
  candidates: MigrationCandidate[];
  /** How many choices there are, listed or not. */
  candidatesTotal: number;
  message: string;
}

/** The row does not have the shape of a campaign: `field` is wrong because of `why`. */
export interface InvalidResult {
  outcome: 'invalid';
  /** The id as text, or `null` when the row has no readable id. */
  campaignId: string | null;
  field: string;
  why: string;
  message: string;
}

/** What {@link migrateCampaign} decided for one campaign. Discriminated on `outcome`. */
export type CampaignMigrationResult = MigratedResult | NativeResult | AlreadyMigratedResult | AmbiguousResult | InvalidResult;

/** The outcomes of {@link migrateCampaign}. */
export const CAMPAIGN_OUTCOMES = ['migrated', 'already_migrated', 'native', 'ambiguous', 'invalid'] as const;

/** One of {@link CAMPAIGN_OUTCOMES}. */
export type CampaignOutcome = (typeof CAMPAIGN_OUTCOMES)[number];
