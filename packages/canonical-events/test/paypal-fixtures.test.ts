import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const normalizeFixture = (file: string) => normalizeRow(fixtureRow('paypal', file));

describe('PayPal payloads', () => {
  it('CHECKOUT.ORDER.COMPLETED: payer John Doe → John D.; San Jose, CA, US from shipping; "100.00" USD; sandbox event', () => {
    const event = normalizeFixture('paypal/CHECKOUT.ORDER.COMPLETED.json');
    expect(event.provider_event_type).toBe('CHECKOUT.ORDER.COMPLETED');
    expect(event.timestamp).toBe('2018-04-16T21:21:49.000Z'); // the event's create_time
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.city': 'San Jose',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.price': 100,
      'template.currency': 'USD',
      ...meta('paypal', 'CHECKOUT.ORDER.COMPLETED', {
        'meta.provider_event_id': 'WH-COC11055RA711503B-4YM959094A144403T',
        'meta.source_object_id': '5O190127TN364715T',
        'meta.livemode': false, // self link on api.sandbox.paypal.com
        'meta.missing': 'template.product_name,template.product_image',
      }),
    });
    const text = JSON.stringify(event.normalized);
    for (const secret of ['2211 N First Street', '95131', 'buyer@example.com', 'Doe']) expect(text).not.toContain(secret);
  });

  it('PAYMENT.SALE.COMPLETED: "0.48" USD (major units), nobody named, live event', () => {
    const event = normalizeFixture('paypal/PAYMENT.SALE.COMPLETED.json');
    expect(event.provider_event_type).toBe('PAYMENT.SALE.COMPLETED');
    expect(event.timestamp).toBe('2014-10-23T17:23:52.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.price': 0.48,
      'template.currency': 'USD',
      ...meta('paypal', 'PAYMENT.SALE.COMPLETED', {
        'meta.provider_event_id': 'WH-2WR32451HC0233532-67976317FL4543714',
        'meta.source_object_id': '80021663DE681814L',
        'meta.livemode': true, // self link on api.paypal.com
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code,template.product_name,template.product_image',
      }),
    });
  });
});

type Order = { resource: { purchase_units: Array<Record<string, unknown>>; payer: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;

const orderFixture = () => loadPayload('paypal/CHECKOUT.ORDER.COMPLETED.json') as Order;

describe('PayPal edges', () => {
  it('zero-decimal JPY "1500" stays 1500 (amounts are already major units); items give product, count and a string quantity', () => {
    const payload = orderFixture();
    const unit = payload.resource.purchase_units[0] as Record<string, unknown>;
    unit.amount = { currency_code: 'JPY', value: '1500' };
    unit.items = [
      { name: 'Matcha &amp; Whisk', quantity: '2', unit_amount: { currency_code: 'JPY', value: '500' } },
      { name: 'Bowl', quantity: '1', unit_amount: { currency_code: 'JPY', value: '500' } },
    ];
    const event = normalizeRow({ id: 'jpy', integration_type: 'PayPal', event_data: payload });
    expect(event.normalized).toMatchObject({
      'template.product_name': 'Matcha & Whisk',
      'template.item_count': 2,
      'template.quantity': 2,
      'template.price': 1500,
      'template.currency': 'JPY',
    });
  });

  it('a bare order resource (no envelope) is read as CHECKOUT.ORDER.COMPLETED with its own time, livemode unknown', () => {
    const event = normalizeRow({ id: 'bare', integration_type: 'paypal', event_data: orderFixture().resource });
    expect(event.provider_event_type).toBe('CHECKOUT.ORDER.COMPLETED');
    expect(event.timestamp).toBe('2018-04-01T21:20:49.000Z'); // resource update_time
    expect(event.normalized['meta.livemode']).toBeNull();
    expect(event.normalized['template.customer_name']).toBe('John D.');
  });

  it('a v1 sale paying a billing agreement is a subscription renewal', () => {
    const payload = loadPayload('paypal/PAYMENT.SALE.COMPLETED.json') as { resource: Record<string, unknown> };
    payload.resource.billing_agreement_id = 'I-PE7JWXKGVN0R';
    expect(normalizeRow({ id: 'renewal', integration_type: 'paypal', event_data: payload }).normalized['template.event_kind']).toBe('subscription');
  });

  it('BILLING.SUBSCRIPTION.ACTIVATED: subscriber name and address, last payment amount', () => {
    const payload = {
      id: 'WH-1',
      event_type: 'BILLING.SUBSCRIPTION.ACTIVATED',
      create_time: '2024-03-01T10:00:00.000Z',
      resource: {
        id: 'I-BW452GLLEP1G',
        plan_id: 'P-5ML4271244454362WXNWU5NQ',
        status: 'ACTIVE',
        subscriber: {
          name: { given_name: 'Grace', surname: 'Hopper' },
          email_address: 'grace@example.com',
          shipping_address: { address: { address_line_1: '1 Navy Way', admin_area_2: 'Arlington', admin_area_1: 'VA', postal_code: '22201', country_code: 'US' } },
        },
        billing_info: { last_payment: { amount: { currency_code: 'USD', value: '10.00' }, time: '2024-03-01T09:59:00Z' } },
      },
      links: [{ href: 'https://api.paypal.com/v1/notifications/webhooks-events/WH-1', rel: 'self', method: 'GET' }],
    };
    const event = normalizeRow({ id: 'sub', integration_type: 'paypal', event_data: payload });
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.customer_name': 'Grace H.',
      'template.first_name': 'Grace',
      'template.last_initial': 'H',
      'template.city': 'Arlington',
      'template.region': 'VA',
      'template.country_code': 'US',
      'template.price': 10,
      'template.currency': 'USD',
      ...meta('paypal', 'BILLING.SUBSCRIPTION.ACTIVATED', {
        'meta.provider_event_id': 'WH-1',
        'meta.source_object_id': 'I-BW452GLLEP1G',
        'meta.livemode': true,
        'meta.missing': 'template.product_name',
      }),
    });
  });

  it('a payer whose "name" is an email or a placeholder is anonymous', () => {
    const payload = orderFixture();
    payload.resource.payer = { name: { given_name: 'buyer@example.com', surname: 'null' }, email_address: 'buyer@example.com' };
    const event = normalizeRow({ id: 'anon', integration_type: 'paypal', event_data: payload });
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
  });

  it('an event this normalizer does not map (CHECKOUT.ORDER.APPROVED: not yet paid) is custom', () => {
    const payload = { ...orderFixture(), event_type: 'CHECKOUT.ORDER.APPROVED' };
    expect(normalizeRow({ id: 'approved', integration_type: 'paypal', event_data: payload }).normalized['template.event_kind']).toBe('custom');
  });
});
