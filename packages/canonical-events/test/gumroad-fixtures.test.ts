import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const normalizeFixture = (file: string) => normalizeRow(fixtureRow('gumroad', file));

describe('Gumroad payloads (API docs examples)', () => {
  it('sale (physical): 2200 USD cents → 22; "Sample Name" is a placeholder; New York, US; "about 1 month ago" ignored', () => {
    const event = normalizeFixture('gumroad/sale.api_example_physical.json');
    expect(event.provider_event_type).toBe('sale');
    expect(event.timestamp).toBe('2021-01-23T20:23:21.000Z'); // created_at, not "timestamp"
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.city': 'New York',
      'template.region': 'NY',
      'template.country': 'United States',
      'template.country_code': 'US',
      'template.product_name': 'classic physical product',
      'template.quantity': 1,
      'template.price': 22,
      'template.currency': 'USD',
      ...meta('gumroad', 'sale', {
        'meta.source_object_id': 'A-m3CDDC5dlrSdKZp0RFhA==',
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.product_image',
      }),
    });
    const text = JSON.stringify(event.normalized);
    for (const secret of ['Sample street', '10001', 'calvin@gumroad.com', '4242']) expect(text).not.toContain(secret);
  });

  it('sale (subscription): is_recurring_billing → subscription; 1000 cents → 10 USD; no name or place', () => {
    const event = normalizeFixture('gumroad/sale.api_example_subscription.json');
    expect(event.timestamp).toBe('2021-01-05T19:38:56.000Z'); // created_at; daystamp " 5 Jan 2021 11:38 AM" is display text
    expect(event.normalized).toEqual({
      'template.event_kind': 'subscription',
      'template.product_name': 'Pencil Icon PSD',
      'template.quantity': 1,
      'template.price': 10,
      'template.currency': 'USD',
      ...meta('gumroad', 'sale', {
        'meta.source_object_id': 'FO8TXN-dvxYabdavG97Y-Q==',
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('product_reviews: the first review of the list, rater Avery, 5/5, the seller reply is not the review', () => {
    const event = normalizeFixture('gumroad/product_reviews.api_example.json');
    expect(event.provider_event_type).toBe('product_review');
    expect(event.timestamp).toBe('2026-03-01T12:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'review',
      'template.customer_name': 'Avery',
      'template.first_name': 'Avery',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_text': 'Exactly what I needed for my workflow.',
      ...meta('gumroad', 'product_review', {
        'meta.source_object_id': 'sJ8Yx3d6mUL1kQpVbHnZ2g==',
        'meta.batch_size': 1,
        'meta.missing': 'template.product_name',
      }),
    });
  });
});

// A sale ping as Gumroad posts it (x-www-form-urlencoded), saved as JSON: every value is a string.
const ping = {
  seller_id: 'kL0paVL2SdmJSYsNs-OCMg==',
  product_id: '32-nPainqpLj1B_WIwVlMw==',
  product_name: 'Pencil Icon PSD',
  permalink: 'pencil',
  product_permalink: 'https://sahil.gumroad.com/l/pencil',
  short_product_id: 'XCBbJ',
  email: 'buyer@example.com',
  price: '1999',
  gumroad_fee: '200',
  currency: 'eur',
  quantity: '2',
  order_number: '524459995',
  sale_id: 'FO8TXN-dvxYabdavG97Y-Q==',
  sale_timestamp: '2024-05-01T10:11:12Z',
  full_name: 'Greta Garbo',
  ip_country: 'Sweden',
  resource_name: 'sale',
  test: 'true',
  refunded: 'false',
};

describe('Gumroad edges', () => {
  it('a ping: string values, price in USD cents even when the product lists in EUR, product URL kept, test → not live', () => {
    const event = normalizeRow({ id: 'ping', integration_type: 'gumroad', event_data: ping });
    expect(event.timestamp).toBe('2024-05-01T10:11:12.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Greta G.',
      'template.first_name': 'Greta',
      'template.last_initial': 'G',
      'template.country': 'Sweden',
      'template.product_name': 'Pencil Icon PSD',
      'template.product_url': 'https://sahil.gumroad.com/l/pencil',
      'template.quantity': 2,
      'template.price': 19.99,
      'template.currency': 'USD',
      ...meta('gumroad', 'sale', {
        'meta.source_object_id': 'FO8TXN-dvxYabdavG97Y-Q==',
        'meta.livemode': false,
        'meta.missing': 'template.city,template.country_code,template.product_image',
      }),
    });
  });

  it('a refund resource or a refunded sale is not shown as a purchase', () => {
    expect(normalizeRow({ id: 'refund', integration_type: 'gumroad', event_data: { ...ping, resource_name: 'refund' } }).normalized['template.event_kind']).toBe('custom');
    expect(normalizeRow({ id: 'refunded', integration_type: 'gumroad', event_data: { ...ping, refunded: 'true' } }).normalized['template.event_kind']).toBe('custom');
  });

  it('a sale whose only time is the human "timestamp" falls back to the row created_at', () => {
    const { sale } = loadPayload('gumroad/sale.api_example_physical.json') as { sale: Record<string, unknown> };
    const { created_at: _dropped, ...withoutCreatedAt } = sale;
    const event = normalizeRow({ id: 'human', integration_type: 'gumroad', event_data: { success: true, sale: withoutCreatedAt }, created_at: '2025-01-15T10:30:00Z' });
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized['meta.timestamp_source']).toBe('row.created_at');
  });

  it('a formatted price ("$22", API v1) is not converted', () => {
    const event = normalizeRow({ id: 'v1', integration_type: 'gumroad', event_data: { ...ping, price: '$22' } });
    expect(event.normalized['template.price']).toBeUndefined();
    expect(event.normalized['template.currency']).toBeUndefined();
  });

  it('rater_name "Anonymous" is no name; review HTML is stripped', () => {
    const payload = { success: true, product_reviews: [{ id: 'r1', rating: 4, message: '<b>Great</b> pack &amp; more', created_at: '2026-03-01T12:00:00Z', rater_name: 'Anonymous' }, { id: 'r2' }] };
    const event = normalizeRow({ id: 'anon-review', integration_type: 'gumroad', event_data: payload });
    expect(event.normalized).toEqual({
      'template.event_kind': 'review',
      'template.rating': 4,
      'template.rating_max': 5,
      'template.review_text': 'Great pack & more',
      ...meta('gumroad', 'product_review', {
        'meta.source_object_id': 'r1',
        'meta.is_anonymous': true,
        'meta.batch_size': 2,
        'meta.missing': 'template.customer_name,template.product_name',
      }),
    });
  });
});
