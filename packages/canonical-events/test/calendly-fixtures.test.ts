import { describe, expect, it } from 'vitest';
import { fixtureRow, meta, normalizeRow } from './fixture-rows.js';

const INVITEE_URI = 'https://api.calendly.com/scheduled_events/DDVRNUTABYGF4LO2/invitees/AHT4VZ5PQYFOSTFB';

const row = (event_data: unknown, extra: { event_type?: string } = {}) => ({ id: 'cal-1', integration_type: 'calendly', event_data, created_at: '2025-01-15T10:30:00Z', ...extra });

/** A current v2 invitee: split name fields, the scheduled event embedded, a cancellation object. */
function v2Invitee(overrides: Record<string, unknown> = {}) {
  return {
    uri: 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1',
    email: 'jane.doe@example.com',
    name: 'Jane Doe',
    first_name: 'Jane',
    last_name: 'Doe',
    status: 'active',
    timezone: 'Europe/Berlin',
    text_reminder_number: '+1 404-555-0123',
    created_at: '2024-05-02T09:14:03.123456Z',
    updated_at: '2024-05-02T09:14:03.200000Z',
    questions_and_answers: [{ question: 'Phone', answer: '+49 30 1234567' }],
    scheduled_event: { uri: 'https://api.calendly.com/scheduled_events/EV1', name: '30 Minute Discovery Call', start_time: '2024-05-09T14:00:00.000000Z' },
    cancellation: null,
    ...overrides,
  };
}

describe('Calendly payloads', () => {
  it('invitee.created: a booking by "Betty"; the event type is only a URI, so product_name is missing', () => {
    const fixture = fixtureRow('calendly', 'calendly/invitee.created.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('invitee.created');
    // payload.created_at 2020-12-22T18:15:55.361675Z: the booking moment (µs truncated), not the webhook's 18:15:56.
    expect(event.timestamp).toBe('2020-12-22T18:15:55.361Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'booking',
      'template.customer_name': 'Betty',
      'template.first_name': 'Betty',
      ...meta('calendly', 'invitee.created', {
        'meta.source_object_id': INVITEE_URI,
        'meta.missing': 'template.product_name',
      }),
    });
  });

  it('invitee.canceled: not social proof, so kind custom (never booking); name null → anonymous; time of the cancellation', () => {
    const fixture = fixtureRow('calendly', 'calendly/invitee.canceled.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('invitee.canceled');
    // The webhook's created_at (18:16:59), not the invitee's created_at (the earlier booking at 18:15:55).
    expect(event.timestamp).toBe('2020-12-22T18:16:59.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'custom',
      ...meta('calendly', 'invitee.canceled', {
        'meta.source_object_id': INVITEE_URI,
        'meta.is_anonymous': true,
        'meta.missing': 'template.customer_name,template.city,template.country_code',
      }),
    });
  });

  it('current v2 booking: first/last name → "Jane D.", scheduled_event.name is the product; email, phone and answers never read', () => {
    const event = normalizeRow(row({ event: 'invitee.created', created_at: '2024-05-02T09:14:04.000000Z', created_by: 'https://api.calendly.com/users/U1', payload: v2Invitee() }));
    expect(event.timestamp).toBe('2024-05-02T09:14:03.123Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'booking',
      'template.customer_name': 'Jane D.',
      'template.first_name': 'Jane',
      'template.last_initial': 'D',
      'template.product_name': '30 Minute Discovery Call',
      ...meta('calendly', 'invitee.created', { 'meta.source_object_id': 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1' }),
    });
    expect(JSON.stringify(event.normalized)).not.toMatch(/example\.com|555|1234567|Doe/);
  });

  it('a cancellation that is part of a reschedule is still custom; its time is cancellation.created_at', () => {
    const invitee = v2Invitee({
      status: 'canceled',
      rescheduled: true,
      updated_at: '2024-05-03T08:00:00.500000Z',
      cancellation: { canceled_by: 'Jane Doe', reason: 'Conflict', canceler_type: 'invitee', created_at: '2024-05-03T08:00:00.400000Z' },
    });
    const event = normalizeRow(row({ event: 'invitee.canceled', created_at: '2024-05-03T08:00:01.000000Z', payload: invitee }));
    expect(event.timestamp).toBe('2024-05-03T08:00:00.400Z');
    expect(event.normalized['template.event_kind']).toBe('custom');
    expect(event.normalized['meta.provider_event_type']).toBe('invitee.canceled');
    expect(event.normalized['template.customer_name']).toBe('Jane D.');
  });

  it('a bare invitee (no webhook envelope) is typed by its status', () => {
    const active = normalizeRow(row(v2Invitee()));
    expect([active.provider_event_type, active.normalized['template.event_kind'], active.timestamp]).toEqual(['invitee.created', 'booking', '2024-05-02T09:14:03.123Z']);
    const canceled = normalizeRow(row(v2Invitee({ status: 'canceled', cancellation: { created_at: '2024-05-03T08:00:00Z' } })));
    expect([canceled.provider_event_type, canceled.normalized['template.event_kind'], canceled.timestamp]).toEqual(['invitee.canceled', 'custom', '2024-05-03T08:00:00.000Z']);
  });

  it("the row's event_type wins over the body", () => {
    const event = normalizeRow(row(v2Invitee(), { event_type: 'invitee.canceled' }));
    expect(event.normalized['template.event_kind']).toBe('custom');
  });

  it('legacy v1 body: invitee and event_type nested under payload', () => {
    const event = normalizeRow(
      row({
        event: 'invitee.created',
        time: '2018-03-14T19:16:01Z',
        payload: {
          event_type: { uuid: 'CCCCCCCCCCCCCCCC', kind: 'One-on-One', slug: 'event_type_name', name: 'Event Type Name', duration: 15 },
          event: { uuid: 'BBBBBBBBBBBBBBBB', start_time: '2018-03-14 12:00:00 -07:00', canceled: false },
          invitee: { uuid: 'AAAAAAAAAAAAAAAA', first_name: 'Sam', last_name: 'Ortega', name: 'Sam Ortega', email: 'sam@example.com', created_at: '2018-03-14T00:00:00Z' },
          questions_and_answers: [],
        },
      }),
    );
    expect(event.timestamp).toBe('2018-03-14T00:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'booking',
      'template.customer_name': 'Sam O.',
      'template.first_name': 'Sam',
      'template.last_initial': 'O',
      'template.product_name': 'Event Type Name',
      ...meta('calendly', 'invitee.created', { 'meta.source_object_id': 'AAAAAAAAAAAAAAAA' }),
    });
  });

  it('an email typed into the name box is no name; routing form submissions are leads', () => {
    const event = normalizeRow(row({ event: 'invitee.created', payload: v2Invitee({ name: 'jane@example.com', first_name: null, last_name: null }) }));
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
    expect(event.normalized['meta.missing']).toBe('template.customer_name');

    const form = normalizeRow(row({ event: 'routing_form_submission.created', created_at: '2024-06-01T10:00:00.000000Z', payload: { uri: 'https://api.calendly.com/routing_form_submissions/R1', questions_and_answers: [] } }));
    expect([form.normalized['template.event_kind'], form.timestamp, form.normalized['meta.source_object_id']]).toEqual(['lead', '2024-06-01T10:00:00.000Z', 'https://api.calendly.com/routing_form_submissions/R1']);
  });

  it('a payload that is not an object still gives an event timed by the row', () => {
    const event = normalizeRow(row([1, 2, 3]));
    expect(event.normalized['meta.timestamp_source']).toBe('row.created_at');
    expect(event.normalized['template.event_kind']).toBe('custom');
  });
});
