import { describe, expect, it } from 'vitest';
import { containsEmail, containsPhoneNumber } from '../src/index.js';
import { fixtureRow, meta, normalizeRow } from './fixture-rows.js';

const row = (event_data: unknown) => ({ id: 'tf-1', integration_type: 'typeform', event_data, created_at: '2025-01-15T10:30:00Z' });

function templateValues(normalized: Record<string, unknown>): string[] {
  return Object.entries(normalized)
    .filter(([key, value]) => key.startsWith('template.') && typeof value === 'string')
    .map(([, value]) => value as string);
}

/** A form with a contact-info block and an address block, whose sub-fields are answered one by one. */
function contactForm() {
  return {
    event_id: '01HX',
    event_type: 'form_response',
    form_response: {
      form_id: 'F1',
      token: 'resp-1',
      landed_at: '2024-03-01T12:00:00Z',
      submitted_at: '2024-03-01T12:03:30Z',
      hidden: {},
      variables: [{ key: 'name', type: 'text', text: 'Spring Waitlist' }],
      definition: {
        id: 'F1',
        title: 'Join the waitlist',
        fields: [
          {
            id: 'ci',
            title: 'Your contact details',
            type: 'contact_info',
            ref: 'contact',
            properties: {
              fields: [
                { id: 'ci-first', title: 'First name', type: 'short_text', ref: 'c1' },
                { id: 'ci-last', title: 'Last name', type: 'short_text', ref: 'c2' },
                { id: 'ci-phone', title: 'Phone number', type: 'phone_number', ref: 'c3' },
                { id: 'ci-email', title: 'Email', type: 'email', ref: 'c4' },
              ],
            },
          },
          {
            id: 'addr',
            title: 'Where do you live?',
            type: 'address',
            ref: 'address',
            properties: {
              fields: [
                { id: 'a-line1', title: 'Address', type: 'short_text', ref: 'a1' },
                { id: 'a-city', title: 'City/Town', type: 'short_text', ref: 'a2' },
                { id: 'a-state', title: 'State/Region/Province', type: 'short_text', ref: 'a3' },
                { id: 'a-country', title: 'Country', type: 'short_text', ref: 'a4' },
              ],
            },
          },
          { id: 'friend', title: 'Their first name', type: 'short_text', ref: 'referral' },
          { id: 'fav', title: 'Which city is your favorite?', type: 'short_text', ref: 'fav' },
        ],
      },
      answers: [
        { type: 'text', text: 'Their Friend', field: { id: 'friend', type: 'short_text' } },
        { type: 'text', text: 'Paris', field: { id: 'fav', type: 'short_text' } },
        { type: 'text', text: 'Ana', field: { id: 'ci-first', type: 'short_text' } },
        { type: 'text', text: 'Lima', field: { id: 'ci-last', type: 'short_text' } },
        { type: 'phone_number', phone_number: '+14045550123', field: { id: 'ci-phone', type: 'phone_number' } },
        { type: 'email', email: 'ana@example.com', field: { id: 'ci-email', type: 'email' } },
        { type: 'text', text: '12 Harbour Street', field: { id: 'a-line1', type: 'short_text' } },
        { type: 'text', text: 'Porto', field: { id: 'a-city', type: 'short_text' } },
        { type: 'text', text: 'Porto District', field: { id: 'a-state', type: 'short_text' } },
        { type: 'text', text: 'PT', field: { id: 'a-country', type: 'short_text' } },
      ],
    },
  };
}

