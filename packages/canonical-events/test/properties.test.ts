import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalEventSchema,
  containsEmail,
  containsIpAddress,
  createRegistry,
  DEFAULT_NORMALIZERS,
  defineNormalizer,
  normalizeEvent,
  type TemplateValues,
} from '../src/index.js';
import { loadPayload } from './fixture-rows.js';

// Every shipped provider (new files are fuzzed automatically), the fallback ids and an unknown one.
const PROVIDERS = [...DEFAULT_NORMALIZERS.flatMap((n) => [n.provider, ...n.aliases]), 'zapier', 'useproof', 'socialproofy', 'cloudevents', 'something_else'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'data', 'object', 'customer', 'line_items', 'first_name', 'name', 'created_at', 'id', 'type', 'order', 'checkouts', 'billing', 'items'];

/** JSON values whose keys are often the ones normalizers read, or prototype names. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Parses through JSON text so `__proto__` becomes an own key, exactly as a webhook body would. */
function viaJsonText(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
}

function assertWellFormed(result: ReturnType<typeof normalizeEvent>) {
  if (result.success) {
    CanonicalEventSchema.parse(result.data);
    for (const [key, value] of Object.entries(result.data.normalized)) {
      if (key.startsWith('template.') && typeof value === 'string') {
        expect(containsEmail(value)).toBe(false);
        expect(containsIpAddress(value)).toBe(false);
        expect(value).not.toMatch(/[<>]/);
      }
    }
  } else {
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe('any JSON as event_data', () => {
  it('never throws, never pollutes prototypes, never mutates the payload, and is stable', () => {
    fc.assert(
      fc.property(hostileJson, fc.constantFrom(...PROVIDERS), fc.option(fc.string({ maxLength: 20 })), (raw, provider, eventType) => {
        const payload = viaJsonText(raw);
        const before = JSON.stringify(payload);
        const row = { id: 'p1', integration_type: provider, event_data: payload, event_type: eventType, created_at: '2024-01-01T00:00:00Z' };
        const first = normalizeEvent(row);
        const second = normalizeEvent(row);
        assertWellFormed(first);
        expect(second).toEqual(first);
        expect(JSON.stringify(payload)).toBe(before);
        if (first.success) expect(first.data.payload).toBe(payload);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 400 },
    );
  });

  it('handles __proto__ and constructor keys holding objects that look like payload fields', () => {
    const text = '{"__proto__": {"polluted": true, "first_name": "Eve"}, "constructor": {"prototype": {"polluted": true}}, "line_items": {"__proto__": []}}';
    for (const provider of ['shopify', 'stripe', 'woocommerce', 'zapier']) {
      const result = normalizeEvent({ id: 'x', integration_type: provider, event_data: JSON.parse(text), created_at: 1700000000 });
      assertWellFormed(result);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('rows of any shape give a result, never an exception', () => {
    fc.assert(
      fc.property(fc.anything(), (row) => {
        assertWellFormed(normalizeEvent(row));
      }),
      { numRuns: 300 },
    );
  });

  it('copes with 1 MB payloads: wide, deep and long-string', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 40_000; i++) wide[`key_${i}`] = `value ${i}`;
    const deepText = `${'{"data":'.repeat(50_000)}{"first_name":"Deep"}${'}'.repeat(50_000)}`;
    const longString = { first_name: 'x'.repeat(1_000_000), review: `<p>${'a<b>'.repeat(250_000)}</p>`, line_items: [{ title: '&amp;'.repeat(200_000) }] };
    const manyItems = { line_items: Array.from({ length: 20_000 }, (_, i) => ({ title: `Item ${i}`, price: '1.00' })), created_at: '2024-01-01T00:00:00Z' };
    const bigShopify = loadPayload('shopify/orders_create.json') as Record<string, unknown>;
    const padded = { ...bigShopify, note: 'n'.repeat(1_000_000) };
    for (const payload of [wide, JSON.parse(deepText) as unknown, longString, manyItems, padded]) {
      for (const provider of [...DEFAULT_NORMALIZERS.map((n) => n.provider), 'webhook']) {
        assertWellFormed(normalizeEvent({ id: 'big', integration_type: provider, event_data: payload, created_at: '2024-01-01T00:00:00Z' }));
      }
    }
  });
});

describe('laws on real payloads', () => {
  const FIXTURES: ReadonlyArray<readonly [string, string]> = [
    ['shopify', 'shopify/orders_create.json'],
    ['shopify', 'shopify/checkouts_create.json'],
    ['shopify', 'shopify/customers_create.json'],
    ['shopify', 'shopify/order.rest_envelope.json'],
    ['stripe', 'stripe/charge.succeeded.json'],
    ['stripe', 'stripe/checkout.session.completed.captured-2022-11-15.json'],
    ['stripe', 'stripe/customer.subscription.created.captured-2022-11-15.json'],
    ['woocommerce', 'woocommerce/order.created.json'],
    ['woocommerce', 'woocommerce/product_reviews.list.json'],
    ['socialproofy', 'socialproofy/conversion_webhook.json'],
  ];

  it('idempotent: feeding an event’s template fields back through the core changes nothing', () => {
    const passThrough = defineNormalizer({
      provider: 'replay',
      normalize: (payload) => {
        const template: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
          if (key.startsWith('template.')) template[key.slice('template.'.length)] = value;
        }
        return { template: template as TemplateValues, timestamp: (payload as Record<string, unknown>)['meta.at'] };
      },
    });
    const registry = createRegistry([passThrough]);
    for (const [provider, file] of FIXTURES) {
      const first = normalizeEvent({ id: file, integration_type: provider, event_data: loadPayload(file), created_at: '2024-01-01T00:00:00Z' });
      if (!first.success) throw first.error;
      const replayed = registry.normalizeEvent({ id: file, integration_type: 'replay', event_data: { ...first.data.normalized, 'meta.at': first.data.timestamp } });
      if (!replayed.success) throw replayed.error;
      const templateOf = (normalized: Record<string, unknown>) => Object.fromEntries(Object.entries(normalized).filter(([key]) => key.startsWith('template.')));
      expect(templateOf(replayed.data.normalized), file).toEqual(templateOf(first.data.normalized));
      expect(replayed.data.timestamp).toBe(first.data.timestamp);
      expect(replayed.data.normalized['meta.missing']).toBe(first.data.normalized['meta.missing']);
    }
  });

  it('caps review text at maxTextLength and ignores nonsense caps', () => {
    const row = { id: 'cap', integration_type: 'woocommerce', event_data: { id: 1, reviewer: 'Ann', rating: 5, review: 'word '.repeat(400), date_created_gmt: '2020-01-01T00:00:00' } };
    expect(Array.from(String(normalizeEvent(row, { maxTextLength: 20 }).data?.normalized['template.review_text']))).toHaveLength(20);
    expect(Array.from(String(normalizeEvent(row, { maxTextLength: -3 }).data?.normalized['template.review_text']))).toHaveLength(500);
  });
});
