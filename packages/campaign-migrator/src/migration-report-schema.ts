import { PROVIDER_IDS } from '@app/canonical-events/providers';
import { z } from 'zod';
import { AMBIGUITY_REASONS } from './ambiguity-reason.js';
import { DataSourceV2Schema } from './data-source-v2-schema.js';
import { RowIdSchema } from './field-schemas.js';
import { ResolutionSchema } from './resolutions-file-schema.js';
import { RESOLUTION_ERROR_CODES } from './validate-resolutions.js';

/**
 * The version of the report format; bumped on any incompatible change. 2: the `NO_OWNER` reason
 * (`summary.reasons` lists every code, so a new code changes its shape), `singleOwner`, the
 * `PROVIDER_MISMATCH` resolution error and `allow_provider_mismatch` in resolutions. 3: items list
 * at most `MAX_LISTED_CANDIDATES` integration candidates, with `candidatesTotal`.
 */
export const MIGRATION_REPORT_SCHEMA_VERSION = 3;

/**
 * Outcomes of a report item: the outcomes of `migrateCampaign`, plus `skipped` (a reviewer chose
 * to leave the campaign as it is).
 */
export const REPORT_OUTCOMES = ['migrated', 'native', 'already_migrated', 'ambiguous', 'skipped', 'invalid'] as const;

/** One of {@link REPORT_OUTCOMES}. */
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

const ProviderIdSchema = z.enum(PROVIDER_IDS);

/** A choice offered to the reviewer of an ambiguous campaign. */
export const MigrationCandidateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('integration'), integration_id: RowIdSchema, provider: ProviderIdSchema, name: z.string().nullable() }),
  z.object({ type: z.literal('native'), provider: ProviderIdSchema }),
]);

/** One campaign in the report. */
export const MigrationReportItemSchema = z.object({
  /** The campaign id as text; `null` when the row has no readable id. */
  campaignId: z.string().nullable(),
  /** Position of the row in the campaigns given to the planner. */
  index: z.number().int(),
  outcome: z.enum(REPORT_OUTCOMES),
  /** Why the campaign was ambiguous; kept after a resolution settles it, as an audit trail. */
  reasons: z.array(z.enum(AMBIGUITY_REASONS)),
  /** The choices of an ambiguous campaign: at most `MAX_LISTED_CANDIDATES` integrations, then native when it is one. */
  candidates: z.array(MigrationCandidateSchema),
  /** How many choices there are, listed in `candidates` or not (0 when the campaign is not ambiguous). */
  candidatesTotal: z.number().int().nonnegative(),
  /** The reviewer's resolution for this campaign, if the resolutions file had one. */
  resolution: ResolutionSchema.nullable(),
  /** Whether that resolution decided the outcome (ignored for already migrated campaigns, and for invalid rows unless it is `skip`). */
  resolutionApplied: z.boolean(),
  /** For `invalid` items, and invalid rows a reviewer chose to skip: the wrong field and why. */
  invalid: z.object({ field: z.string(), why: z.string() }).nullable(),
  message: z.string(),
  /** The campaign row as given (`null` only for a row nested too deeply to write as JSON). */
  before: z.unknown(),
  /** The row as it will be once written; `null` when nothing is written. */
  after: z.unknown(),
  /** What the runner writes: only `data_sources_v2`, nothing else; `null` when nothing is written. */
  patch: z.object({ data_sources_v2: z.array(DataSourceV2Schema) }).nullable(),
});

/** One campaign in the report. */
export type MigrationReportItem = z.infer<typeof MigrationReportItemSchema>;

const CountSchema = z.number().int().nonnegative();

/**
 * The migration report: plain JSON, versioned, in a stable order (by campaign id, code-unit
 * order; rows without a readable id last, by position). No timestamps or host names: planning the
 * same rows twice gives the same report, so reports can be diffed.
 */
export const MigrationReportSchema = z.object({
  format: z.literal('campaign-migration-report'),
  schemaVersion: z.literal(MIGRATION_REPORT_SCHEMA_VERSION),
  ownerKey: z.string(),
  /** Whether owner columns were ignored (`singleOwner: true`): every campaign could match every integration. */
  singleOwner: z.boolean(),
  summary: z.object({
    total: CountSchema,
    /** Items per outcome (every outcome present, zero when none). */
    outcomes: z.record(z.enum(REPORT_OUTCOMES), CountSchema),
    /** Reasons of the items still `ambiguous` (an item with two reasons counts in both). */
    reasons: z.record(z.enum(AMBIGUITY_REASONS), CountSchema),
    /** Items with a `patch` to write. */
    writes: CountSchema,
    /** Items whose outcome a resolution decided. */
    resolutionsApplied: CountSchema,
    integrationIssues: CountSchema,
    resolutionErrors: CountSchema,
  }),
  items: z.array(MigrationReportItemSchema),
  /** Integration rows that cannot be matched (bad shape, unknown provider, duplicate id). */
  integrationIssues: z.array(
    z.object({ index: z.number().int(), integrationId: z.string().nullable(), field: z.string(), why: z.string() }),
  ),
  /** Problems of the resolutions file; when any, no resolution was applied. */
  resolutionErrors: z.array(
    z.object({ code: z.enum(RESOLUTION_ERROR_CODES), campaignId: z.string().nullable(), integrationId: z.string().nullable(), message: z.string() }),
  ),
});

/** The migration report. */
export type MigrationReport = z.infer<typeof MigrationReportSchema>;
