/**
 * `@app/flags/beacon`: a widget-side reporter that batches flag telemetry (evaluation counts,
 * tracked metrics) in the rows the server's aggregator writes and sends them with
 * `navigator.sendBeacon`. Zod-free and apart from `@app/flags/core`, so the core keeps its budget.
 *
 * @packageDocumentation
 */
export { type BeaconReporter, type BeaconReporterOptions, createBeaconReporter } from './create-beacon-reporter.js';
export type { FlagMetricRow } from './flag-telemetry.js';
