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
