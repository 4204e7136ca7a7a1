import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/core.js';
import { defaultRegistry, defineNormalizer, getOwn, getString, normalizeEvent, personName, renderTemplate, toCloudEvent } from '../src/index.js';
import { shopifyNormalizer } from '../src/providers/shopify.js';

// The examples of README.md, run as written.
describe('README examples', () => {
  const row = {
    id: 'event-1',
    integration_type: 'shopify',
    event_data: { line_items: [{ title: 'Product A', price: 99.99 }], customer: { first_name: 'John' } },
    created_at: '2025-01-15T10:30:00Z',
  };

  it('usage', () => {
    const result = normalizeEvent(row);
    if (!result.success) throw result.error;
    expect(result.data.normalized['template.customer_name']).toBe('John');
    expect(result.data.normalized['template.price']).toBe(99.99);
    expect(renderTemplate('{{customer_name}} from {{city}} just bought {{product_name}}', result.data, { fallbacks: { city: 'nearby' } }).text).toBe(
      'John from nearby just bought Product A',
    );
    expect(toCloudEvent(result.data).specversion).toBe('1.0');
  });

  it('small bundles: core plus one provider', () => {
    const registry = createRegistry([shopifyNormalizer]);
    expect(registry.normalizeEvent(row).data?.normalized['meta.normalizer']).toBe('shopify');
  });

  it('your own provider without forking', () => {
    const acme = defineNormalizer({
      provider: 'acme',
      detectEventType: (payload) => getString(payload, 'event'),
      normalize: (payload) => ({
        template: { event_kind: 'purchase', ...personName({ full: getOwn(payload, 'buyer') }) },
        timestamp: getOwn(payload, 'created_at'),
      }),
    });
    const result = normalizeEvent(
      { id: 1, integration_type: 'acme', event_data: { event: 'sale', buyer: 'Ada Lovelace', created_at: 1700000000 } },
      { registry: defaultRegistry.extend([acme]) },
    );
    expect(result.data?.normalized['template.customer_name']).toBe('Ada L.');
    expect(result.data?.provider_event_type).toBe('sale');
  });
});
