/**
 * `@app/migrate`: the backfills of the v2 migration — canonical events for every event, and
 * `data_sources_v2` for every campaign — run in keyset-paginated batches that each commit with
 * their checkpoint, so a run survives crashes and resumes exactly where it stopped. The runner
 * reaches storage only through the {@link MigrationStore} port; adapters implement it.
 *
 * This entry loads zod for its schemas, the flag validation and the campaign migration;
 * `@app/migrate/core` holds the event runner and the store port without it.
 *
 * @packageDocumentation
 */
export * from './core.js';
export { EventMigrationReportSchema, EventMigrationWorkersReportSchema, EventSampleSchema, FailedItemSchema } from './event-migration-report.js';
export { FLAG_FIELDS, changedFields, unexpectedFields, validateFlagWrite, validateNewFlag } from './validate-flag-write.js';
export { MigrateConfigSchema } from './migrate-config.js';
export { type MemoryStore, type MemoryStoreOptions, type MemoryStoreSeed, createMemoryStore } from './memory-store.js';
export { type CampaignMigrationOptions, type CampaignMigrationRun, recordedResolutions, runCampaignMigration } from './run-campaign-migration.js';
export { type EventMismatch, type MigrationVerification, type VerifyMigrationOptions, verifyMigration } from './verify-migration.js';
export { type FlagPlanAction, type FlagPlanResult, type FlagPlanWrite, changeFlagPlan, storedPlanOf } from './change-flag-plan.js';
export { flagVersion } from './flag-version.js';
export { type FlagGuardrailCheck, type GuardrailCheckOptions, checkFlagGuardrails, holdWorthRecording } from './check-flag-guardrails.js';
export { type StaleFlag, staleFlags } from './stale-flags.js';
