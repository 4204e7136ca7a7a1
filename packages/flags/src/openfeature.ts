/**
 * `@app/flags/openfeature`: OpenFeature providers. Install `@openfeature/server-sdk` (servers)
 * or `@openfeature/web-sdk` (browsers); both are optional peer dependencies. `FlagsWebProvider`
 * checks rows without zod (the rules of `@app/flags/core`), so a widget bundle stays small.
 *
 * @packageDocumentation
 */
export { FlagsServerProvider } from './openfeature/flags-server-provider.js';
export { FlagsWebProvider, type FlagsWebProviderOptions } from './openfeature/flags-web-provider.js';
export { FlagsProviderBase } from './openfeature/flags-provider-base.js';
export type { FlagSource } from './openfeature/flag-source.js';
export { CONFIGURATION_CHANGED, ProviderEvents } from './openfeature/provider-events.js';
export { type FlagsReceiver, type PollFlagsOptions, pollFlags } from './openfeature/poll-flags.js';
export { FlagTelemetryHook } from './openfeature/flag-telemetry-hook.js';
