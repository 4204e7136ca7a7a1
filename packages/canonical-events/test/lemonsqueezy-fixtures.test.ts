import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

describe('Lemon Squeezy payloads', () => {
  it('order_created (docs example): total 1199 minor → 11.99 USD, "John Doe" → John D., test_mode false → live', () => {
    const row = fixtureRow('lemonsqueezy', 'lemonsqueezy/order_created.json');
    const event = normalizeRow(row);
    expect(event.provider_event_type).toBe('order_created');
    expect(event.timestamp).toBe('2021-08-17T09:45:53.000Z'); // created_at "…53.000000Z"
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.product_name': 'Test Limited License for 2 years',
      'template.price': 11.99,
      'template.currency': 'USD',
      ...meta('lemonsqueezy', 'order_created', {
        'meta.source_object_id': '1',
        'meta.livemode': true, // first_order_item.test_mode false
        'meta.missing': 'template.city,template.country_code,template.product_image',
      }),
    });
    expect(JSON.stringify(event.normalized)).not.toContain('johndoe@example.com');
  });
});

/** The docs example with some attributes and meta replaced. */
function order(attributes: Record<string, unknown>, metaFields: Record<string, unknown> = {}) {
  const payload = loadPayload('lemonsqueezy/order_created.json') as { meta: Record<string, unknown>; data: { attributes: Record<string, unknown> } };
  Object.assign(payload.data.attributes, attributes);
  Object.assign(payload.meta, metaFields);
  return payload;
}

describe('Lemon Squeezy edges', () => {
  it('zero-decimal JPY: total 1500 is ¥1500; three-decimal BHD: 1500 is 1.5', () => {
    expect(normalizeRow({ id: 'jpy', integration_type: 'lemon squeezy', event_data: order({ total: 1500, currency: 'jpy' }) }).normalized).toMatchObject({
      'template.price': 1500,
      'template.currency': 'JPY',
    });
    expect(normalizeRow({ id: 'bhd', integration_type: 'lemonsqueezy', event_data: order({ total: 1500, currency: 'BHD' }) }).normalized['template.price']).toBe(1.5);
  });

  it('meta.test_mode true marks a test event', () => {
    const event = normalizeRow({ id: 'test', integration_type: 'lemonsqueezy', event_data: order({}, { test_mode: true }) });
    expect(event.normalized['meta.livemode']).toBe(false);
  });

  it('an email or "Anonymous" as user_name is no name', () => {
    for (const name of ['johndoe@example.com', 'Anonymous']) {
      const event = normalizeRow({ id: `anon-${name}`, integration_type: 'lemonsqueezy', event_data: order({ user_name: name }) });
      expect(event.normalized['template.customer_name'], name).toBeUndefined();
      expect(event.normalized['meta.is_anonymous'], name).toBe(true);
    }
  });

  it('a refunded or failed order is not shown as a purchase', () => {
    for (const status of ['refunded', 'failed']) {
      expect(normalizeRow({ id: status, integration_type: 'lemonsqueezy', event_data: order({ status }) }).normalized['template.event_kind']).toBe('custom');
    }
  });

  it('subscription_created: product on the subscription itself, no price (subscriptions carry none)', () => {
    const payload = {
      meta: { event_name: 'subscription_created', test_mode: false },
      data: {
        type: 'subscriptions',
        id: '9',
        attributes: {
          product_name: 'Lemonade Pro',
          variant_name: 'Monthly',
          user_name: 'Ada Lovelace',
          user_email: 'ada@example.com',
          status: 'active',
          first_subscription_item: { id: 1, price_id: 2, quantity: 3 },
          created_at: '2024-06-01T12:00:00.000000Z',
        },
      },
    };
    const event = normalizeRow({ id: 'sub', integration_type: 'lemonsqueezy', event_data: payload });
    expect(event.timestamp).toBe('2024-06-01T12:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.customer_name': 'Ada L.',
      'template.first_name': 'Ada',
      'template.last_initial': 'L',
      'template.product_name': 'Lemonade Pro',
      'template.quantity': 3,
      ...meta('lemonsqueezy', 'subscription_created', {
        'meta.source_object_id': '9',
        'meta.livemode': true,
        'meta.missing': 'template.city,template.country_code,template.price,template.currency',
      }),
    });
  });

  it('a document without meta is named by its resource type (orders → order_created)', () => {
    const { meta: _dropped, ...dataOnly } = loadPayload('lemonsqueezy/order_created.json') as Record<string, unknown>;
    const event = normalizeRow({ id: 'no-meta', integration_type: 'lemonsqueezy', event_data: dataOnly });
    expect(event.provider_event_type).toBe('order_created');
    expect(event.normalized['template.price']).toBe(11.99);
  });

  it('missing attributes: still an event, on the row time, with everything listed as missing', () => {
    const event = normalizeRow({ id: 'bare', integration_type: 'lemonsqueezy', event_data: { meta: { event_name: 'order_created' }, data: null }, created_at: '2025-01-15T10:30:00Z' });
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      ...meta('lemonsqueezy', 'order_created', {
        'meta.is_anonymous': true,
        'meta.timestamp_source': 'row.created_at',
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name,template.product_image,template.price,template.currency',
      }),
    });
  });
});
