import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalEventsError,
  createRegistry,
  DEFAULT_NORMALIZERS,
  defaultRegistry,
  fallbackNormalizer,
  NO_FALLBACK,
  PROVIDER_ALIASES,
  defineNormalizer,
  EventNormalizationError,
  getString,
  LegacyEventRowSchema,
  normalizeEvent,
  parseTimestamp,
  personName,
  shopifyNormalizer,
} from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

describe('the seed’s event migration example', () => {
  // Verbatim from shared/seed "Event Migration Example" (Before).
  const before = {
    id: 'event-1',
    integration_type: 'shopify',
    event_data: {
      line_items: [{ title: 'Product A', price: 99.99 }],
      customer: { first_name: 'John' },
    },
  };

  it('gives the documented canonical_event (timestamp from receivedAt, since the row has none)', () => {
    const result = normalizeEvent(before, { receivedAt: '2025-01-15T10:30:00Z' });
    if (!result.success) throw result.error;
    expect(result.data).toMatchObject({
      event_id: 'event-1',
      provider: 'shopify',
      timestamp: '2025-01-15T10:30:00.000Z',
      payload: before.event_data,
      normalized: {
        'template.product_name': 'Product A',
        'template.customer_name': 'John',
        'template.price': 99.99,
        'meta.provider': 'shopify',
        'meta.timestamp_source': 'options.receivedAt',
      },
    });
    // Shopify's own topic name; the seed's "order.created" is the legacy campaign filter name.
    expect(result.data.provider_event_type).toBe('orders/create');
  });

  it('without any time source it is an error naming the row, not an invented time', () => {
    const result = normalizeEvent(before);
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('MISSING_TIMESTAMP');
    expect(result.error?.message).toContain('"event-1"');
  });
});

