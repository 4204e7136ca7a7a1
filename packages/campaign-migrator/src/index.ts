/**
 * `@app/campaign-migrator`: maps legacy campaigns (`data_source`, `native_config`,
 * `integration_settings`) to `data_sources_v2`, flags every case a person must decide, and
 * supports the review workflow: dry run → report → resolutions → apply → verify.
 *
 * @packageDocumentation
 */
export { AMBIGUITY_REASONS, type AmbiguityReason } from './ambiguity-reason.js';
export {
  CAMPAIGN_OUTCOMES,
  type AlreadyMigratedResult,
  type AmbiguousResult,
  type CampaignMigrationResult,
  type CampaignOutcome,
  type InvalidResult,
  type MigratedResult,
  type MigrationCandidate,
  type NativeResult,
} from './campaign-migration-result.js';
export { CampaignRowSchema, IntegrationSettingsSchema, type CampaignRow, type MigratedCampaignRow } from './campaign-row-schema.js';
export { createResolutionsTemplate } from './create-resolutions-template.js';
export { DataSourceV2Schema, type DataSourceV2 } from './data-source-v2-schema.js';
export { JsonObjectSchema, OwnerIdSchema, RowIdSchema } from './field-schemas.js';
export { formatReportCsv, REPORT_CSV_COLUMNS } from './format-report-csv.js';
export { formatReportMarkdown } from './format-report-markdown.js';
export { InvalidReportError } from './invalid-report-error.js';
export type { IntegrationIssue } from './integration-index.js';
export { IntegrationRowSchema, type IntegrationRow } from './integration-row-schema.js';
export type { JsonObject, JsonValue } from './json-value.js';
export { MAX_LISTED_CANDIDATES, migrateCampaign } from './migrate-campaign.js';
export { DEFAULT_ACTIVE_STATUSES, DEFAULT_OWNER_KEY, type MigrationOptions } from './migration-options.js';
export {
  MIGRATION_REPORT_SCHEMA_VERSION,
  MigrationCandidateSchema,
  MigrationReportItemSchema,
  MigrationReportSchema,
  REPORT_OUTCOMES,
  type MigrationReport,
  type MigrationReportItem,
  type ReportOutcome,
} from './migration-report-schema.js';
export { NATIVE_PROVIDER_ID } from './native-source.js';
export { planCampaignMigration, type PlanCampaignMigrationOptions } from './plan-campaign-migration.js';
export { ResolutionSchema, ResolutionsFileSchema, type Resolution, type ResolutionsFile } from './resolutions-file-schema.js';
export {
  RESOLUTION_ERROR_CODES,
  validateResolutions,
  type ResolutionError,
  type ResolutionErrorCode,
  type ResolutionsValidation,
} from './validate-resolutions.js';
export {
  CAMPAIGN_STATE_PROBLEM_CODES,
  verifyCampaigns,
  type CampaignStateProblem,
  type CampaignStateProblemCode,
  type CampaignStateVerification,
  type VerifyCampaignsOptions,
} from './verify-campaigns.js';
export {
  VERIFICATION_PROBLEM_CODES,
  verifyCampaignMigration,
  type CampaignMigrationVerification,
  type VerificationProblem,
  type VerificationProblemCode,
  type VerifyCampaignMigrationOptions,
} from './verify-campaign-migration.js';
