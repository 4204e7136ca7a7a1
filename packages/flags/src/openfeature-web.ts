/**
 * `@app/flags/openfeature/web`: the OpenFeature web provider without the server one, for widgets
 * loaded without a bundler (an import map, a CDN's ESM build, Deno): nothing this entry imports
 * loads zod. `@app/flags/openfeature` exports the same, beside `FlagsServerProvider`, whose zod a
 * bundler drops from a widget but an unbundled import loads.
 *
 * @packageDocumentation
 */
export { FlagsWebProvider, type FlagsWebProviderOptions } from './openfeature/flags-web-provider.js';
export { FlagsProviderBase } from './openfeature/flags-provider-base.js';
export type { FlagSource } from './openfeature/flag-source.js';
export { CONFIGURATION_CHANGED, ProviderEvents } from './openfeature/provider-events.js';
export { type FlagsReceiver, type PollFlagsOptions, pollFlags } from './openfeature/poll-flags.js';
export { FlagTelemetryHook } from './openfeature/flag-telemetry-hook.js';
