/**
 * `@app/flags/openfeature`: OpenFeature providers. Install `@openfeature/server-sdk` (servers)
 * or `@openfeature/web-sdk` (browsers); both are optional peer dependencies.
 *
 * @packageDocumentation
 */
export { FlagsServerProvider } from './openfeature/flags-server-provider.js';
export { FlagsWebProvider } from './openfeature/flags-web-provider.js';
export type { FlagSource } from './openfeature/flag-source.js';
