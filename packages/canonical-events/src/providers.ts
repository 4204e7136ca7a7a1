/**
 * `@app/canonical-events/providers`: the provider id table alone, for code (such as
 * `@app/campaign-migrator`) that names providers without normalizing events.
 *
 * @packageDocumentation
 */
export { PROVIDER_ALIASES, PROVIDER_IDS, type ProviderId, providerAliasKey, resolveProviderId } from './provider-aliases.js';
