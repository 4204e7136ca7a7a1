import { describe, expect, it } from 'vitest';
import { CanonicalEventSchema, normalizeEvent } from '../src/index.js';
import { fixtureRow, meta } from './fixture-rows.js';

function normalizeFixture(provider: string, file: string) {
  const row = fixtureRow(provider, file);
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  expect(CanonicalEventSchema.parse(result.data)).toBeTruthy();
  expect(result.data.payload).toBe(row.event_data);
  return result.data;
}

const fallbackMeta = (provider: string, type: string, fields: Record<string, string | number | boolean | null>) =>
  meta(provider, type, { 'meta.normalizer': 'fallback', 'meta.is_fallback': true, ...fields });

describe('fallback payloads', () => {
  it('Zapier catch hook: first/last name found, no time so the row created_at is used and said', () => {
    const event = normalizeFixture('zapier', 'zapier/catch_hook.example.json');
    expect(event.provider).toBe('zapier');
    expect(event.provider_event_type).toBe('unknown');
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      'template.customer_name': 'Bryan H.',
      'template.first_name': 'Bryan',
      'template.last_initial': 'H',
      ...fallbackMeta('zapier', 'unknown', {
        'meta.timestamp_source': 'row.created_at',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
  });

  it('UseProof custom webhook template: every field is "", which counts as missing', () => {
    const event = normalizeFixture('useproof', 'useproof/custom_webhook.template.json');
    expect(event.provider_event_type).toBe('custom');
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      ...fallbackMeta('useproof', 'custom', {
        'meta.is_anonymous': true,
        'meta.timestamp_source': 'row.created_at',
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('Social Proofy conversion: camelCase names, unix ms timestamp, "UK" corrected to GB, email and IP dropped', () => {
    const event = normalizeFixture('socialproofy', 'socialproofy/conversion_webhook.json');
    expect(event.timestamp).toBe('2012-01-03T17:54:38.742Z'); // 1325613278742 ms
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.city': 'London',
      'template.country': 'United Kingdom',
      'template.country_code': 'GB',
      // Its sample's `"guid": "id"` is the field's name, not an id.
      ...fallbackMeta('socialproofy', 'unknown', { 'meta.source_object_id': null }),
    });
  });

  it('CloudEvents structured event: id, type and time from the envelope, fields searched in data', () => {
    const event = normalizeFixture('cloudevents', 'cloudevents/com.example.someevent.json');
    expect(event.provider_event_type).toBe('com.example.someevent');
    expect(event.timestamp).toBe('2018-04-05T17:31:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      ...fallbackMeta('cloudevents', 'com.example.someevent', {
        'meta.source_object_id': 'C234-1234-1234',
        'meta.provider_event_id': 'C234-1234-1234',
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('an unknown integration_type keeps its folded name as provider and is marked as fallback', () => {
    const result = normalizeEvent({
      id: 7,
      integration_type: 'My CRM',
      event_type: 'order.completed',
      event_data: { customer: { firstName: 'ana', lastName: 'lópez' }, product_name: '<b>Blue</b> mug', price: '12.50', currency: 'eur', created_at: 1700000000 },
    });
    expect(result.success && result.data.event_id).toBe('7');
    expect(result.success && result.data.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'ana L.',
      'template.first_name': 'ana',
      'template.last_initial': 'L',
      'template.product_name': 'Blue mug',
      'template.price': 12.5,
      'template.currency': 'EUR',
      ...fallbackMeta('my_crm', 'order.completed', { 'meta.missing': 'template.city,template.country_code,template.product_image' }),
    });
  });
});
