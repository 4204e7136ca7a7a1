import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, normalizeEvent, renderTemplate } from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

function eventOf(row: unknown): CanonicalEvent {
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  return result.data;
}

describe('renderTemplate', () => {
  const order = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));

  it('renders {{x}} and {{template.x}} from a real Shopify order', () => {
    const result = renderTemplate('{{customer_name}} from {{ template.city }} just bought {{product_name}} for {{price}} {{currency}}', order);
    expect(result).toEqual({ text: 'John S. from Shippington just bought IPod Nano - 8GB for 388.00 USD', unknownPlaceholders: [], missingFields: [] });
  });

  it('uses per-field fallbacks ("Someone") and reports missing fields', () => {
    const anonymous = eventOf(fixtureRow('stripe', 'stripe/checkout.session.completed.json'));
    const result = renderTemplate('{{customer_name}} from {{city}} paid {{price}}', anonymous, { fallbacks: { city: 'somewhere' } });
    expect(result).toEqual({ text: 'Someone from somewhere paid 30.00', unknownPlaceholders: [], missingFields: ['customer_name', 'city'] });
  });

  it('reports unknown placeholders instead of blanking them silently', () => {
    const result = renderTemplate('{{customer_nmae}} bought {{product_name}} {{meta.provider}}', order);
    expect(result.text).toBe('{{customer_nmae}} bought IPod Nano - 8GB {{meta.provider}}');
    expect(result.unknownPlaceholders).toEqual(['customer_nmae', 'meta.provider']);
    expect(renderTemplate('{{nope}}!', order, { unknownPlaceholders: 'empty' }).text).toBe('!');
  });

  it('HTML-escapes values by default, not the template', () => {
    const event: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.product_name': 'Tom & "Jerry" <3' } };
    expect(renderTemplate('<b>{{product_name}}</b>', event).text).toBe('<b>Tom &amp; &quot;Jerry&quot; &lt;3</b>');
    expect(renderTemplate('{{product_name}}', event, { escapeHtml: false }).text).toBe('Tom & "Jerry" <3');
    const anonymous: CanonicalEvent = { ...order, normalized: { 'template.event_kind': 'purchase' } };
    expect(renderTemplate('{{customer_name}}', anonymous, { fallbacks: { customer_name: '<x>' } }).text).toBe('&lt;x&gt;');
  });

  it('formats prices by currency exponent and accepts custom formatters', () => {
    const yen: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.price': 500, 'template.currency': 'JPY' } };
    expect(renderTemplate('{{price}}', yen).text).toBe('500');
    const formatted = renderTemplate('{{price}}', order, { formatters: { price: (value) => `$${String(value)}` } });
    expect(formatted.text).toBe('$388');
  });
});
