import { type ProviderId, resolveProviderId } from '@app/canonical-events/providers';
import type { DataSourceV2 } from './data-source-v2-schema.js';
import { cloneJsonValue, type JsonObject } from './json-value.js';

/**
 * The provider a native (built-in) source is written with: whatever the shared alias table maps
 * the name `native` to (`testimonials`, the product's own testimonial collection). Reading it from
 * the table keeps one source of truth; the fallback only keeps the type total.
 */
export const NATIVE_PROVIDER_ID: ProviderId = resolveProviderId('native') ?? 'testimonials';

/** The `data_sources_v2` entry of a campaign that runs on the product's own data, not an integration. */
export function nativeDataSource(filters: JsonObject): DataSourceV2 {
  return { integration_id: null, provider: NATIVE_PROVIDER_ID, filters: cloneJsonValue(filters) };
}
