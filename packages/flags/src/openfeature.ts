/**
 * `@app/flags/openfeature`: OpenFeature providers. Install `@openfeature/server-sdk` (servers)
 * or `@openfeature/web-sdk` (browsers); both are optional peer dependencies. `FlagsWebProvider`
 * checks rows without zod (the rules of `@app/flags/core`), so a widget bundle stays small; a
 * widget loaded without a bundler imports it from `@app/flags/openfeature/web`, which does not
 * load the server provider's zod.
 *
 * @packageDocumentation
 */
export { FlagsServerProvider } from './openfeature/flags-server-provider.js';
export * from './openfeature-web.js';
