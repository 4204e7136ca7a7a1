import { z } from 'zod';
import { checkShape } from './check-shape.js';
import { type IntegrationIndex, indexIntegrations, unusableReason } from './integration-index.js';
import { type CampaignForResolution, decideCampaigns, resolutionLookup } from './decide-campaigns.js';
import { type MigrationOptions, resolveMigrationOptions } from './migration-options.js';
import { readOwnProperty } from './own-property.js';
import { type Resolution, ResolutionSchema, ResolutionsFileSchema } from './resolutions-file-schema.js';

const ResolutionsEnvelopeSchema = ResolutionsFileSchema.extend({ resolutions: z.record(z.string(), z.unknown(), { error: 'must be an object mapping campaign ids to resolutions' }) });

/** Stable codes of {@link ResolutionError}. */
export const RESOLUTION_ERROR_CODES = [
  'INVALID_FILE',
  'UNKNOWN_CAMPAIGN',
  'INVALID_CAMPAIGN',
  'UNKNOWN_INTEGRATION',
  'UNUSABLE_INTEGRATION',
  'PROVIDER_MISMATCH',
] as const;

/** One of {@link RESOLUTION_ERROR_CODES}. */
export type ResolutionErrorCode = (typeof RESOLUTION_ERROR_CODES)[number];

/** Why a resolutions file cannot be applied. The message names the campaign and integration. */
export interface ResolutionError {
  code: ResolutionErrorCode;
  campaignId: string | null;
  integrationId: string | null;
  message: string;
}

/** The verdict of {@link validateResolutions}, shaped like zod's `safeParse`. */
export type ResolutionsValidation =
  | { success: true; resolutions: ReadonlyMap<string, Resolution> }
  | { success: false; errors: ResolutionError[] };

const UNUSABLE_WORDS = {
  deleted: 'is deleted',
  inactive: 'is inactive',
  other_owner: "belongs to another owner than the campaign's",
  unowned: 'has no owner, so it cannot serve an owned campaign',
  unknown_provider: 'has a provider name that is not in the alias table',
} as const;

/** Validates a resolutions file against campaigns already read and integrations already indexed. */
export function validateResolutionsAgainst(
  file: unknown,
  campaigns: ReadonlyMap<string, CampaignForResolution>,
  index: IntegrationIndex,
): ResolutionsValidation {
  // The envelope first, then each entry on its own, so an error names its campaign id.
  const fileProblem = checkShape(ResolutionsEnvelopeSchema, file);
  if (fileProblem !== undefined) {
    return {
      success: false,
      errors: [{ code: 'INVALID_FILE', campaignId: null, integrationId: null, message: `Resolutions file: ${fileProblem.field} ${fileProblem.why}` }],
    };
  }
  const entries = readOwnProperty(file, 'resolutions') as Record<string, unknown>;
  const resolutions = new Map<string, Resolution>();
  const errors: ResolutionError[] = [];
  for (const campaignId of Object.keys(entries)) {
    const value = readOwnProperty(entries, campaignId);
    const problem = checkShape(ResolutionSchema, value);
    const label = `Resolution for campaign ${JSON.stringify(campaignId)}`;
    if (problem !== undefined) {
      errors.push({ code: 'INVALID_FILE', campaignId, integrationId: null, message: `${label}: ${problem.field === '(row)' ? '' : `${problem.field} `}${problem.why}` });
      continue;
    }
    const resolution = value as Resolution;
    const campaign = campaigns.get(campaignId);
    if (campaign === undefined) {
      errors.push({ code: 'UNKNOWN_CAMPAIGN', campaignId, integrationId: null, message: `${label}: no campaign has id ${JSON.stringify(campaignId)}` });
      continue;
    }
    // Skipping an invalid row (or rows sharing an id) only records that a person saw it.
    if (campaign.invalid !== null && resolution !== 'skip') {
      errors.push({
        code: 'INVALID_CAMPAIGN',
        campaignId,
        integrationId: null,
        message: `${label}: the campaign row is invalid (${campaign.invalid.field} ${campaign.invalid.why}); fix the row first, or resolve it with "skip"`,
      });
      continue;
    }
    if (typeof resolution === 'object') {
      const integrationId = String(resolution.integration_id);
      const integration = index.byId.get(integrationId);
      if (integration === undefined) {
        errors.push({ code: 'UNKNOWN_INTEGRATION', campaignId, integrationId, message: `${label}: no integration has id ${JSON.stringify(integrationId)}` });
        continue;
      }
      const unusable = unusableReason(integration, campaign.owner);
      if (unusable !== undefined) {
        errors.push({ code: 'UNUSABLE_INTEGRATION', campaignId, integrationId, message: `${label}: integration ${JSON.stringify(integrationId)} ${UNUSABLE_WORDS[unusable]}` });
        continue;
      }
      if (campaign.provider !== null && integration.provider !== campaign.provider && resolution.allow_provider_mismatch !== true) {
        errors.push({
          code: 'PROVIDER_MISMATCH',
          campaignId,
          integrationId,
          message:
            `${label}: integration ${JSON.stringify(integrationId)} is a ${String(integration.provider)} integration but the campaign's data_source is ${campaign.provider}; ` +
            'add "allow_provider_mismatch": true to the resolution if that is intended',
        });
        continue;
      }
    }
    resolutions.set(campaignId, resolution);
  }
  return errors.length > 0 ? { success: false, errors } : { success: true, resolutions };
}

/**
 * Checks a resolutions file (parsed JSON) against the campaigns and integrations it will be
 * applied to: its shape, that every campaign id exists and is a valid row (any row may be
 * skipped), and that every integration id exists and can serve that campaign (not deleted,
 * active, same owner unless the campaign has none, known provider, and the provider `data_source`
 * names unless `allow_provider_mismatch` is set). Never throws.
 */
export function validateResolutions(
  file: unknown,
  campaigns: readonly unknown[],
  integrations: readonly unknown[],
  options?: MigrationOptions,
): ResolutionsValidation {
  const resolved = resolveMigrationOptions(options);
  const index = indexIntegrations(integrations, resolved);
  return validateResolutionsAgainst(file, resolutionLookup(decideCampaigns(campaigns, index, resolved)), index);
}

