import { z } from 'zod';
import { checkShape } from './check-shape.js';
import { DataSourceV2Schema } from './data-source-v2-schema.js';
import { type IntegrationIndex, indexIntegrations, unusableReason } from './integration-index.js';
import { type ResolvedMigrationOptions, resolveMigrationOptions } from './migration-options.js';
import type { MigrationReportItem } from './migration-report-schema.js';
import { NATIVE_PROVIDER_ID } from './native-source.js';
import { campaignOwner } from './owner-scope.js';
import { readOwnProperty } from './own-property.js';
import { type PlanCampaignMigrationOptions, planCampaignMigration } from './plan-campaign-migration.js';
import { campaignLabel } from './read-campaign.js';
import type { Resolution } from './resolutions-file-schema.js';
import { unreadableWhy } from './unreadable.js';

/** Stable codes of {@link CampaignStateProblem}. */
export const CAMPAIGN_STATE_PROBLEM_CODES = [
  'INVALID_RESOLUTIONS',
  'INVALID_DATA_SOURCES_V2',
  'UNKNOWN_INTEGRATION',
  'FOREIGN_INTEGRATION',
  'DELETED_INTEGRATION',
  'PROVIDER_MISMATCH',
  'NOT_MIGRATED',
  'UNDECIDED',
  'INVALID_CAMPAIGN',
] as const;

/** One of {@link CAMPAIGN_STATE_PROBLEM_CODES}. */
export type CampaignStateProblemCode = (typeof CAMPAIGN_STATE_PROBLEM_CODES)[number];

/** A campaign whose state nothing explains. The message names the campaign and what to do. */
export interface CampaignStateProblem {
  code: CampaignStateProblemCode;
  campaignId: string | null;
  /** The column (`data_sources_v2[0].integration_id`) or `(row)`; `null` for the resolutions file. */
  field: string | null;
  message: string;
}

/** What {@link verifyCampaigns} found. */
export interface CampaignStateVerification {
  /** `true` when every campaign is migrated correctly or explained. */
  ok: boolean;
  counts: {
    /** Campaign rows checked. */
    campaigns: number;
    /** Rows with a `data_sources_v2` that passed every check. */
    migrated: number;
    /** Rows without `data_sources_v2` that a `skip` resolution explains. */
    skipped: number;
    /** Rows with a problem (each counted once, however many problems it has). */
    unexplained: number;
  };
  /** Every problem, in campaign id order. */
  problems: CampaignStateProblem[];
}

/** Options of {@link verifyCampaigns}: the options the migration ran with, and its resolutions file. */
export type VerifyCampaignsOptions = PlanCampaignMigrationOptions;

const DataSourcesV2ListSchema = z.array(DataSourceV2Schema).min(1, { error: 'must not be empty' });

const UNUSABLE: Record<string, { code: CampaignStateProblemCode; words: string }> = {
  other_owner: { code: 'FOREIGN_INTEGRATION', words: 'belongs to another owner' },
  unowned: { code: 'FOREIGN_INTEGRATION', words: 'has no owner, and the campaign has one' },
  deleted: { code: 'DELETED_INTEGRATION', words: 'is deleted' },
};

type Report = (code: CampaignStateProblemCode, field: string | null, why: string) => void;

/** Checks a migrated campaign's `data_sources_v2`: valid entries, each integration existing and the owner's, unless a resolution chose it. */
function checkMigrated(item: MigrationReportItem, resolution: Resolution | undefined, index: IntegrationIndex, options: ResolvedMigrationOptions, report: Report): void {
  const row = item.before;
  const sources = readOwnProperty(row, 'data_sources_v2');
  const shape = checkShape(DataSourcesV2ListSchema, sources, 'data_sources_v2');
  if (shape !== undefined) return report('INVALID_DATA_SOURCES_V2', shape.field, shape.why);
  const owner = campaignOwner(row, options);
  const chosen = typeof resolution === 'object' ? resolution : undefined;
  (sources as z.infer<typeof DataSourcesV2ListSchema>).forEach((source, position) => {
    const field = `data_sources_v2[${position}]`;
    if (source.integration_id === null) {
      if (source.provider !== NATIVE_PROVIDER_ID) report('INVALID_DATA_SOURCES_V2', `${field}.integration_id`, `is null, which only the native source (${NATIVE_PROVIDER_ID}) may be; provider is ${source.provider}`);
      return;
    }
    const key = String(source.integration_id);
    const integration = index.byId.get(key);
    // An explicit resolution settles ownership (a NO_OWNER campaign) and, when it says so, the provider.
    const resolved = chosen !== undefined && String(chosen.integration_id) === key;
    if (integration === undefined) return report('UNKNOWN_INTEGRATION', `${field}.integration_id`, `names integration ${JSON.stringify(key)}, which does not exist`);
    const unusable = unusableReason(integration, owner);
    const problem = unusable === undefined ? undefined : UNUSABLE[unusable];
    if (problem !== undefined && !(resolved && problem.code === 'FOREIGN_INTEGRATION')) {
      return report(problem.code, `${field}.integration_id`, `names integration ${JSON.stringify(key)}, which ${problem.words}`);
    }
    if (owner === null && !options.singleOwner && !resolved) {
      return report('FOREIGN_INTEGRATION', `${field}.integration_id`, `names integration ${JSON.stringify(key)}, but the campaign has no owner (${options.ownerKey}) and no resolution chose it`);
    }
    if (integration.provider !== null && integration.provider !== source.provider && !(resolved && chosen?.allow_provider_mismatch === true)) {
      report('PROVIDER_MISMATCH', `${field}.provider`, `is ${source.provider}, but integration ${JSON.stringify(key)} is a ${integration.provider} integration`);
    }
  });
}

