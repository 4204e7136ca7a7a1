/**
 * `@app/migrate`: the backfills of the v2 migration — canonical events for every event, and
 * `data_sources_v2` for every campaign — run in keyset-paginated batches that each commit with
 * their checkpoint, so a run survives crashes and resumes exactly where it stopped. The runner
 * reaches storage only through the {@link MigrationStore} port; adapters implement it.
 *
 * @packageDocumentation
 */
export {
  CheckpointMismatchError,
  DataRejectedError,
  isDataRejected,
  type AbsentColumnWording,
  describeAbsentColumns,
  FlagConflictError,
  IncompatibleColumnError,
  InterruptedError,
  InvalidOptionError,
  LeaseLostError,
  LegacyTableMissingError,
  MigrationError,
  type MigrationErrorCode,
  RunLockedError,
  SchemaNotReadyError,
  StoreTimeoutError,
  RunOverlapError,
} from './errors.js';
export { assertSchemaReady } from './assert-schema-ready.js';
export { type DatabaseHealth, type DatabaseHealthReading, type ReplicaLag, hasDatabaseHealth } from './database-health.js';
export { DEFAULT_THROTTLE_PAUSE_MS, type Throttle, type ThrottleOptions, throttleOf } from './throttle.js';
export { throttleReason } from './throttle-reason.js';
export { type HealthWait, type HealthWaitOptions, waitForHealthyDatabase } from './wait-for-healthy-database.js';
export { resumeCheckpoint } from './resume-checkpoint.js';
export {
  EVENT_REPORT_SCHEMA_VERSION,
  type EventMigrationReport,
  EventMigrationReportSchema,
  type EventMigrationWorkersReport,
  EventMigrationWorkersReportSchema,
  FailedItemSchema,
  type EventSample,
  EventSampleSchema,
  SAMPLES_PER_EVENT_KIND,
} from './event-migration-report.js';
export { historyLimit } from './history-limit.js';
export { isOutdated } from './is-outdated.js';
export type {
  FlagChange,
  FlagChangeField,
  FlagField,
  FlagHistoryQuery,
  FlagPatch,
  FlagSnapshot,
  FlagStore,
  FlagWrite,
  FlagWriteResult,
  NewFlag,
  StoredFlag,
  FlagList,
  UnreadableFlagRow,
} from './flag-store.js';
export { type FlagRevert, applyFlagRevert, flagRevertOf, revertFlagChange } from './revert-flag-change.js';
export { FLAG_FIELDS, changedFields, unexpectedFields, validateFlagWrite, validateNewFlag } from './validate-flag-write.js';
export { type MigrateConfig, MigrateConfigSchema } from './migrate-config.js';
export { type MemoryStore, type MemoryStoreOptions, type MemoryStoreSeed, createMemoryStore } from './memory-store.js';
export type { MigrationProgress } from './migration-progress.js';
export {
  type AbsentColumn,
  type BatchWrite,
  type CampaignUpdate,
  type CheckpointScope,
  type EventRecord,
  type EventSelection,
  type EventUpdate,
  type FailedItem,
  type IncompatibleColumn,
  type KeyRange,
  type LeaseResult,
  MAX_STORED_FAILURES,
  type MigrationName,
  type MigrationStore,
  type RowKey,
  type RunCheckpoint,
  type SchemaInspection,
  type StoredEvent,
  type StoredRow,
  type TableStatus,
  type LegacyTable,
  type RunSummary,
  MAX_RUN_HISTORY,
  type LeaseOptions,
  type EventStatusOptions,
  type ShardBoundariesOptions,
} from './migration-store.js';
export { type CampaignMigrationOptions, type CampaignMigrationRun, recordedResolutions, runCampaignMigration } from './run-campaign-migration.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_LEASE_TTL_MS,
  type EventMigrationOptions,
  MAX_BATCH_SIZE,
  runEventMigration,
} from './run-event-migration.js';
export { type EventMigrationWorkersOptions, MAX_WORKERS, runEventMigrationWorkers, workersRunKey } from './run-event-migration-workers.js';
export type { CanonicalPayload } from './canonical-payload.js';
export { FIRST_RETRY_DELAY_MS, MAX_BATCH_RETRIES, isRetryable } from './retry-transient.js';
export { ADAPTIVE_BATCH_SIZE_BOUNDS, type ChosenBatchSizes, DEFAULT_MAX_BATCH_BYTES, DEFAULT_TARGET_BATCH_MS } from './batch-sizer.js';
export { type Shard, compareRunKeys, isRunOf, migrationOfRunKey, parseShard, runKeyOf, runsOverlap } from './shard.js';
export { type RunListing, hasRunListing } from './run-listing.js';
export { type EventMismatch, type MigrationVerification, type VerifyMigrationOptions, verifyMigration } from './verify-migration.js';
export { lastMeaningfulRun, startedHistory } from './run-history.js';
export { flagList, readFlagRow } from './flag-list.js';
export { flagSnapshotOf } from './flag-snapshot-of.js';
export { DEFAULT_METRICS_RETENTION_DAYS, type PruneFlagMetricsOptions, type PrunedFlagMetrics, pruneFlagMetrics } from './prune-flag-metrics.js';
export { type FlagPlanAction, type FlagPlanResult, type FlagPlanWrite, changeFlagPlan, storedPlanOf } from './change-flag-plan.js';
export { flagVersion } from './flag-version.js';
export {
  type FlagMetricTotal,
  type FlagMetricsDeletion,
  type FlagMetricsQuery,
  type FlagMetricsStore,
  createMemoryFlagMetricsStore,
  isFlagMetricsStore,
  invalidMetricRow,
  invalidMetricsDeletion,
  invalidMetricsQuery,
  mergedMetricRows,
  sortMetricTotals,
  totalMetrics,
} from './flag-metrics-store.js';
export { type FlagGuardrailCheck, type GuardrailCheckOptions, checkFlagGuardrails, holdWorthRecording } from './check-flag-guardrails.js';
export { type FlagReference, SOURCE_EXTENSIONS, findFlagReferencesIn } from './find-flag-references.js';
export { type StaleFlag, staleFlags } from './stale-flags.js';
