import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRegistry, defineNormalizer, normalizeEvent, renderTemplate } from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';
import { build, hostileRecord, type Recipe, hostility, hostileValue } from '../../../test-support/hostile-values.js';

// "Never throws" holds for rows built by hostile code too: getters that throw, Proxies whose
// traps throw, revoked Proxies, values that cannot be printed. A bad row is an error value.
const ROW_KEYS = ['id', 'integration_type', 'event_data', 'event_type', 'created_at'];
const PAYLOAD_KEYS = ['data', 'object', 'customer', 'order', 'line_items', 'billing_address', 'first_name', 'name', 'email', 'created_at', 'id', 'type'];
const PROVIDERS = ['shopify', 'stripe', 'woocommerce', 'paddle', 'gumroad', 'typeform', 'trustpilot', 'segment', 'zapier', 'unknown_tool'];

function expectResult(result: ReturnType<typeof normalizeEvent>) {
  if (result.success) expect(typeof result.data.event_id).toBe('string');
  else expect(['INVALID_ROW', 'MISSING_ROW_ID', 'INVALID_EVENT_DATA', 'MISSING_TIMESTAMP', 'NORMALIZER_FAILED']).toContain(result.error.code);
}

describe('normalizeEvent on hostile rows', () => {
  it('never throws on a row, a field or a payload that throws when read', () => {
    const order = fixtureRow('shopify', 'shopify/orders_create.json').event_data as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVIDERS),
        hostileRecord({ ...order }, PAYLOAD_KEYS),
        hostileValue(PAYLOAD_KEYS),
        fc.boolean(),
        (provider, payload, nested, whole) => {
          const eventData = whole ? build(payload) : { ...order, customer: build(nested) };
          const rows = [
            { id: 'h1', integration_type: provider, event_data: eventData, created_at: '2025-01-01T00:00:00Z' },
          ];
          for (const row of rows) expectResult(normalizeEvent(row));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on a hostile row object or hostile options', () => {
    const base = { id: 'h2', integration_type: 'stripe', event_data: { id: 'ch_1', object: 'charge' }, event_type: 'charge.succeeded', created_at: '2025-01-01T00:00:00Z' };
    fc.assert(
      fc.property(hostileRecord(base, ROW_KEYS), fc.option(hostileValue(['receivedAt', 'maxTextLength', 'registry'])), (row, options) => {
        expectResult(normalizeEvent(build(row), (options === null ? undefined : build(options)) as never));
      }),
      { numRuns: 300 },
    );
  });

  it('turns a Proxy row with a throwing trap into INVALID_ROW, one row at a time', () => {
    const good = fixtureRow('shopify', 'shopify/orders_create.json');
    const rows = [good, new Proxy(good, { get: () => { throw new Error('boom'); } }), good];
    const results = rows.map((row) => normalizeEvent(row));
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1]?.error?.code).toBe('INVALID_ROW');
    expect(results[1]?.error?.message).toMatch(/getter or proxy trap threw/);
  });

  it('turns a custom normalizer returning hostile output into NORMALIZER_FAILED', () => {
    fc.assert(
      fc.property(hostility(['template', 'timestamp', 'sourceObjectId', 'livemode', 'eventType', 'batchSize']), hostility(['customer_name', 'city', 'price', 'event_kind']), fc.boolean(), (outputHostility, templateHostility, deep) => {
        const registry = createRegistry([
          defineNormalizer({
            provider: 'acme',
            normalize: () => {
              const template: Recipe = { kind: 'json', value: { event_kind: 'purchase', customer_name: 'Ann Lee', city: 'Oslo', price: 5 } };
              return build(deep ? { kind: 'record', entries: [['template', { kind: 'hostile', hostility: templateHostility, target: template }]], hostility: null } : { kind: 'record', entries: [['template', template]], hostility: outputHostility }) as never;
            },
          }),
        ]);
        const result = registry.normalizeEvent({ id: 'h3', integration_type: 'acme', event_data: {}, created_at: '2025-01-01T00:00:00Z' });
        expectResult(result);
      }),
      { numRuns: 200 },
    );
  });

  it('renderTemplate does not throw on hostile options or formatters', () => {
    const result = normalizeEvent(fixtureRow('shopify', 'shopify/orders_create.json'));
    if (!result.success) throw result.error;
    fc.assert(
      fc.property(hostileValue(['fallbacks', 'formatters', 'escapeHtml', 'unknownPlaceholders']), (options) => {
        try {
          renderTemplate('{{customer_name}} {{city}} {{price}}', result.data, build(options) as never);
        } catch (error) {
          expect.fail(`renderTemplate threw ${String(error)}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
