import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const row = (event_data: unknown, extra: { event_type?: string } = {}) => ({ id: 'seg-1', integration_type: 'segment', event_data, created_at: '2025-01-15T10:30:00Z', ...extra });

/** The spec's "Order Completed" properties inside a full track call, as Segment delivers it. */
function trackCall(properties: unknown) {
  return {
    type: 'track',
    event: 'Order Completed',
    userId: 'user-42',
    anonymousId: '507f191e810c19729de860ea',
    messageId: 'ajs-next-6d0c5a2b',
    properties,
    context: {
      ip: '203.0.113.9',
      locale: 'en-US',
      location: { city: 'Reno', country: 'United States', region: 'NV' },
      traits: { firstName: 'Priya', lastName: 'Shah', email: 'priya@example.com', phone: '+1 415 555 0100', address: { street: '1 Market St', city: 'San Francisco', state: 'CA', country: 'US', postalCode: '94105' } },
    },
    timestamp: '2024-08-30T17:42:11.912Z',
    originalTimestamp: '2024-08-30T17:42:10.001Z',
    receivedAt: '2024-08-30T17:42:12.345Z',
    sentAt: '2024-08-30T17:42:10.500Z',
  };
}

describe('Segment payloads', () => {
  it('Order Completed properties (bare, from the spec): total 27.50 major units, first product Monopoly, 2 items; the broken image URL is dropped', () => {
    const fixture = fixtureRow('segment', 'segment/order_completed.properties.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('Order Completed');
    // The properties object has no time of its own: the row's created_at is used and recorded.
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.product_name': 'Monopoly: 3rd Edition',
      'template.product_url': 'https://www.example.com/product/path',
      // "https:///www.example.com/product/path.jpg" (doc typo, three slashes) is not a valid URL.
      'template.item_count': 2,
      'template.quantity': 1,
      'template.price': 27.5,
      'template.currency': 'USD',
      ...meta('segment', 'Order Completed', {
        'meta.source_object_id': '50314b8e9bcf000000000000',
        'meta.is_anonymous': true,
        'meta.timestamp_source': 'row.created_at',
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_image',
      }),
    });
  });

  it('the same properties in a full track call: person and address from context.traits, the call timestamp; no IP, email, phone or street', () => {
    const event = normalizeRow(row(trackCall(loadPayload('segment/order_completed.properties.json'))));
    expect(event.provider_event_type).toBe('Order Completed');
    expect(event.timestamp).toBe('2024-08-30T17:42:11.912Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Priya S.',
      'template.first_name': 'Priya',
      'template.last_initial': 'S',
      'template.city': 'San Francisco',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.product_name': 'Monopoly: 3rd Edition',
      'template.product_url': 'https://www.example.com/product/path',
      'template.item_count': 2,
      'template.quantity': 1,
      'template.price': 27.5,
      'template.currency': 'USD',
      ...meta('segment', 'Order Completed', {
        'meta.provider_event_id': 'ajs-next-6d0c5a2b',
        'meta.source_object_id': '50314b8e9bcf000000000000',
        'meta.missing': 'template.product_image',
      }),
    });
    expect(JSON.stringify(event.normalized)).not.toMatch(/203\.0\.113|example\.com"|555|Market|94105|Shah/);
  });

  it('amounts are major units: JPY 3000 stays 3000, "27.50" strings parse exactly, revenue is used when total is absent', () => {
    const price = (properties: Record<string, unknown>) => normalizeRow(row(trackCall(properties))).normalized['template.price'];
    expect(price({ total: 3000, currency: 'JPY' })).toBe(3000);
    expect(price({ total: '27.50', currency: 'usd' })).toBe(27.5);
    expect(price({ revenue: 25, currency: 'USD' })).toBe(25);
    expect(price({ total: '$27.50', currency: 'USD' })).toBeUndefined();
  });

  it('without traits, the place comes from context.location (a country name there)', () => {
    const call = trackCall({ order_id: 'o-1', total: 10, currency: 'EUR', products: [{ name: 'Mug', quantity: 3, image_url: 'https://cdn.example.com/mug.png' }] });
    const event = normalizeRow(row({ ...call, context: { ip: '198.51.100.4', location: call.context.location } }));
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.city': 'Reno',
      'template.region': 'NV',
      'template.country': 'United States',
      'template.product_name': 'Mug',
      'template.product_image': 'https://cdn.example.com/mug.png',
      'template.item_count': 1,
      'template.quantity': 3,
      'template.price': 10,
      'template.currency': 'EUR',
      ...meta('segment', 'Order Completed', {
        'meta.provider_event_id': 'ajs-next-6d0c5a2b',
        'meta.source_object_id': 'o-1',
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.country_code',
      }),
    });
  });

  it("event names map to kinds; the row's event_type wins over the bare properties' inferred Order Completed", () => {
    const kind = (event: string) => normalizeRow(row({ ...trackCall({}), event })).normalized['template.event_kind'];
    expect([kind('Completed Order'), kind('checkout started'), kind('Signed Up'), kind('Product Viewed')]).toEqual(['purchase', 'lead', 'signup', 'custom']);
    const started = normalizeRow(row(loadPayload('segment/order_completed.properties.json'), { event_type: 'Checkout Started' }));
    expect([started.provider_event_type, started.normalized['template.event_kind']]).toEqual(['Checkout Started', 'lead']);
  });

  it('"Signed Up" names come from its properties when there are no traits; an identify call is custom', () => {
    const signup = normalizeRow(row({ type: 'track', event: 'Signed Up', properties: { type: 'organic', first_name: 'Noor', last_name: 'Haddad', email: 'noor@example.com' }, timestamp: '2024-01-01T00:00:00Z' }));
    expect([signup.normalized['template.event_kind'], signup.normalized['template.customer_name']]).toEqual(['signup', 'Noor H.']);
    const identify = normalizeRow(row({ type: 'identify', userId: 'u1', traits: { name: 'Ines Costa', address: { city: 'Lisbon', country: 'Portugal' } }, timestamp: '2024-01-02T00:00:00Z' }));
    expect([identify.provider_event_type, identify.normalized['template.event_kind'], identify.normalized['template.customer_name'], identify.normalized['template.country']]).toEqual([
      'identify',
      'custom',
      'Ines C.',
      'Portugal',
    ]);
  });

  it('a batch is described from its first call', () => {
    const event = normalizeRow(row({ batch: [trackCall({ order_id: 'a', total: 5, currency: 'USD' }), trackCall({ order_id: 'b', total: 6, currency: 'USD' })], sentAt: '2024-08-30T17:42:13Z' }));
    expect([event.normalized['meta.source_object_id'], event.normalized['template.price'], event.normalized['meta.batch_size']]).toEqual(['a', 5, 2]);
  });
});
