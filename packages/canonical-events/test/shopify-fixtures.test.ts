import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, normalizeEvent } from '../src/index.js';
import { fixtureRow, meta } from './fixture-rows.js';

function normalizeFixture(file: string, eventType?: string) {
  const row = fixtureRow('shopify', file, eventType === undefined ? {} : { event_type: eventType });
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  expect(CanonicalEventSchema.parse(result.data)).toBeTruthy();
  expect(result.data.payload).toBe(row.event_data);
  expect(result.data.event_id).toBe(row.id);
  return result.data;
}

/**
 * Shopify's sample order (orders/create and orders/paid share the body), read by hand: customer
 * John Smith, billing city Shippington KY, 2 lines led by "IPod Nano - 8GB", "388.00" USD.
 */
function sampleOrderFields(topic: string) {
  return {
    'template.event_kind': 'purchase',
    'template.customer_name': 'John S.',
    'template.first_name': 'John',
    'template.last_initial': 'S',
    'template.city': 'Shippington',
    'template.region': 'Kentucky',
    'template.country': 'United States',
    'template.country_code': 'US',
    'template.product_name': 'IPod Nano - 8GB',
    'template.item_count': 2,
    'template.quantity': 1,
    'template.price': 388,
    'template.currency': 'USD',
    // The numeric id 820982911946154500 was already rounded by JSON.parse; the gid keeps …508.
    ...meta('shopify', topic, {
      'meta.source_object_id': '820982911946154508',
      'meta.livemode': false,
      'meta.missing': 'template.product_image',
    }),
  };
}

