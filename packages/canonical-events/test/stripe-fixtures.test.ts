import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, normalizeEvent } from '../src/index.js';
import { fixtureRow, meta } from './fixture-rows.js';

function normalizeFixture(file: string) {
  const row = fixtureRow('stripe', file);
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  expect(CanonicalEventSchema.parse(result.data)).toBeTruthy();
  expect(result.data.payload).toBe(row.event_data);
  return result.data;
}

const NO_BUYER_PURCHASE = 'template.customer_name,template.city,template.country_code,template.product_name,template.product_image';

describe('Stripe payloads', () => {
  it('checkout.session.completed (stripe-ruby-mock): amount_total 3000 minor → 30 USD; email-only customer is anonymous', () => {
    const event = normalizeFixture('stripe/checkout.session.completed.json');
    expect(event.provider_event_type).toBe('checkout.session.completed');
    expect(event.timestamp).toBe('2022-03-26T18:39:19.000Z'); // created 1648319959
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.price': 30,
      'template.currency': 'USD',
      ...meta('stripe', 'checkout.session.completed', {
        'meta.source_object_id': 'cs_test_0000000000000000000000000000000000000000000000000000000000',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER_PURCHASE,
      }),
    });
  });

  it('checkout.session.completed (captured, subscription mode): name Martin, country CM, free trial price 0', () => {
    const event = normalizeFixture('stripe/checkout.session.completed.captured-2022-11-15.json');
    expect(event.timestamp).toBe('2023-03-03T09:00:00.000Z'); // created 1677834000
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.customer_name': 'Martin',
      'template.first_name': 'Martin',
      'template.country_code': 'CM',
      'template.price': 0,
      'template.currency': 'USD',
      ...meta('stripe', 'checkout.session.completed', {
        'meta.provider_event_id': 'evt_1MhUT6E0b6fckueSlc4GyvIi',
        'meta.source_object_id': 'cs_test_a1CagZ1XmCLIZb3ME6r06G1h8ygwbbbMw8Nqk0R86MWMT4dmCjDiUYfQDr',
        'meta.livemode': false,
        'meta.missing': 'template.city,template.product_name',
      }),
    });
  });

  it('checkout.session.completed (payment mode, old fixture without api_version): 25000 → 250', () => {
    const event = normalizeFixture('stripe/checkout.session.completed.payment_mode.json');
    expect(event.timestamp).toBe('2012-01-18T02:24:38.000Z'); // created 1326853478
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.price': 250,
      'template.currency': 'USD',
      ...meta('stripe', 'checkout.session.completed', {
        'meta.source_object_id': 'cs_00000000000000',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER_PURCHASE,
      }),
    });
  });

  it('charge.succeeded: billing details are null, so name and place come from shipping; street never copied', () => {
    const event = normalizeFixture('stripe/charge.succeeded.json');
    expect(event.timestamp).toBe('2022-03-26T18:40:32.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Jenny R.',
      'template.first_name': 'Jenny',
      'template.last_initial': 'R',
      'template.city': 'San Francisco',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.price': 20,
      'template.currency': 'USD',
      ...meta('stripe', 'charge.succeeded', {
        'meta.source_object_id': 'ch_000000000000000000000000',
        'meta.livemode': false,
        'meta.missing': 'template.product_name,template.product_image',
      }),
    });
  });

  it('payment_intent.succeeded: amount_received 2000 → 20, buyer from shipping', () => {
    const event = normalizeFixture('stripe/payment_intent.succeeded.json');
    expect(event.timestamp).toBe('2022-03-26T18:40:33.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Jenny R.',
      'template.first_name': 'Jenny',
      'template.last_initial': 'R',
      'template.city': 'San Francisco',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.price': 20,
      'template.currency': 'USD',
      ...meta('stripe', 'payment_intent.succeeded', {
        'meta.source_object_id': 'pi_000000000000000000000000',
        'meta.livemode': false,
        'meta.missing': 'template.product_name,template.product_image',
      }),
    });
  });

  it('customer.subscription.created: 1 × 1500 minor → 15 USD; product is only an id', () => {
    const event = normalizeFixture('stripe/customer.subscription.created.json');
    expect(event.timestamp).toBe('2022-03-26T18:41:50.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.item_count': 1,
      'template.quantity': 1,
      'template.price': 15,
      'template.currency': 'USD',
      ...meta('stripe', 'customer.subscription.created', {
        'meta.source_object_id': 'sub_000000000000000000000000',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name',
      }),
    });
  });

  it('customer.subscription.created (captured): 10 seats × 700 minor → 70 USD, summed in integers', () => {
    const event = normalizeFixture('stripe/customer.subscription.created.captured-2022-11-15.json');
    expect(event.timestamp).toBe('2023-03-03T09:07:00.000Z'); // created 1677834420
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.item_count': 1,
      'template.quantity': 10,
      'template.price': 70,
      'template.currency': 'USD',
      ...meta('stripe', 'customer.subscription.created', {
        'meta.provider_event_id': 'evt_1MhUZtE0b6fckueSDaOf1oJ8',
        'meta.source_object_id': 'sub_1MhUZrE0b6fckueSZfQ2Ytz6',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name',
      }),
    });
  });

  it.each([
    ['stripe/invoice.paid.json', 'invoice.paid'],
    ['stripe/invoice.payment_succeeded.json', 'invoice.payment_succeeded'],
  ])('%s: amount_paid 2000 → 20; customer_name null; generated line description is not a product', (file, type) => {
    const event = normalizeFixture(file);
    expect(event.timestamp).toBe('2022-03-26T18:40:15.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.item_count': 1,
      'template.quantity': 1,
      'template.price': 20,
      'template.currency': 'USD',
      ...meta('stripe', type, {
        'meta.source_object_id': 'in_000000000000000000000000',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER_PURCHASE,
      }),
    });
  });

  it('customer.created: a signup with neither name nor email', () => {
    const event = normalizeFixture('stripe/customer.created.json');
    expect(event.timestamp).toBe('2022-03-26T18:41:47.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      ...meta('stripe', 'customer.created', {
        'meta.source_object_id': 'cus_00000000000000',
        'meta.livemode': false,
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('converts zero-decimal and three-decimal currencies by their ISO-4217 exponent', () => {
    const event = (currency: string, amount: number) => ({
      id: `evt-${currency}`,
      integration_type: 'stripe',
      event_data: { object: 'event', type: 'charge.succeeded', created: 1700000000, livemode: true, data: { object: { object: 'charge', id: 'ch_1', amount, currency } } },
    });
    const price = (currency: string, amount: number) => {
      const result = normalizeEvent(event(currency, amount));
      return result.success ? [result.data.normalized['template.price'], result.data.normalized['template.currency'], result.data.normalized['meta.livemode']] : result.error.message;
    };
    expect(price('jpy', 5000)).toEqual([5000, 'JPY', true]);
    expect(price('krw', 12000)).toEqual([12000, 'KRW', true]);
    expect(price('kwd', 12345)).toEqual([12.345, 'KWD', true]);
    expect(price('eur', 1199)).toEqual([11.99, 'EUR', true]);
  });
});
