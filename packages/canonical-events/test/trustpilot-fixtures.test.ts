import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const FILE = 'trustpilot/service-review-created.json';

describe('Trustpilot payloads', () => {
  it('service-review-created: a 5-star review of the business; "Customer" is Trustpilot\'s stand-in, not a name', () => {
    const event = normalizeRow(fixtureRow('trustpilot', FILE));
    expect(event.provider_event_type).toBe('service-review-created');
    expect(event.timestamp).toBe('2017-05-20T09:34:44.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'review',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_title': 'Great service',
      'template.review_text': 'Nothing other than excellent customer service.',
      ...meta('trustpilot', 'service-review-created', {
        'meta.source_object_id': '53bffd360000640002975387',
        'meta.is_anonymous': true,
        'meta.batch_size': 1,
        // A service review rates the business: there is no product to name.
        'meta.missing': 'template.customer_name,template.product_name',
      }),
    });
    // The merchant's own order reference is not for visitors.
    expect(JSON.stringify(event.normalized)).not.toContain('ABC-123-xyz');
  });

  it('a real consumer name becomes First L.; the batch size counts every event of the delivery', () => {
    const body = loadPayload(FILE) as { events: { eventData: { consumer: { name: string }; stars: number } }[] };
    body.events[0]!.eventData.consumer.name = 'Maria Gonzalez';
    body.events.push(structuredClone(body.events[0]!), structuredClone(body.events[0]!));
    const event = normalizeRow({ id: 'tp-1', integration_type: 'trustpilot', event_data: body });
    expect(event.normalized['template.customer_name']).toBe('Maria G.');
    expect(event.normalized['template.first_name']).toBe('Maria');
    expect(event.normalized['meta.batch_size']).toBe(3);
    expect(event.normalized['meta.is_anonymous']).toBe(false);
  });

  it('a deleted review is custom, never a review a widget could show; a rating outside 1..5 is dropped', () => {
    const body = loadPayload(FILE) as { events: { eventName: string; eventData: { stars: number } }[] };
    body.events[0]!.eventName = 'service-review-deleted';
    body.events[0]!.eventData.stars = 9;
    const event = normalizeRow({ id: 'tp-2', integration_type: 'trustpilot', event_data: body });
    expect(event.provider_event_type).toBe('service-review-deleted');
    expect(event.normalized['template.event_kind']).toBe('custom');
    expect(event.normalized['template.rating']).toBeUndefined();
    expect(event.normalized['template.rating_max']).toBeUndefined();
  });

  it('a product review names its product; a bare review body (no events wrapper) is read too', () => {
    const review = {
      id: 'pr-1',
      stars: 4,
      title: 'Comfy <b>shoes</b>',
      content: 'Fit &amp; feel are great',
      createdAt: '2024-03-01T08:00:00Z',
      // The API's review objects name the consumer `displayName`; `email` is there for private reviews only.
      consumer: { displayName: 'Lee Park', email: 'lee.park@example.com' },
      product: { title: 'Trail Shoes', productUrl: 'https://shop.example.com/trail' },
    };
    const event = normalizeRow({ id: 'tp-3', integration_type: 'trustpilot', event_data: review, event_type: 'product-review-created' });
    expect(event.normalized).toMatchObject({
      'template.event_kind': 'review',
      'template.customer_name': 'Lee P.',
      'template.product_name': 'Trail Shoes',
      'template.product_url': 'https://shop.example.com/trail',
      'template.rating': 4,
      'template.review_title': 'Comfy shoes',
      'template.review_text': 'Fit & feel are great',
      'meta.missing': '',
    });
    expect(event.timestamp).toBe('2024-03-01T08:00:00.000Z');
    expect(JSON.stringify(event.normalized)).not.toMatch(/Park|@/);
  });
});
