/**
 * `@app/migrate/core`: the event runner, the {@link MigrationStore} port, its errors and the
 * flag metrics helpers without zod, which the package root loads for its schemas, flag
 * validation and the campaign migration (about 12 MB of a process's memory, see the README).
 * The SQL stores import this entry, so a process that runs the event migration over one of the
 * adapters never loads zod. `@app/migrate` re-exports all of it.
 *
 * @packageDocumentation
 */
export {
  BatchOutOfOrderError,
  isBatchOutOfOrder,
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
  TimeoutLimitError,
} from './errors.js';
export { assertSchemaReady } from './assert-schema-ready.js';
export { type DatabaseHealth, type DatabaseHealthReading, type ReplicaLag, hasDatabaseHealth } from './database-health.js';
export { DEFAULT_THROTTLE_PAUSE_MS, type PauseReason, type Throttle, type ThrottleOptions, type ThrottleReport, throttleOf } from './throttle.js';
export { DEFAULT_MAX_TIMEOUTS, DEFAULT_TIMEOUT_WINDOW_MS, type TimeoutThrottle, type TimeoutThrottleOptions, timeoutThrottleOf } from './timeout-throttle.js';
export { type TimeoutDecision, afterBatchTimeout } from './after-batch-timeout.js';
export { type BatchTimeoutKind, batchTimeoutKindOf } from './batch-timeout-kind.js';
export { throttleReason } from './throttle-reason.js';
export { type HealthWait, type HealthWaitOptions, waitForHealthyDatabase } from './wait-for-healthy-database.js';
export { resumeCheckpoint } from './resume-checkpoint.js';
export type { EventMigrationReport, EventMigrationWorkersReport, EventSample } from './event-migration-report.js';
export { EVENT_REPORT_SCHEMA_VERSION } from './event-report-schema-version.js';
export { SAMPLES_PER_EVENT_KIND } from './samples-per-event-kind.js';
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
export type { MigrateConfig } from './migrate-config.js';
export type { MigrationProgress } from './migration-progress.js';
export {
  type AbsentColumn,
  type BatchTimeouts,
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
export { type Shard, type ShardRuns, compareRunKeys, groupShardRuns, isRunOf, migrationOfRunKey, parseShard, runKeyOf, runsOverlap } from './shard.js';
export { type RunListing, hasRunListing } from './run-listing.js';
export { lastMeaningfulRun, startedHistory } from './run-history.js';
export { flagList, readFlagRow } from './flag-list.js';
export { flagSnapshotOf } from './flag-snapshot-of.js';
export { DEFAULT_METRICS_RETENTION_DAYS, type PruneFlagMetricsOptions, type PrunedFlagMetrics, pruneFlagMetrics } from './prune-flag-metrics.js';
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
export { type FlagReference, SOURCE_EXTENSIONS, findFlagReferencesIn } from './find-flag-references.js';