describe('Shopify payloads', () => {
  it('orders/create: customer name, billing city, first line item, total_price string, id from admin_graphql_api_id', () => {
    const event = normalizeFixture('shopify/orders_create.json');
    expect(event.provider).toBe('shopify');
    expect(event.provider_event_type).toBe('orders/create');
    expect(event.timestamp).toBe('2022-01-01T00:00:00.000Z'); // 2021-12-31T19:00:00-05:00
    expect(event.normalized).toEqual(sampleOrderFields('orders/create'));
  });

  it('orders/paid: same body, the topic comes from the row (X-Shopify-Topic header)', () => {
    const event = normalizeFixture('shopify/orders_paid.json', 'orders/paid');
    expect(event.provider_event_type).toBe('orders/paid');
    expect(event.timestamp).toBe('2022-01-01T00:00:00.000Z'); // 2021-12-31T19:00:00-05:00
    expect(event.normalized).toEqual(sampleOrderFields('orders/paid'));
  });

  it('orders/create API 2023-01: en dash kept in the product name, CAD total', () => {
    const event = normalizeFixture('shopify/orders_create.api-2023-01.json');
    expect(event.timestamp).toBe('2023-02-21T01:50:03.000Z'); // 2023-02-20T20:50:03-05:00
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'John S.',
      'template.first_name': 'John',
      'template.last_initial': 'S',
      'template.city': 'Shippington',
      'template.region': 'Kentucky',
      'template.country': 'United States',
      'template.country_code': 'US',
      'template.product_name': 'Ben Simmons 76\'s Jersey – Used',
      'template.item_count': 2,
      'template.quantity': 1,
      'template.price': 36.99,
      'template.currency': 'CAD',
      ...meta('shopify', 'orders/create', {
        'meta.source_object_id': '820982911946154508',
        'meta.livemode': false,
        'meta.missing': 'template.product_image',
      }),
    });
  });

  it('checkouts/create: a started checkout is a lead; id is the token since the numeric id is rounded', () => {
    const event = normalizeFixture('shopify/checkouts_create.json');
    expect(event.provider_event_type).toBe('checkouts/create');
    expect(event.timestamp).toBe('2022-01-01T00:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'lead',
      'template.customer_name': 'John S.',
      'template.first_name': 'John',
      'template.last_initial': 'S',
      'template.city': 'Billtown',
      'template.region': 'Kentucky',
      'template.country': 'United States',
      'template.country_code': 'US',
      'template.product_name': 'IPod Nano - 8GB',
      'template.item_count': 2,
      'template.quantity': 1,
      'template.price': 421.88,
      'template.currency': 'USD',
      ...meta('shopify', 'checkouts/create', { 'meta.source_object_id': '123123123' }),
    });
  });

  it('customers/create: a signup with no address; email never reaches template fields', () => {
    const event = normalizeFixture('shopify/customers_create.json');
    expect(event.provider_event_type).toBe('customers/create');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'Bob B.',
      'template.first_name': 'Bob',
      'template.last_initial': 'B',
      ...meta('shopify', 'customers/create', {
        'meta.source_object_id': '706405506930370084',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
  });

  it('REST envelope {"order": …}: unwrapped; line item title, not the variant name', () => {
    const event = normalizeFixture('shopify/order.rest_envelope.json');
    expect(event.provider_event_type).toBe('orders/create');
    expect(event.timestamp).toBe('2008-01-10T16:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Bob N.',
      'template.first_name': 'Bob',
      'template.last_initial': 'N',
      'template.city': 'Louisville',
      'template.region': 'Kentucky',
      'template.country': 'United States',
      'template.country_code': 'US',
      'template.product_name': 'IPod Nano - 8gb',
      'template.item_count': 3,
      'template.quantity': 1,
      'template.price': 409.94,
      'template.currency': 'USD',
      ...meta('shopify', 'orders/create', {
        'meta.source_object_id': '450789469',
        'meta.livemode': true,
        'meta.missing': 'template.product_image',
      }),
    });
  });

  it('REST envelope {"customer": …}: place from the default address', () => {
    const event = normalizeFixture('shopify/customer.rest_envelope.json');
    expect(event.provider_event_type).toBe('customers/create');
    expect(event.timestamp).toBe('2015-05-27T22:11:24.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'Bob N.',
      'template.first_name': 'Bob',
      'template.last_initial': 'N',
      'template.city': 'Louisville',
      'template.region': 'Kentucky',
      'template.country': 'United States',
      'template.country_code': 'US',
      ...meta('shopify', 'customers/create', { 'meta.source_object_id': '207119551' }),
    });
  });

  it('list envelope {"checkouts": [...]}: the first checkout, batch size recorded', () => {
    const event = normalizeFixture('shopify/checkouts.rest_list.json');
    expect(event.provider_event_type).toBe('checkouts/create');
    expect(event.timestamp).toBe('2012-10-12T11:05:27.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'lead',
      'template.customer_name': 'Bob N.',
      'template.first_name': 'Bob',
      'template.last_initial': 'N',
      'template.city': 'Louisville',
      'template.region': 'Kentucky',
      'template.country': 'United States',
      'template.country_code': 'US',
      'template.product_name': 'IPod Nano - 8GB',
      'template.item_count': 2,
      'template.quantity': 1,
      'template.price': 409.94,
      'template.currency': 'USD',
      ...meta('shopify', 'checkouts/create', { 'meta.source_object_id': '450789469', 'meta.batch_size': 1 }),
    });
  });

  it('keeps ids beyond 2^53 exact when they arrive as strings, and never prints a rounded number', () => {
    const text = '{"id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508", "line_items": [], "created_at": "2024-01-01T00:00:00Z"}';
    const result = normalizeEvent({ id: '820982911946154508', integration_type: 'Shopify', event_data: JSON.parse(text) });
    expect(result.success && result.data.event_id).toBe('820982911946154508');
    expect(result.success && result.data.normalized['meta.source_object_id']).toBe('820982911946154508');
    const withoutGid = normalizeEvent({ id: 'r', integration_type: 'shopify', event_data: { id: 820982911946154500, line_items: [], created_at: '2024-01-01T00:00:00Z' } });
    expect(withoutGid.success && withoutGid.data.normalized['meta.source_object_id']).toBe(null);
  });
});
