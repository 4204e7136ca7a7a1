/**
 * `@app/flags/unleash`: Unleash-compatible bucketing, for teams moving from Unleash who must keep
 * every user in the same cohort. Zod-free, like `@app/flags/core`; `@app/flags` re-exports it.
 *
 * @packageDocumentation
 */
export { type UnleashBucketingOptions, unleashBucketing } from './unleash-bucketing.js';
export type { UnleashEncoding } from './unleash-encoding.js';
export { type UnleashNormalizedValueOptions, unleashNormalizedValue } from './unleash-normalized-value.js';
