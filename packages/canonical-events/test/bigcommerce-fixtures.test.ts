import { describe, expect, it } from 'vitest';
import { fixtureRow, meta, normalizeRow } from './fixture-rows.js';

const row = (event_data: unknown, extra: { event_type?: string } = {}) => ({ id: 'bc-1', integration_type: 'BigCommerce', event_data, created_at: '2025-01-15T10:30:00Z', ...extra });

const EVERY_PURCHASE_FIELD =
  'template.customer_name,template.city,template.country_code,template.product_name,template.product_image,template.price,template.currency';

describe('BigCommerce payloads', () => {
  it('store/order/created: a thin webhook still gives a purchase (order 250, unix seconds), every popup field listed as missing', () => {
    const fixture = fixtureRow('bigcommerce', 'bigcommerce/store.order.created.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('store/order/created');
    expect(event.timestamp).toBe('2019-06-25T16:15:35.000Z'); // created_at 1561479335
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      ...meta('bigcommerce', 'store/order/created', {
        'meta.provider_event_id': 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
        'meta.source_object_id': '250',
        'meta.is_anonymous': true,
        'meta.missing': EVERY_PURCHASE_FIELD,
      }),
    });
  });

  it('store/customer/created is a signup; order status updates and carts are not new conversions', () => {
    const customer = normalizeRow(row({ scope: 'store/customer/created', store_id: '1', data: { type: 'customer', id: 32 }, hash: 'h', created_at: 1700000000, producer: 'stores/abc' }));
    expect([customer.normalized['template.event_kind'], customer.normalized['meta.source_object_id'], customer.normalized['meta.missing']]).toEqual([
      'signup',
      '32',
      'template.customer_name,template.city,template.country_code',
    ]);

    const status = normalizeRow(row({ scope: 'store/order/statusUpdated', data: { type: 'order', id: 250, status: { previous_status_id: 0, new_status_id: 11 } }, created_at: 1561479400 }));
    expect(status.normalized['template.event_kind']).toBe('custom');

    const cart = normalizeRow(row({ scope: 'store/cart/created', data: { type: 'cart', id: '09346904-4175-44fd-be53-f7e598531b6c' }, created_at: 1561482670 }));
    expect([cart.normalized['template.event_kind'], cart.normalized['meta.source_object_id']]).toEqual(['custom', '09346904-4175-44fd-be53-f7e598531b6c']);
  });

  it('a thin webhook without created_at falls back to the row and says so', () => {
    const event = normalizeRow(row({ scope: 'store/order/created', data: { type: 'order', id: 251 } }));
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized['meta.timestamp_source']).toBe('row.created_at');
    expect(event.normalized['meta.missing']).toBe(EVERY_PURCHASE_FIELD);
  });

  it('the fetched V2 order: billing name/place, total_inc_tax in major units (JPY not rescaled), RFC 2822 date; no street, phone or email', () => {
    const order = {
      id: 118,
      customer_id: 11,
      date_created: 'Tue, 05 Mar 2024 14:07:09 +0900',
      status: 'Awaiting Fulfillment',
      total_ex_tax: '1364.0000',
      total_inc_tax: '1500.0000',
      currency_code: 'JPY',
      billing_address: {
        first_name: 'Yuki',
        last_name: 'Tanaka',
        company: '',
        street_1: '1-2-3 Shibuya',
        city: 'Tokyo',
        state: 'Tokyo',
        zip: '150-0002',
        country: 'Japan',
        country_iso2: 'JP',
        phone: '+81 3-1234-5678',
        email: 'yuki@example.jp',
      },
    };
    const event = normalizeRow(row(order));
    expect(event.provider_event_type).toBe('store/order/created');
    expect(event.timestamp).toBe('2024-03-05T05:07:09.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Yuki T.',
      'template.first_name': 'Yuki',
      'template.last_initial': 'T',
      'template.city': 'Tokyo',
      'template.region': 'Tokyo',
      'template.country': 'Japan',
      'template.country_code': 'JP',
      'template.price': 1500,
      'template.currency': 'JPY',
      ...meta('bigcommerce', 'store/order/created', {
        'meta.source_object_id': '118',
        'meta.missing': 'template.product_name,template.product_image',
      }),
    });
  });

  it('an unreadable date_created falls back to the row', () => {
    const event = normalizeRow(row({ id: 5, total_inc_tax: '10.00', currency_code: 'usd', date_created: 'yesterday' }));
    expect([event.normalized['meta.timestamp_source'], event.normalized['template.price'], event.normalized['template.currency']]).toEqual(['row.created_at', 10, 'USD']);
  });
});