describe('normalizeEvent errors are values', () => {
  it.each([
    [null, 'INVALID_ROW', '(row)'],
    ['{"id":1}', 'INVALID_ROW', '(row)'],
    [[], 'INVALID_ROW', '(row)'],
    [{ integration_type: 'shopify', event_data: {} }, 'MISSING_ROW_ID', 'id'],
    [{ id: '', integration_type: 'shopify', event_data: {} }, 'MISSING_ROW_ID', 'id'],
    [{ id: 2 ** 53 + 2, integration_type: 'shopify', event_data: {} }, 'MISSING_ROW_ID', 'id'],
    [{ id: 'r1', integration_type: 'shopify', event_data: null }, 'INVALID_EVENT_DATA', 'event_data'],
    [{ id: 'r1', integration_type: 'shopify', event_data: '{"a":1}' }, 'INVALID_EVENT_DATA', 'event_data'],
    [{ id: 'r1', integration_type: 'shopify' }, 'INVALID_EVENT_DATA', 'event_data'],
    [{ id: 'r1', integration_type: 42, event_data: {} }, 'INVALID_ROW', 'integration_type'],
  ])('%j → %s on %s', (row, code, field) => {
    const result = normalizeEvent(row);
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(EventNormalizationError);
    expect(result.error).toBeInstanceOf(CanonicalEventsError);
    expect(result.error?.code).toBe(code);
    expect(result.error?.field).toBe(field);
    expect(result.error?.name).toBe('EventNormalizationError');
    expect(result.error?.message).toContain(field);
  });

  it('names the row id in event_data errors', () => {
    const result = normalizeEvent({ id: 'evt-9', integration_type: 'stripe', event_data: 'x' });
    expect(result.error?.message).toBe('Event row "evt-9": event_data must be a JSON object or array, received "x"');
    expect(result.error?.rowId).toBe('evt-9');
  });

  it('agrees with LegacyEventRowSchema on what a valid row is', () => {
    const good = { id: 12, integration_type: null, event_data: { time: 1700000000 }, created_at: new Date(0) };
    expect(LegacyEventRowSchema.safeParse(good).success).toBe(true);
    expect(normalizeEvent(good).success).toBe(true);
    expect(normalizeEvent(good).data?.event_id).toBe('12');
    expect(normalizeEvent({ id: 5n, event_data: { time: 1700000000 } }).data?.event_id).toBe('5');
  });

  it('never throws on whatever a custom normalizer returns (undefined, throwing getters)', () => {
    const returnsNothing = defineNormalizer({ provider: 'nothing', normalize: () => undefined as never });
    const throwingGetter = defineNormalizer({
      provider: 'getter',
      normalize: () => ({
        get template(): never {
          throw new Error('getter');
        },
      }),
    });
    const registry = createRegistry([returnsNothing, throwingGetter]);
    for (const provider of ['nothing', 'getter']) {
      const result = registry.normalizeEvent({ id: `r-${provider}`, integration_type: provider, event_data: {}, created_at: 1700000000 });
      expect(result.success).toBe(false);
      expect(result.error?.code).toBe('NORMALIZER_FAILED');
      expect(result.error?.message).toContain(`"r-${provider}"`);
    }
  });

  it('drops URLs that carry an email, phone number or personal query parameter', () => {
    const urls = defineNormalizer({
      provider: 'urls',
      normalize: (payload) => ({ template: { event_kind: 'testimonial', ...(payload as Record<string, string>) }, timestamp: 1700000000 }),
    });
    const normalized = (template: Record<string, string>) => createRegistry([urls]).normalizeEvent({ id: 'u', integration_type: 'urls', event_data: template }).data?.normalized;
    const leaky = normalized({
      avatar_url: 'https://cdn.example.com/a.png?email=ann.lee%40example.com',
      product_url: 'https://shop.example.com/p/1?ref=john.smith@example.com',
      product_image: 'https://img.example.com/x.png?to=%2B1%20555%20123%204567',
      media_url: 'https://v.example.com/watch?last_name=Lee',
    });
    for (const key of ['template.avatar_url', 'template.product_url', 'template.product_image', 'template.media_url']) expect(leaky).not.toHaveProperty(key);
    expect(leaky?.['meta.redacted']).toBe('template.product_url,template.product_image,template.avatar_url,template.media_url');
    // Ordinary CDN links keep their long version numbers and ids.
    const clean = normalized({ product_image: 'https://cdn.shopify.com/s/files/1/0001/products/shoe.jpg?v=1690000000123', product_url: 'https://shop.example.com/products/trail-shoes?variant=40000000000001' });
    expect(clean?.['template.product_image']).toBe('https://cdn.shopify.com/s/files/1/0001/products/shoe.jpg?v=1690000000123');
    expect(clean?.['template.product_url']).toBe('https://shop.example.com/products/trail-shoes?variant=40000000000001');
  });

  it('turns a throwing custom normalizer into NORMALIZER_FAILED with the cause', () => {
    const broken = defineNormalizer({
      provider: 'acme',
      normalize() {
        throw new TypeError('boom');
      },
    });
    const result = createRegistry([broken]).normalizeEvent({ id: 'a1', integration_type: 'acme', event_data: {} });
    expect(result.error?.code).toBe('NORMALIZER_FAILED');
    expect(result.error?.message).toContain('"a1"');
    expect((result.error?.cause as Error).message).toBe('boom');
  });
});

