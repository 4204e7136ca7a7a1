/**
 * Why a campaign cannot be migrated without a person's choice. Stable codes: the report, the
 * CSV export and the resolutions workflow key on them.
 *
 * - `NO_OWNER`: the owner column (`ownerKey`) has no value (missing, null or blank), so no
 *   integration can be matched without risking another owner's; `singleOwner` data never has it.
 * - `NO_MATCHING_INTEGRATION`: `data_source` names a known provider, but the owner has no usable
 *   integration of it.
 * - `NO_SOURCE`: neither `data_source` nor `native_config` (nor an integration reference) is set.
 * - `ORPHANED_INTEGRATION`: `integration_settings.integration_id` points to an integration that
 *   does not exist, is deleted, is inactive, or belongs to another owner.
 * - `MULTIPLE_MATCHING_INTEGRATIONS`: the owner has more than one usable integration of the provider.
 * - `UNKNOWN_PROVIDER`: the provider name is not in the shared alias table of `@app/canonical-events`.
 * - `INTEGRATION_PROVIDER_MISMATCH`: the referenced integration is of another provider than `data_source`.
 * - `CONFLICTING_SOURCES`: both an integration source and a non-empty `native_config` are set.
 */
export const AMBIGUITY_REASONS = [
  'NO_OWNER',
  'NO_MATCHING_INTEGRATION',
  'NO_SOURCE',
  'ORPHANED_INTEGRATION',
  'MULTIPLE_MATCHING_INTEGRATIONS',
  'UNKNOWN_PROVIDER',
  'INTEGRATION_PROVIDER_MISMATCH',
  'CONFLICTING_SOURCES',
] as const;

/** One of {@link AMBIGUITY_REASONS}. */
export type AmbiguityReason = (typeof AMBIGUITY_REASONS)[number];
