/**
 * `@app/flags`: feature flags with deterministic, sticky percentage rollouts. The same subject
 * gets the same answer on the server and in the browser, on every page load.
 *
 * @packageDocumentation
 */
export * from './core.js';
export * from './unleash.js';
// The full client validates every column with zod; it takes precedence over core's lean one.
export { createFlagClient } from './create-parsed-flag-client.js';
export { FlagsError, FlagValidationError, type FlagsErrorCode } from './errors.js';
export { FlagSchema, type SafeParseFlagResult, parseFlag, safeParseFlag } from './flag-schema.js';
export { ROLLOUT_STAGES, SYSTEM_FLAGS, type SystemFlagName } from './system-flags.js';
export { FLAG_NAME_PATTERN, FlagNameSchema } from './flag-name-schema.js';
export { type FlagState, type FlagStateChange, exposureOf, stageEnteredAt } from './flag-state.js';
export { CLEANUP_AFTER_MS, ROLLOUT_PLAN, type RolloutPlanStage } from './rollout-plan.js';
export { type RolloutStatus, rolloutStatus } from './rollout-status.js';
export { type RolloutGuidance, rolloutGuidance } from './rollout-guidance.js';
export { type RolloutWarning, rolloutWarnings } from './rollout-warnings.js';
export { type CleanupReadiness, cleanupReadiness } from './cleanup-readiness.js';
export { formatDuration } from './format-duration.js';
export * from './plan.js';
export { GuardrailSchema, RolloutPlanSchema } from './rollout-plan-schema.js';
export type { ServerFlagClientOptions } from './create-parsed-flag-client.js';
export {
  EVALUATION_METRIC,
  type FlagMetricRow,
  type FlagTelemetry,
  type FlagTelemetryOptions,
  createFlagTelemetry,
  flagMetricsOf,
  flushFlagTelemetry,
} from './flag-telemetry.js';
export { type FlagMetricsSummary, type TrackedMetricSummary, summarizeFlagMetrics } from './summarize-flag-metrics.js';
