import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, type NormalizeEventOptions, normalizeEvent } from '../src/index.js';
import { loadPayload } from './fixture-rows.js';
import { publishedPayloads } from './published-payloads.js';

function normalized(row: unknown, options?: NormalizeEventOptions): CanonicalEvent['normalized'] {
  const result = normalizeEvent(row, options);
  if (!result.success) throw result.error;
  return result.data.normalized;
}

/** The same delivery stored twice, as a retried webhook is: a new row id, a later created_at, a fresh parse. */
function deliveredTwice(integrationType: string, file: string) {
  return [
    { id: `first-${file}`, integration_type: integrationType, event_data: loadPayload(file), created_at: '2025-01-15T10:30:00Z' },
    { id: `retry-${file}`, integration_type: integrationType, event_data: loadPayload(file), created_at: '2025-01-15T10:31:07Z' },
  ] as const;
}

const payloads = publishedPayloads();

describe('a retried webhook is one event', () => {
  it('finds the 49 published payloads', () => {
    expect(payloads).toHaveLength(49);
  });

  it.each(payloads)('$file: the retry has the same dedupe key and provider event id', ({ integrationType, file }) => {
    const [first, retry] = deliveredTwice(integrationType, file).map((row) => normalized(row));
    expect(first?.['meta.dedupe_key']).toMatch(new RegExp(`^${first?.['meta.provider']}:.+`));
    expect(retry?.['meta.dedupe_key']).toBe(first?.['meta.dedupe_key']);
    expect(retry?.['meta.provider_event_id']).toBe(first?.['meta.provider_event_id']);
  });

  it("records the provider's own event id and keys on it", () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ['stripe', 'stripe/checkout.session.completed.captured-2022-11-15.json', 'evt_1MhUT6E0b6fckueSlc4GyvIi'],
      ['paddle', 'paddle/transaction.completed.json', 'evt_01j7br9myw2s8wzb7t8x73f7sn'],
      ['paypal', 'paypal/PAYMENT.SALE.COMPLETED.json', 'WH-2WR32451HC0233532-67976317FL4543714'],
      ['typeform', 'typeform/form_response.json', 'LtWXD3crgy'],
      ['cloudevents', 'cloudevents/com.example.someevent.json', 'C234-1234-1234'],
    ];
    for (const [provider, file, eventId] of cases) {
      const fields = normalized(deliveredTwice(provider, file)[0]);
      expect(fields['meta.provider_event_id'], file).toBe(eventId);
      expect(fields['meta.dedupe_key'], file).toBe(`${provider}:event:${eventId}`);
    }
  });

  it('keys a Shopify delivery on its topic, order and time, or on the header id ingestion passes', () => {
    const [row] = deliveredTwice('shopify', 'shopify/orders_create.json');
    const created = normalized(row);
    expect(created['meta.provider_event_id']).toBeNull();
    expect(created['meta.dedupe_key']).toBe('shopify:orders/create:820982911946154508:2022-01-01T00:00:00.000Z');
    // orders/paid for the same order is another event, not a retry.
    expect(normalized({ ...row, event_type: 'orders/paid' })['meta.dedupe_key']).toBe('shopify:orders/paid:820982911946154508:2022-01-01T00:00:00.000Z');
    const withHeader = normalized(row, { eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5' });
    expect(withHeader['meta.provider_event_id']).toBe('98880550-7158-44d4-b7cd-2c97c8a091b5');
    expect(withHeader['meta.dedupe_key']).toBe('shopify:event:98880550-7158-44d4-b7cd-2c97c8a091b5');
  });

  it("prefers the payload's id to the header's, and ignores documentation placeholders", () => {
    const [stripeRow] = deliveredTwice('stripe', 'stripe/checkout.session.completed.captured-2022-11-15.json');
    expect(normalized(stripeRow, { eventId: 'from-a-header' })['meta.provider_event_id']).toBe('evt_1MhUT6E0b6fckueSlc4GyvIi');
    // stripe-cli's fixtures all carry evt_000000000000000000000000: not an id, or every sample would be one event.
    const [charge] = deliveredTwice('stripe', 'stripe/charge.succeeded.json');
    const fields = normalized(charge);
    expect(fields['meta.provider_event_id']).toBeNull();
    expect(fields['meta.dedupe_key']).toMatch(/^stripe:charge\.succeeded:ch_[^:]+:\d{4}-/);
  });

  it('keys a payload with no id and no time on its content, never on the row time', () => {
    const [zapier, retry] = deliveredTwice('zapier', 'zapier/catch_hook.example.json');
    const first = normalized(zapier);
    expect(first['meta.timestamp_source']).toBe('row.created_at');
    expect(first['meta.dedupe_key']).toMatch(/^zapier:unknown:content:[0-9a-z]+$/);
    expect(normalized(retry)['meta.dedupe_key']).toBe(first['meta.dedupe_key']);
    const other = { ...zapier, event_data: { ...(zapier.event_data as object), first_name: 'Someone Else' } };
    expect(normalized(other)['meta.dedupe_key']).not.toBe(first['meta.dedupe_key']);
  });

  it('gives distinct published events distinct keys', () => {
    const owners = new Map<string, string[]>();
    for (const { integrationType, file } of payloads) {
      // Shopify sends the topic in a header, which ingestion stores as event_type.
      const topic = /^shopify\/(orders|checkouts|customers)_(create|paid)\.json$/.exec(file);
      const row = { ...deliveredTwice(integrationType, file)[0], ...(topic === null ? {} : { event_type: `${topic[1]}/${topic[2]}` }) };
      const key = normalized(row)['meta.dedupe_key'];
      owners.set(key, [...(owners.get(key) ?? []), file]);
    }
    const shared = [...owners.values()].filter((files) => files.length > 1);
    expect(shared).toEqual([]);
  });
});