describe('registry', () => {
  const acme = defineNormalizer({
    provider: 'acme',
    aliases: ['Acme Shop'],
    version: 3,
    detectEventType: (payload) => getString(payload, 'event'),
    normalize: (payload) => ({
      template: { event_kind: 'purchase', ...personName({ full: getString(payload, 'buyer') }), price: 5, currency: 'usd' },
      timestamp: parseTimestamp(getString(payload, 'at')),
      sourceObjectId: getString(payload, 'ref'),
      livemode: true,
    }),
  });

  it('adds a provider without forking, routed by id and folded aliases', () => {
    const registry = defaultRegistry.extend([acme]);
    const row = { id: 'x', integration_type: 'acme-shop', event_data: { event: 'sale', buyer: 'Zoë Quinn', at: '2024-05-01T10:00:00Z', ref: 'A-1' } };
    const result = normalizeEvent(row, { registry });
    expect(result.data).toEqual({
      event_id: 'x',
      provider: 'acme',
      provider_event_type: 'sale',
      timestamp: '2024-05-01T10:00:00.000Z',
      payload: row.event_data,
      normalized: {
        'template.event_kind': 'purchase',
        'template.customer_name': 'Zoë Q.',
        'template.first_name': 'Zoë',
        'template.last_initial': 'Q',
        'template.price': 5,
        'template.currency': 'USD',
        'meta.provider': 'acme',
        'meta.provider_event_type': 'sale',
        'meta.source_object_id': 'A-1',
        'meta.livemode': true,
        'meta.is_anonymous': false,
        'meta.normalizer': 'acme',
        'meta.normalizer_version': 3,
        'meta.is_fallback': false,
        'meta.missing': 'template.city,template.country_code,template.product_name,template.product_image',
        'meta.timestamp_source': 'payload',
        'meta.redacted': '',
        'meta.batch_size': null,
        'meta.provider_event_id': null,
        'meta.dedupe_key': 'acme:sale:A-1:2024-05-01T10:00:00.000Z',
      },
    });
    // The default registry itself is unchanged.
    expect(defaultRegistry.resolve('acme').isFallback).toBe(true);
  });

  it('routes the shared alias table spellings to the same normalizer', () => {
    for (const name of ['shopify', 'Shopify', 'shopify_app', 'SHOPIFY-PLUS']) expect(defaultRegistry.resolve(name)).toBe(shopifyNormalizer);
    expect(defaultRegistry.resolve('woo').provider).toBe('woocommerce');
    expect(defaultRegistry.resolve('Stripe Checkout').provider).toBe('stripe');
    expect(defaultRegistry.resolve('zapier').isFallback).toBe(true);
    expect(defaultRegistry.resolve(undefined).isFallback).toBe(true);
  });

  it('a registry with only Shopify and the fallback sends Stripe rows to the fallback', () => {
    const registry = createRegistry([shopifyNormalizer], { fallback: fallbackNormalizer });
    const result = registry.normalizeEvent({ id: 's', integration_type: 'stripe', event_data: { type: 'charge.succeeded', created: 1700000000 } });
    expect(result.data?.normalized['meta.is_fallback']).toBe(true);
    expect(result.data?.provider).toBe('stripe');
    // The fallback's alias table still routes spellings to a registered normalizer of that id.
    expect(registry.resolve('Shopify Plus')).toBe(shopifyNormalizer);
    expect(registry.normalizeEvent({ id: 'w', integration_type: 'woo', event_data: {}, created_at: 1700000000 }).data?.provider).toBe('woocommerce');
  });

  it('a registry without a fallback reports other providers as UNKNOWN_PROVIDER, naming the row and the column', () => {
    const registry = createRegistry([shopifyNormalizer]);
    const result = registry.normalizeEvent({ id: 's', integration_type: 'stripe', event_data: { type: 'charge.succeeded', created: 1700000000 } });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe('UNKNOWN_PROVIDER');
    expect(result.error?.rowId).toBe('s');
    expect(result.error?.field).toBe('integration_type');
    expect(result.error?.message).toBe(
      'Event row "s": integration_type names no provider of this registry ("stripe"); add its normalizer or a fallback',
    );
    expect(registry.resolve('stripe')).toBe(NO_FALLBACK);
    expect(registry.normalizeEvent({ id: 'n', event_data: {} }).error?.code).toBe('UNKNOWN_PROVIDER');
    // Its own provider still routes, by its id and the spellings it lists, without the shared table.
    for (const name of ['shopify', 'Shopify', 'shopify_app', 'SHOPIFY-PLUS']) expect(registry.resolve(name)).toBe(shopifyNormalizer);
    expect(registry.normalizeEvent(fixtureRow('shopify', 'shopify/orders_create.json')).success).toBe(true);
    // extend keeps the registry's options.
    expect(registry.extend([]).resolve('stripe')).toBe(NO_FALLBACK);
  });

  it('every shipped normalizer lists exactly the spellings the shared alias table gives its id', () => {
    for (const normalizer of DEFAULT_NORMALIZERS) {
      const spellings = Object.entries(PROVIDER_ALIASES)
        .filter(([alias, id]) => id === normalizer.provider && alias !== id)
        .map(([alias]) => alias);
      expect([...normalizer.aliases].sort(), normalizer.provider).toEqual(spellings.sort());
    }
    for (const id of Object.values(PROVIDER_ALIASES)) expect(defaultRegistry.resolve(id).provider === id || defaultRegistry.resolve(id).isFallback, id).toBe(true);
  });

  it('the core re-applies privacy rules to whatever a sloppy normalizer returns', () => {
    const sloppy = defineNormalizer({
      provider: 'sloppy',
      normalize: () => ({
        template: {
          event_kind: 'review',
          customer_name: 'Bob Norman',
          first_name: 'Bob Norman',
          last_initial: 'Norman',
          city: '123 Elm St.',
          region: 'john@example.com',
          country_code: 'usa',
          product_name: '<i>Mug</i> for 555-555-5555',
          review_text: '<p>Loved it &ndash; call me on +1 (555) 555-0199 or bob@example.com from 10.0.0.1</p>',
          avatar_url: 'javascript:alert(1)',
          rating: 9,
          rating_max: 5,
          quantity: 1.5,
        },
        timestamp: '2024-01-01T00:00:00.000Z',
      }),
    });
    const result = createRegistry([sloppy]).normalizeEvent({ id: 'p', integration_type: 'sloppy', event_data: {} });
    expect(result.data?.normalized).toMatchObject({
      'template.event_kind': 'review',
      'template.customer_name': 'Bob N.',
      'template.first_name': 'Bob',
      // The initial is derived from the display name, never taken from the normalizer's "Norman".
      'template.last_initial': 'N',
      'template.product_name': 'Mug for […]',
      'template.review_text': 'Loved it – call me on […] or […] from […]',
      'template.rating_max': 5,
      'meta.redacted': 'template.city,template.region',
      'meta.missing': 'template.rating',
    });
    const keys = Object.keys(result.data?.normalized ?? {});
    for (const key of ['template.city', 'template.region', 'template.country_code', 'template.avatar_url', 'template.rating', 'template.quantity']) {
      expect(keys).not.toContain(key);
    }
  });

  it('is stable: the same row twice gives deep-equal events', () => {
    const row = { id: 'st', integration_type: 'woocommerce', event_data: { id: 1, reviewer: 'A B', rating: 4, review: 'ok', date_created_gmt: '2020-01-01T00:00:00' } };
    expect(normalizeEvent(row)).toEqual(normalizeEvent(row));
  });
});

