import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const normalizeFixture = (file: string) => normalizeRow(fixtureRow('paddle_classic', file));

describe('Paddle Classic payloads (simulator alerts, form-urlencoded saved as JSON)', () => {
  it('payment_succeeded: sale_gross "912.59" GBP (major units), country GB; placeholders "customer_name" and "Example String" dropped', () => {
    const event = normalizeFixture('paddle_classic/payment_succeeded.json');
    expect(event.provider_event_type).toBe('payment_succeeded');
    expect(event.timestamp).toBe('2023-03-08T09:32:47.000Z'); // event_time "2023-03-08 09:32:47" is UTC
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.country_code': 'GB',
      'template.quantity': 53,
      'template.price': 912.59,
      'template.currency': 'GBP',
      ...meta('paddle_classic', 'payment_succeeded', {
        'meta.provider_event_id': '1367177662',
        'meta.source_object_id': '4', // order_id
        'meta.livemode': false, // receipt_url on sandbox-my.paddle.com
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.product_name,template.product_image',
      }),
    });
  });

  it('subscription_created: email only, unit_price "unit_price" is no price, quantity "47" seats', () => {
    const event = normalizeFixture('paddle_classic/subscription_created.json');
    expect(event.provider_event_type).toBe('subscription_created');
    expect(event.timestamp).toBe('2023-03-08T09:34:33.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.quantity': 47,
      'template.currency': 'GBP',
      ...meta('paddle_classic', 'subscription_created', {
        'meta.provider_event_id': '485191415',
        'meta.source_object_id': '8', // subscription_id
        'meta.livemode': false, // cancel_url on sandbox-checkout.paddle.com
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name,template.price',
      }),
    });
    const values = Object.values(event.normalized);
    expect(values).not.toContain('unit_price');
    expect(values.some((value) => typeof value === 'string' && value.includes('@'))).toBe(false);
  });
});

describe('Paddle Classic edges', () => {
  const liveRenewal = {
    alert_id: '1001',
    alert_name: 'subscription_payment_succeeded',
    country: 'DE',
    currency: 'EUR',
    customer_name: 'Jane van der Berg',
    email: 'jane@example.com',
    event_time: '2024-02-29 23:59:59',
    order_id: '7788',
    plan_name: 'Pro &amp; Teams',
    quantity: '3',
    receipt_url: 'https://my.paddle.com/receipt/7788/abc',
    sale_gross: '35.70',
    subscription_id: '42',
    unit_price: '9.99',
  };

  it('a live renewal: First L. from a multi-word name, plan_name as product, sale_gross over unit × quantity, livemode true', () => {
    const event = normalizeRow({ id: 'renewal', integration_type: 'Paddle Classic', event_data: liveRenewal });
    expect(event.timestamp).toBe('2024-02-29T23:59:59.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.customer_name': 'Jane B.',
      'template.first_name': 'Jane',
      'template.last_initial': 'B',
      'template.country_code': 'DE',
      'template.product_name': 'Pro & Teams',
      'template.quantity': 3,
      'template.price': 35.7,
      'template.currency': 'EUR',
      ...meta('paddle_classic', 'subscription_payment_succeeded', {
        'meta.provider_event_id': '1001',
        'meta.source_object_id': '7788',
        'meta.livemode': true,
        'meta.missing': 'template.city',
      }),
    });
  });

  it('without sale_gross, the price is unit_price × quantity computed exactly ("4.35" × 3 = 13.05, where floats give 13.049999999999999)', () => {
    const { sale_gross: _omitted, ...withoutGross } = liveRenewal;
    const event = normalizeRow({ id: 'no-gross', integration_type: 'paddle_classic', event_data: { ...withoutGross, alert_name: 'subscription_created', unit_price: '4.35' } });
    expect(event.normalized['template.price']).toBe(13.05);
  });

  it('zero-decimal currency: unit_price "1200" JPY × 2 = ¥2400; a unit with more decimals than JPY allows is refused', () => {
    const base = { alert_name: 'subscription_created', currency: 'JPY', event_time: '2024-01-01 00:00:00', quantity: '2', subscription_id: '5' };
    expect(normalizeRow({ id: 'jpy', integration_type: 'paddle_classic', event_data: { ...base, unit_price: '1200' } }).normalized['template.price']).toBe(2400);
    expect(normalizeRow({ id: 'jpy-bad', integration_type: 'paddle_classic', event_data: { ...base, unit_price: '12.5' } }).normalized['template.price']).toBeUndefined();
  });

  it('every simulator placeholder (a field holding its own name) stays out of template.*', () => {
    const placeholders = Object.fromEntries(
      ['customer_name', 'product_name', 'plan_name', 'country', 'currency', 'sale_gross', 'unit_price', 'quantity', 'order_id'].map((key) => [key, key]),
    );
    const event = normalizeRow({ id: 'placeholders', integration_type: 'paddle_classic', event_data: { alert_name: 'payment_succeeded', event_time: '2023-03-08 09:32:47', ...placeholders } });
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      ...meta('paddle_classic', 'payment_succeeded', {
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name,template.product_image,template.price,template.currency',
      }),
    });
  });

  it('an alert this normalizer does not map (payment_refunded) is custom, not a purchase', () => {
    const event = normalizeRow({ id: 'refund', integration_type: 'paddle_classic', event_data: { ...liveRenewal, alert_name: 'payment_refunded' } });
    expect(event.normalized['template.event_kind']).toBe('custom');
  });

  it('does not mutate the payload', () => {
    const payload = loadPayload('paddle_classic/payment_succeeded.json');
    const copy = structuredClone(payload);
    normalizeRow({ id: 'immutable', integration_type: 'paddle_classic', event_data: payload });
    expect(payload).toEqual(copy);
  });
});
