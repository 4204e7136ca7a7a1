import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const normalizeFixture = (file: string) => normalizeRow(fixtureRow('paddle', file));

const NO_BUYER = 'template.customer_name,template.city,template.country_code';

// The catalog data both subscription fixtures share: AeroEdit Pro ×10 at "3000" + Analytics addon ×1 at "10000".
const AEROEDIT_SUBSCRIPTION = {
  'template.event_kind': 'subscription',
  'template.product_name': 'AeroEdit Pro',
  'template.product_image': 'https://paddle.s3.amazonaws.com/user/165798/bT1XUOJAQhOUxGs83cbk_pro.png',
  'template.item_count': 2,
  'template.quantity': 10,
  'template.price': 400, // (3000 × 10 + 10000 × 1) minor = 40000 → 400.00 USD
  'template.currency': 'USD',
};

// details.line_items: AeroEdit Pro ×10, Analytics addon, Custom domains; grand_total "65215" USD.
const AEROEDIT_TRANSACTION = {
  'template.event_kind': 'subscription', // subscription_id is set: the first payment of a plan
  'template.product_name': 'AeroEdit Pro',
  'template.product_image': 'https://paddle.s3.amazonaws.com/user/165798/bT1XUOJAQhOUxGs83cbk_pro.png',
  'template.item_count': 3,
  'template.quantity': 10,
  'template.price': 652.15,
  'template.currency': 'USD',
};

describe('Paddle Billing payloads', () => {
  it('customer.created (SDK fixture): "John Doe" → John D., no email, signup', () => {
    const event = normalizeFixture('paddle/customer.created.json');
    expect(event.provider_event_type).toBe('customer.created');
    expect(event.timestamp).toBe('2024-03-15T10:32:38.286Z'); // occurred_at …38.286848Z, µs truncated
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      ...meta('paddle', 'customer.created', {
        'meta.provider_event_id': 'evt_01hs0tqfme2xwb2hvwv87p8y3w',
        'meta.source_object_id': 'ctm_01hs0tqf76sxmp7ba5e4mw1sc8',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
  });

  it('customer.created with a non-ASCII one-word name keeps it whole (no initial)', () => {
    const event = normalizeFixture('paddle/customer.created.special_chars.json');
    expect(event.timestamp).toBe('2024-03-15T10:24:48.466Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'signup',
      'template.customer_name': 'ÜÄÅåÖÜÄÅåÖ',
      'template.first_name': 'ÜÄÅåÖÜÄÅåÖ',
      ...meta('paddle', 'customer.created', {
        'meta.provider_event_id': 'evt_01hs0t94tjvtv62azjmkbeysz7',
        'meta.source_object_id': 'ctm_01hs0t94g83hs5jdw282ztqa4z',
        'meta.missing': 'template.city,template.country_code',
      }),
    });
  });

  it('subscription.created (envelope): product from items[0].product, price Σ unit × quantity, buyer unknown', () => {
    const event = normalizeFixture('paddle/subscription.created.json');
    expect(event.provider_event_type).toBe('subscription.created');
    expect(event.timestamp).toBe('2024-09-09T16:01:31.210Z'); // occurred_at
    expect(event.normalized).toEqual({
      ...AEROEDIT_SUBSCRIPTION,
      ...meta('paddle', 'subscription.created', {
        'meta.provider_event_id': 'evt_01j7br9m2aesan7r77ckkast3s',
        'meta.source_object_id': 'sub_01j7br9jpk4rmmcd5crn2th1bq',
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER,
      }),
    });
  });

  it('subscription.created (data only): same fields, type inferred from the sub_ id, time from created_at', () => {
    const event = normalizeFixture('paddle/subscription.created.data.json');
    expect(event.provider_event_type).toBe('subscription.created');
    expect(event.timestamp).toBe('2024-04-12T10:18:48.831Z');
    expect(event.normalized).toEqual({
      ...AEROEDIT_SUBSCRIPTION,
      ...meta('paddle', 'subscription.created', {
        'meta.source_object_id': 'sub_01hv8x29kz0t586xy6zn1a62ny',
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER,
      }),
    });
  });

  it('transaction.completed (envelope): grand_total "65215" → 652.15 USD; the cardholder name is not used', () => {
    const event = normalizeFixture('paddle/transaction.completed.json');
    expect(event.provider_event_type).toBe('transaction.completed');
    expect(event.timestamp).toBe('2024-09-09T16:01:32.124Z'); // occurred_at …32.124939Z
    expect(event.normalized).toEqual({
      ...AEROEDIT_TRANSACTION,
      ...meta('paddle', 'transaction.completed', {
        'meta.provider_event_id': 'evt_01j7br9myw2s8wzb7t8x73f7sn',
        'meta.source_object_id': 'txn_01j7br78cgr083zqw1jhqym40s',
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER,
      }),
    });
    expect(Object.values(event.normalized)).not.toContain('Michael M.');
  });

  it('transaction.completed (data only): type from status "completed", time from billed_at', () => {
    const event = normalizeFixture('paddle/transaction.completed.data.json');
    expect(event.provider_event_type).toBe('transaction.completed');
    expect(event.timestamp).toBe('2024-04-12T10:18:48.294Z'); // billed_at …48.294633Z
    expect(event.normalized).toEqual({
      ...AEROEDIT_TRANSACTION,
      ...meta('paddle', 'transaction.completed', {
        'meta.source_object_id': 'txn_01hv8wptq8987qeep44cyrewp9',
        'meta.is_anonymous': true,
        'meta.missing': NO_BUYER,
      }),
    });
  });
});

/** A minimal transaction.completed notification with the given totals. */
function transaction(totals: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    event_id: 'evt_1',
    event_type: 'transaction.completed',
    occurred_at: '2024-05-01T08:00:00.000000Z',
    data: {
      id: 'txn_1',
      status: 'completed',
      subscription_id: null,
      currency_code: totals.currency_code,
      details: { totals, line_items: [{ quantity: 1, product: { name: 'Poster', image_url: 'https://cdn.example.com/poster.png' } }] },
      ...extra,
    },
  };
}

