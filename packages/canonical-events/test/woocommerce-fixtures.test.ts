import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, normalizeEvent } from '../src/index.js';
import { fixtureRow, loadPayload, meta } from './fixture-rows.js';

function normalizeFixture(file: string, eventType?: string) {
  const row = fixtureRow('woocommerce', file, eventType === undefined ? {} : { event_type: eventType });
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  expect(CanonicalEventSchema.parse(result.data)).toBeTruthy();
  expect(result.data.payload).toBe(row.event_data);
  return result.data;
}

describe('WooCommerce payloads', () => {
  it('order: billing name and place, total "29.35" as 29.35, time from date_created_gmt (not the local time)', () => {
    const event = normalizeFixture('woocommerce/order.created.json');
    expect(event.provider_event_type).toBe('order.created');
    expect(event.timestamp).toBe('2017-03-22T19:28:02.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.city': 'San Francisco',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.product_name': 'Woo Single #1',
      'template.item_count': 2,
      'template.quantity': 2,
      'template.price': 29.35,
      'template.currency': 'USD',
      ...meta('woocommerce', 'order.created', { 'meta.source_object_id': '727', 'meta.missing': 'template.product_image' }),
    });
  });

  it('order: the &ndash; entity in a line item name is decoded', () => {
    const order = loadPayload('woocommerce/order.created.json') as { line_items: unknown[] };
    const reordered = { ...order, line_items: [order.line_items[1], order.line_items[0]] };
    const result = normalizeEvent({ id: 'woo-2', integration_type: 'WooCommerce', event_data: reordered, event_type: 'order.updated' });
    expect(result.success && result.data.normalized['template.product_name']).toBe('Ship Your Idea – Color: Black, Size: M Test');
    expect(result.success && result.data.normalized['template.quantity']).toBe(1);
    expect(result.success && result.data.provider_event_type).toBe('order.updated');
  });

  it('customer: signup with avatar; email, phone and street stay out of template fields', () => {
    const event = normalizeFixture('woocommerce/customer.created.json');
    expect(event.provider_event_type).toBe('customer.created');
    expect(event.timestamp).toBe('2017-03-21T19:09:28.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.city': 'San Francisco',
      'template.region': 'CA',
      'template.country_code': 'US',
      'template.avatar_url': 'https://secure.gravatar.com/avatar/8eb1b522f60d11fa897de1dc6351b7e8?s=96',
      ...meta('woocommerce', 'customer.created', { 'meta.source_object_id': '25' }),
    });
  });

  it('product: name, permalink and price, but no currency in product webhooks', () => {
    const event = normalizeFixture('woocommerce/product.created.json');
    expect(event.provider_event_type).toBe('product.created');
    expect(event.timestamp).toBe('2023-03-26T09:29:39.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      'template.product_name': 'Perpemint',
      'template.product_url': 'http://localhost/wordpress/product/perpemint/',
      'template.price': 150,
      ...meta('woocommerce', 'product.created', {
        'meta.source_object_id': '18',
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('product reviews list: first review, HTML stripped from the text, 96px avatar, batch of 2', () => {
    const event = normalizeFixture('woocommerce/product_reviews.list.json');
    expect(event.provider_event_type).toBe('product_review.created');
    expect(event.timestamp).toBe('2018-10-18T20:59:17.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'review',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_text': 'Nice album!',
      'template.avatar_url': 'https://secure.gravatar.com/avatar/8eb1b522f60d11fa897de1dc6351b7e8?s=96&d=mm&r=g',
      ...meta('woocommerce', 'product_review.created', {
        'meta.source_object_id': '22',
        'meta.missing': 'template.product_name',
        'meta.batch_size': 2,
      }),
    });
  });
});