describe('Typeform payloads', () => {
  it('form_response: "Laura" found through definition.fields; the email answer and the "name" variable are not used', () => {
    const fixture = fixtureRow('typeform', 'typeform/form_response.json');
    const event = normalizeRow(fixture);
    expect(event.provider_event_type).toBe('form_response');
    expect(event.timestamp).toBe('2018-01-18T18:17:02.000Z'); // submitted_at, not landed_at
    // "Which of these cities is your favorite?" (London) is not where Laura lives: no city.
    expect(event.normalized).toEqual({
      'template.event_kind': 'lead',
      'template.customer_name': 'Laura',
      'template.first_name': 'Laura',
      ...meta('typeform', 'form_response', {
        'meta.provider_event_id': 'LtWXD3crgy',
        'meta.source_object_id': 'a3a12ec67a1365927098a606107fac15',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
  });

  it('contact-info and address blocks: "Ana L." from Porto, PT; no phone, email, street or a third party in template.*', () => {
    const event = normalizeRow(row(contactForm()));
    expect(event.timestamp).toBe('2024-03-01T12:03:30.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'lead',
      'template.customer_name': 'Ana L.',
      'template.first_name': 'Ana',
      'template.last_initial': 'L',
      'template.city': 'Porto',
      'template.region': 'Porto District',
      'template.country_code': 'PT',
      ...meta('typeform', 'form_response', { 'meta.source_object_id': 'resp-1', 'meta.provider_event_id': '01HX' }),
    });
    for (const value of templateValues(event.normalized)) {
      expect(containsEmail(value)).toBe(false);
      expect(containsPhoneNumber(value)).toBe(false);
    }
  });

  it('readable refs name the fields even without a title match; a bare form_response (no envelope) is read too', () => {
    const bare = {
      token: 'resp-2',
      submitted_at: '2024-04-02T08:00:00Z',
      answers: [
        { type: 'text', text: 'Mette Nielsen', field: { id: 'x1', type: 'short_text', ref: 'full_name' } },
        { type: 'text', text: 'Aarhus', field: { id: 'x2', type: 'short_text', ref: 'city' } },
        { type: 'text', text: 'Denmark', field: { id: 'x3', type: 'short_text', ref: 'country' } },
      ],
    };
    const event = normalizeRow(row(bare));
    expect(event.provider_event_type).toBe('form_response');
    expect(event.normalized).toEqual({
      'template.event_kind': 'lead',
      'template.customer_name': 'Mette N.',
      'template.first_name': 'Mette',
      'template.last_initial': 'N',
      'template.city': 'Aarhus',
      'template.country': 'Denmark',
      ...meta('typeform', 'form_response', { 'meta.source_object_id': 'resp-2', 'meta.missing': 'template.country_code' }),
    });
  });

  it('an email typed into the first-name question is no name; hidden fields fill in under exact keys only', () => {
    const form = contactForm();
    const answers = form.form_response.answers.map((answer) => (answer.field.id === 'ci-first' ? { ...answer, text: 'ana@example.com' } : answer));
    const anonymous = normalizeRow(row({ ...form, form_response: { ...form.form_response, answers } }));
    expect(anonymous.normalized['template.customer_name']).toBeUndefined();
    expect(anonymous.normalized['meta.is_anonymous']).toBe(true);
    for (const value of templateValues(anonymous.normalized)) expect(containsEmail(value)).toBe(false);

    const hidden = normalizeRow(
      row({ event_type: 'form_response', form_response: { token: 't', submitted_at: '2024-01-01T00:00:00Z', hidden: { first_name: 'Omar', city: 'Tunis', user_email: 'o@example.com' }, answers: [] } }),
    );
    expect([hidden.normalized['template.customer_name'], hidden.normalized['template.city']]).toEqual(['Omar', 'Tunis']);
  });

  it('form_response_partial keeps its type; landed_at is the time when nothing was submitted', () => {
    const event = normalizeRow(row({ event_id: 'p', event_type: 'form_response_partial', form_response: { token: 't', landed_at: '2024-02-02T10:00:00Z', answers: [] } }));
    expect([event.provider_event_type, event.timestamp, event.normalized['template.event_kind']]).toEqual(['form_response_partial', '2024-02-02T10:00:00.000Z', 'lead']);
  });

  it('field refs that spell Object.prototype members resolve to nothing', () => {
    const event = normalizeRow(row({ form_response: { token: 't', submitted_at: '2024-01-01T00:00:00Z', answers: [{ type: 'text', text: 'Zed', field: { id: 'a', ref: 'constructor' } }] } }));
    expect(event.normalized['template.customer_name']).toBeUndefined();
  });
});
