import { describe, expect, it } from 'vitest';
import { normalizeEvent, toCloudEvent } from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

describe('toCloudEvent', () => {
  it('gives the CloudEvents 1.0 structured form', () => {
    const row = fixtureRow('stripe', 'stripe/charge.succeeded.json');
    const result = normalizeEvent(row);
    if (!result.success) throw result.error;
    const cloudEvent = toCloudEvent(result.data);
    expect(cloudEvent).toEqual({
      specversion: '1.0',
      id: row.id,
      source: '/providers/stripe',
      type: 'app.canonical.stripe.charge.succeeded',
      subject: 'ch_000000000000000000000000',
      time: '2022-03-26T18:40:32.000Z',
      datacontenttype: 'application/json',
      data: { provider: 'stripe', provider_event_type: 'charge.succeeded', normalized: result.data.normalized, payload: row.event_data },
    });
    expect(JSON.parse(JSON.stringify(cloudEvent))).toEqual(cloudEvent);
  });

  it('omits subject when there is no source object id and honours source/type options', () => {
    const result = normalizeEvent(fixtureRow('zapier', 'zapier/catch_hook.example.json'));
    if (!result.success) throw result.error;
    const cloudEvent = toCloudEvent(result.data, { source: 'https://app.example/hooks', typePrefix: 'com.example.' });
    expect(cloudEvent.subject).toBeUndefined();
    expect('subject' in cloudEvent).toBe(false);
    expect(cloudEvent.source).toBe('https://app.example/hooks');
    expect(cloudEvent.type).toBe('com.example.zapier.unknown');
  });

  it('round-trips: a CloudEvent fed back through the fallback keeps id, type and time', () => {
    const first = normalizeEvent(fixtureRow('shopify', 'shopify/orders_create.json'));
    if (!first.success) throw first.error;
    const cloudEvent = toCloudEvent(first.data);
    const again = normalizeEvent({ id: 'ce-1', integration_type: 'cloudevents', event_data: cloudEvent });
    expect(again.data?.provider_event_type).toBe(cloudEvent.type);
    expect(again.data?.timestamp).toBe(cloudEvent.time);
    expect(again.data?.normalized['meta.source_object_id']).toBe(cloudEvent.id);
  });
});