/**
 * Checks every campaign as it is now, the way the migration decides them: the verify step when
 * there is no snapshot from before the run (`app-migrate verify`). Each campaign is explained
 * when
 *
 * - its `data_sources_v2` is valid (`DataSourceV2Schema`, non-empty) and every integration it
 *   names exists, is not deleted, belongs to the campaign's owner (`ownerKey`, unless
 *   `singleOwner`) and has the entry's provider — or a resolution chose that integration; or
 * - it has no `data_sources_v2` and a `skip` resolution says so.
 *
 * Anything else is a problem naming the campaign: a campaign a run would write (`NOT_MIGRATED`),
 * an ambiguous one no resolution decides (`UNDECIDED`), an invalid row (`INVALID_CAMPAIGN`), a
 * bad `data_sources_v2`. Pure and total: any input gives a result, never a throw.
 *
 * @example
 * ```ts
 * const check = verifyCampaigns(campaignsNow, integrationsNow, { ownerKey: 'workspace_id', resolutions });
 * if (!check.ok) for (const problem of check.problems) console.log(problem.message);
 * ```
 */
export function verifyCampaigns(campaigns: readonly unknown[], integrations: readonly unknown[], options: VerifyCampaignsOptions = {}): CampaignStateVerification {
  const counts = { campaigns: 0, migrated: 0, skipped: 0, unexplained: 0 };
  const problems: CampaignStateProblem[] = [];
  const resolved = resolveMigrationOptions(options);
  const plan = planCampaignMigration(campaigns, integrations, options);
  for (const error of plan.resolutionErrors) {
    problems.push({ code: 'INVALID_RESOLUTIONS', campaignId: error.campaignId, field: null, message: `The resolutions file: ${error.message}` });
  }
  const index = indexIntegrations(integrations, resolved);
  const resolutions = resolutionsOf(options.resolutions);
  for (const item of plan.items) {
    counts.campaigns += 1;
    let found = false;
    const report: Report = (code, field, why) => {
      found = true;
      problems.push({ code, campaignId: item.campaignId, field, message: `${campaignLabel(item.campaignId)}: ${field === null ? '' : `${field} `}${why}` });
    };
    try {
      checkItem(item, item.campaignId === null ? undefined : resolutions.get(item.campaignId), index, resolved, report);
    } catch (error) {
      report('INVALID_CAMPAIGN', '(row)', unreadableWhy(error));
    }
    if (found) counts.unexplained += 1;
    else if (item.outcome === 'already_migrated') counts.migrated += 1;
    else counts.skipped += 1;
  }
  return { ok: problems.length === 0, counts, problems };
}

function checkItem(item: MigrationReportItem, resolution: Resolution | undefined, index: IntegrationIndex, options: ResolvedMigrationOptions, report: Report): void {
  switch (item.outcome) {
    case 'already_migrated':
      return checkMigrated(item, resolution, index, options, report);
    case 'migrated':
    case 'native':
      return report('NOT_MIGRATED', 'data_sources_v2', `is not set, and a run would write it (${item.message.replace(/^Campaign [^:]*: /, '')}): run the campaign migration with apply`);
    case 'ambiguous':
      return report('UNDECIDED', 'data_sources_v2', `is not set: the campaign is ambiguous (${item.reasons.join(', ')}) and no resolution decides it`);
    case 'invalid':
      // The row schema checks data_sources_v2 too: a bad one set by hand is reported as such.
      if (item.invalid?.field.startsWith('data_sources_v2') === true) return report('INVALID_DATA_SOURCES_V2', item.invalid.field, item.invalid.why);
      return report('INVALID_CAMPAIGN', item.invalid?.field ?? '(row)', `${item.invalid?.why ?? 'is invalid'}; fix the row, or resolve it with "skip"`);
    case 'skipped':
      return;
  }
}

/** The resolutions of a file that validated (the plan reports one that did not); read defensively. */
function resolutionsOf(file: unknown): ReadonlyMap<string, Resolution> {
  const map = new Map<string, Resolution>();
  try {
    const entries = readOwnProperty(file, 'resolutions');
    if (typeof entries === 'object' && entries !== null) for (const [id, resolution] of Object.entries(entries)) map.set(id, resolution as Resolution);
  } catch {
    // An unreadable file is already an INVALID_RESOLUTIONS problem of the plan.
  }
  return map;
}