describe('error messages read as sentences', () => {
  it.each([
    [{ id: 'r1', integration_type: 'shopify' }, 'received nothing'],
    [{ id: 'r1', integration_type: 'shopify', event_data: true }, 'received true'],
    [{ id: 'r1', integration_type: 'shopify', event_data: 12n }, 'received 12n'],
    [{ id: 'r1', integration_type: 'shopify', event_data: () => 1 }, 'received a function'],
    [{ id: 'r1', integration_type: 'shopify', event_data: Symbol('x') }, 'received a symbol'],
    [{ id: 'r1', integration_type: 'shopify', event_data: 'text' }, 'received "text"'],
    [{ id: 'r1', integration_type: 7, event_data: {} }, 'received 7'],
  ])('%o gives "%s"', (row, phrase) => {
    const result = normalizeEvent(row);
    expect(result.error?.message).toContain(phrase);
    expect(result.error?.message).not.toMatch(/\ba (?:undefined|object|integer|array|[aeiou])/);
  });
});

describe('the zod-free row check of /core', () => {
  it('names the same field as LegacyEventRowSchema for any row', () => {
    const column = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 3 }), fc.constantFrom(' ', 'a'.repeat(257), 2 ** 53, 1.5, 7, Number.NaN, Number.POSITIVE_INFINITY, new Date(Number.NaN), 12n, true), fc.date(), fc.object({ maxDepth: 0 }), fc.array(fc.integer(), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.record({ id: column, integration_type: column, event_data: column, event_type: column, created_at: column }, { requiredKeys: [] }), (row) => {
        const result = normalizeEvent(row, { receivedAt: '2025-01-01T00:00:00Z' });
        const schema = LegacyEventRowSchema.safeParse(row);
        if (result.success) {
          expect(schema.success).toBe(true);
          return;
        }
        if (!schema.success) expect(result.error.field).toBe(String(schema.error.issues[0]?.path[0]));
        else expect(result.error.field).toBe('event_data');
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes a created_at that is no time (NaN, Infinity, an Invalid Date) as an unparseable one: the row is kept and the time comes from elsewhere', () => {
    for (const createdAt of [Number.NaN, Number.POSITIVE_INFINITY, new Date(Number.NaN)]) {
      const row = { id: 'no-time', integration_type: 'webhook', event_data: { name: 'A' }, created_at: createdAt };
      expect(LegacyEventRowSchema.safeParse(row).success).toBe(true);
      const result = normalizeEvent(row, { receivedAt: '2025-01-01T00:00:00Z' });
      expect(result.data?.timestamp).toBe('2025-01-01T00:00:00.000Z');
      expect(result.data?.normalized['meta.timestamp_source']).toBe('options.receivedAt');
      expect(normalizeEvent(row).error?.code).toBe('MISSING_TIMESTAMP');
    }
  });
});