describe('Paddle Billing edges', () => {
  it('a one-off transaction is a purchase; zero-decimal JPY "1500" is ¥1500, three-decimal KWD "12345" is 12.345', () => {
    const jpy = normalizeRow({ id: 'jpy', integration_type: 'paddle', event_data: transaction({ grand_total: '1500', currency_code: 'JPY' }) });
    expect(jpy.normalized).toMatchObject({ 'template.event_kind': 'purchase', 'template.price': 1500, 'template.currency': 'JPY', 'template.product_name': 'Poster' });
    const kwd = normalizeRow({ id: 'kwd', integration_type: 'paddle', event_data: transaction({ grand_total: '12345', currency_code: 'KWD' }) });
    expect(kwd.normalized).toMatchObject({ 'template.price': 12.345, 'template.currency': 'KWD' });
  });

  it('an expanded customer and address give First L. and the place, never the email or street', () => {
    const payload = transaction(
      { grand_total: '2999', currency_code: 'EUR' },
      {
        customer: { id: 'ctm_1', name: 'Marie Curie', email: 'marie@example.com' },
        address: { id: 'add_1', first_line: '12 Rue Cuvier', city: 'Paris', region: 'Île-de-France', postal_code: '75005', country_code: 'fr' },
      },
    );
    const event = normalizeRow({ id: 'expanded', integration_type: 'Paddle Billing', event_data: payload });
    expect(event.provider).toBe('paddle');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      'template.customer_name': 'Marie C.',
      'template.first_name': 'Marie',
      'template.last_initial': 'C',
      'template.city': 'Paris',
      'template.region': 'Île-de-France',
      'template.country_code': 'FR',
      'template.product_name': 'Poster',
      'template.product_image': 'https://cdn.example.com/poster.png',
      'template.item_count': 1,
      'template.quantity': 1,
      'template.price': 29.99,
      'template.currency': 'EUR',
      ...meta('paddle', 'transaction.completed', { 'meta.source_object_id': 'txn_1', 'meta.provider_event_id': 'evt_1' }),
    });
  });

  it('an unpaid transaction (transaction.created) is not a purchase', () => {
    const payload = { ...transaction({ grand_total: '2999', currency_code: 'USD' }), event_type: 'transaction.created' };
    const event = normalizeRow({ id: 'created', integration_type: 'paddle', event_data: payload });
    expect(event.normalized['template.event_kind']).toBe('custom');
  });

  it("the row's event_type wins over the envelope's", () => {
    const row = fixtureRow('paddle', 'paddle/customer.created.json', { event_type: 'customer.updated' });
    const event = normalizeRow(row);
    expect(event.provider_event_type).toBe('customer.updated');
    expect(event.normalized['template.event_kind']).toBe('custom');
  });

  it('an email or a placeholder as customer name counts as anonymous', () => {
    for (const name of ['john@example.com', 'null', 'Anonymous', '']) {
      const payload = { event_type: 'customer.created', occurred_at: '2024-03-15T10:32:38Z', data: { id: 'ctm_2', name, email: 'john@example.com' } };
      const event = normalizeRow({ id: `anon-${name}`, integration_type: 'paddle', event_data: payload });
      expect(event.normalized['meta.is_anonymous'], name).toBe(true);
      expect(event.normalized['template.customer_name'], name).toBeUndefined();
    }
  });

  it('an envelope without data still yields an event: a purchase with every field missing, on the row time', () => {
    const event = normalizeRow({ id: 'empty', integration_type: 'paddle', event_data: { event_type: 'transaction.completed', data: null }, created_at: '2025-01-15T10:30:00Z' });
    expect(event.timestamp).toBe('2025-01-15T10:30:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'purchase',
      ...meta('paddle', 'transaction.completed', {
        'meta.is_anonymous': true,
        'meta.missing': `${NO_BUYER},template.product_name,template.product_image,template.price,template.currency`,
        'meta.timestamp_source': 'row.created_at',
      }),
    });
  });

  it('does not mutate the payload', () => {
    const payload = loadPayload('paddle/transaction.completed.json');
    const copy = structuredClone(payload);
    normalizeRow({ id: 'immutable', integration_type: 'paddle', event_data: payload });
    expect(payload).toEqual(copy);
  });
});
