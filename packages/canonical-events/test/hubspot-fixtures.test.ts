import { describe, expect, it } from 'vitest';
import { fixtureRow, meta, normalizeRow } from './fixture-rows.js';

const row = (event_data: unknown, extra: { event_type?: string } = {}) => ({ id: 'hs-1', integration_type: 'hubspot', event_data, created_at: '2025-01-15T10:30:00Z', ...extra });

describe('HubSpot payloads', () => {
  it('legacy contact profile: "Kovat T." signed up at createdate "1680448099688" (unix ms as a string); no email, owner or company', () => {
    const fixture = fixtureRow('hubspot', 'hubspot/contact.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('contact.creation');
    expect(event.timestamp).toBe('2023-04-02T15:08:19.688Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'Kovat T.',
      'template.first_name': 'Kovat',
      'template.last_initial': 'T',
      ...meta('hubspot', 'contact.creation', {
        'meta.source_object_id': '251',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
    expect(JSON.stringify(event.normalized)).not.toMatch(/cyclesat|Hookdeck|Writer|Tif\b/i);
  });

  it('legacy profile with a place: city, state and a country NAME (no code); phone, address and zip never read', () => {
    const contact = {
      vid: 9001,
      'canonical-vid': 9001,
      properties: {
        firstname: { value: 'Léa' },
        lastname: { value: 'Martin' },
        email: { value: 'lea@example.fr' },
        phone: { value: '+33 1 23 45 67 89' },
        address: { value: '12 rue de Rivoli' },
        zip: { value: '75001' },
        city: { value: 'Paris' },
        state: { value: 'Île-de-France' },
        country: { value: 'France' },
        createdate: { value: '1700000000000' },
      },
    };
    const event = normalizeRow(row(contact));
    expect(event.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'Léa M.',
      'template.first_name': 'Léa',
      'template.last_initial': 'M',
      'template.city': 'Paris',
      'template.region': 'Île-de-France',
      'template.country': 'France',
      ...meta('hubspot', 'contact.creation', { 'meta.source_object_id': '9001', 'meta.missing': 'template.country_code' }),
    });
  });

  it('CRM v3 object: plain string properties, ISO createdate, a two-letter country is a code', () => {
    const event = normalizeRow(
      row({ id: '512', properties: { firstname: 'Ken', lastname: null, email: 'ken@example.jp', country: 'jp', createdate: '2024-07-01T03:04:05.678Z' }, createdAt: '2024-07-01T03:04:05.678Z', archived: false }),
    );
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'Ken',
      'template.first_name': 'Ken',
      'template.country_code': 'JP',
      ...meta('hubspot', 'contact.creation', { 'meta.source_object_id': '512', 'meta.missing': 'template.city' }),
    });
    expect(event.timestamp).toBe('2024-07-01T03:04:05.678Z');
  });

  it('placeholder names ("null", "Test") count as missing', () => {
    const event = normalizeRow(row({ vid: 3, properties: { firstname: { value: 'null' }, lastname: { value: 'Test' }, createdate: { value: '1680448099688' } } }));
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
  });

  it('Webhooks API notifications: a list of ids; the first describes the event, occurredAt is unix ms', () => {
    const notifications = [
      { eventId: 100, subscriptionId: 7, portalId: 62515, appId: 54321, occurredAt: 1700000000123, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 123, changeSource: 'CRM' },
      { eventId: 101, subscriptionId: 7, portalId: 62515, appId: 54321, occurredAt: 1700000000456, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 124, changeSource: 'CRM' },
    ];
    const event = normalizeRow(row(notifications));
    expect(event.timestamp).toBe('2023-11-14T22:13:20.123Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      ...meta('hubspot', 'contact.creation', {
        'meta.source_object_id': '123',
        'meta.is_anonymous': true,
        'meta.batch_size': 2,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });

    const change = normalizeRow(row([{ ...notifications[0], subscriptionType: 'contact.propertyChange', propertyName: 'email', propertyValue: 'x@example.com' }]));
    expect([change.provider_event_type, change.normalized['template.event_kind']]).toEqual(['contact.propertyChange', 'custom']);
  });
});
