import { AMBIGUITY_REASONS, type AmbiguityReason } from './ambiguity-reason.js';
import { applyResolution } from './apply-resolution.js';
import type { CampaignMigrationResult } from './campaign-migration-result.js';
import { type CampaignDecision, decideCampaigns, resolutionLookup } from './decide-campaigns.js';
import { type IntegrationIndex, indexIntegrations } from './integration-index.js';
import { TOO_DEEP_WHY } from './nesting-depth.js';
import { isUnreadableWhy } from './unreadable.js';
import { type MigrationOptions, type ResolvedMigrationOptions, resolveMigrationOptions } from './migration-options.js';
import {
  MIGRATION_REPORT_SCHEMA_VERSION,
  type MigrationReport,
  type MigrationReportItem,
  REPORT_OUTCOMES,
  type ReportOutcome,
} from './migration-report-schema.js';
import type { Resolution } from './resolutions-file-schema.js';
import { type ResolutionError, validateResolutionsAgainst } from './validate-resolutions.js';

/** Options of {@link planCampaignMigration}. */
export interface PlanCampaignMigrationOptions extends MigrationOptions {
  /**
   * A resolutions file (parsed JSON, see `ResolutionsFileSchema`). It is validated first; when it
   * has any error, none of it is applied and the errors are listed in `report.resolutionErrors`.
   */
  resolutions?: unknown;
}

function compareItems(a: MigrationReportItem, b: MigrationReportItem): number {
  if (a.campaignId !== b.campaignId) {
    if (a.campaignId === null) return 1;
    if (b.campaignId === null) return -1;
    return a.campaignId < b.campaignId ? -1 : 1;
  }
  return a.index - b.index;
}

function itemFrom(decision: CampaignDecision, result: CampaignMigrationResult, extra: { resolution: Resolution | null; resolutionApplied: boolean; reasons: AmbiguityReason[]; outcome?: ReportOutcome; message?: string }): MigrationReportItem {
  const writes = result.outcome === 'migrated' || result.outcome === 'native';
  const outcome = extra.outcome ?? result.outcome;
  const written = writes && outcome !== 'skipped';
  // JSON.stringify recurses, and calls getters: a row this deep, or one that threw when read,
  // would make the whole report unwritable.
  const unwritable = result.outcome === 'invalid' && (result.why === TOO_DEEP_WHY || isUnreadableWhy(result.why));
  return {
    campaignId: result.campaignId,
    index: decision.index,
    outcome,
    reasons: extra.reasons,
    candidates: decision.result.outcome === 'ambiguous' ? decision.result.candidates : [],
    candidatesTotal: decision.result.outcome === 'ambiguous' ? decision.result.candidatesTotal : 0,
    resolution: extra.resolution,
    resolutionApplied: extra.resolutionApplied,
    invalid: result.outcome === 'invalid' ? { field: result.field, why: result.why } : null,
    message: unwritable ? `${result.message} (row left out of the report)` : (extra.message ?? result.message),
    before: unwritable ? null : decision.row,
    after: written ? result.campaign : null,
    patch: written ? { data_sources_v2: result.dataSources } : null,
  };
}

function reportItem(decision: CampaignDecision, resolution: Resolution | undefined, index: IntegrationIndex, options: ResolvedMigrationOptions): MigrationReportItem {
  const automatic = decision.result;
  const reasons = automatic.outcome === 'ambiguous' ? automatic.reasons : [];
  if (resolution === undefined) return itemFrom(decision, automatic, { resolution: null, resolutionApplied: false, reasons });
  if (automatic.outcome === 'already_migrated' || (automatic.outcome === 'invalid' && resolution !== 'skip')) {
    return itemFrom(decision, automatic, {
      resolution,
      resolutionApplied: false,
      reasons,
      message: `${automatic.message} (resolution not needed: left as it is)`,
    });
  }
  if (resolution === 'skip') {
    // An invalid row can be skipped too: the item keeps `invalid` (field and why) as the record.
    return itemFrom(decision, automatic, {
      resolution,
      resolutionApplied: true,
      reasons,
      outcome: 'skipped',
      message: `${automatic.message} (a reviewer chose to skip it)`,
    });
  }
  const resolved = applyResolution(decision.row, resolution, index, options);
  if (resolved === undefined) return itemFrom(decision, automatic, { resolution, resolutionApplied: false, reasons });
  return itemFrom(decision, resolved, { resolution, resolutionApplied: true, reasons });
}

function countBy<K extends string>(keys: readonly K[], values: Iterable<K>): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

/**
 * Plans the migration of every campaign (the dry run): decides each one, applies a reviewer's
 * resolutions if given, and returns a versioned JSON report with one item per campaign, in a
 * stable order. Pure and total: the same rows and resolutions always give the same report, and
 * planning the rows after the report was applied gives only `already_migrated` items for the
 * written ones.
 *
 * @example
 * ```ts
 * const dryRun = planCampaignMigration(campaigns, integrations, { ownerKey: 'workspace_id' });
 * dryRun.summary.outcomes.ambiguous; // campaigns a person must decide
 * const final = planCampaignMigration(campaigns, integrations, { ownerKey: 'workspace_id', resolutions });
 * ```
 */
export function planCampaignMigration(
  campaigns: readonly unknown[],
  integrations: readonly unknown[],
  options: PlanCampaignMigrationOptions = {},
): MigrationReport {
  const resolved = resolveMigrationOptions(options);
  const index = indexIntegrations(integrations, resolved);
  const decisions = decideCampaigns(campaigns, index, resolved);

  let resolutions: ReadonlyMap<string, Resolution> = new Map();
  let resolutionErrors: ResolutionError[] = [];
  if (options?.resolutions !== undefined) {
    const validation = validateResolutionsAgainst(options.resolutions, resolutionLookup(decisions), index);
    if (validation.success) resolutions = validation.resolutions;
    else resolutionErrors = validation.errors;
  }

  const items = decisions
    .map((decision) => reportItem(decision, decision.result.campaignId === null ? undefined : resolutions.get(decision.result.campaignId), index, resolved))
    .sort(compareItems);
  const ambiguous = items.filter((item) => item.outcome === 'ambiguous');
  return {
    format: 'campaign-migration-report',
    schemaVersion: MIGRATION_REPORT_SCHEMA_VERSION,
    ownerKey: resolved.ownerKey,
    singleOwner: resolved.singleOwner,
    summary: {
      total: items.length,
      outcomes: countBy(REPORT_OUTCOMES, items.map((item) => item.outcome)),
      reasons: countBy(AMBIGUITY_REASONS, ambiguous.flatMap((item) => item.reasons)),
      writes: items.filter((item) => item.patch !== null).length,
      resolutionsApplied: items.filter((item) => item.resolutionApplied).length,
      integrationIssues: index.issues.length,
      resolutionErrors: resolutionErrors.length,
    },
    items,
    integrationIssues: [...index.issues],
    resolutionErrors,
  };
}
