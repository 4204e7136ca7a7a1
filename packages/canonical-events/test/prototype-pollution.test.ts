import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, normalizeEvent, type RenderableEvent, renderTemplate, TEMPLATE_FIELDS, toCloudEvent } from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

// A polluted Object.prototype (another library's bug, a merged `__proto__` body) must never show
// in an event: every read of a normalizer's output, a helper's argument, a row or an option is an
// own-property read. These are the names the core and the helpers read, and what a normalizer or
// an option can hold; each gets a value the core would accept if it read it.
const TEXT = 'Polluted';
const POLLUTION: Record<string, unknown> = {
  ...Object.fromEntries(Object.keys(TEMPLATE_FIELDS).map((field) => [field, TEXT])),
  ...Object.fromEntries(Object.values(TEMPLATE_FIELDS).map((key) => [key, TEXT])),
  event_kind: 'review',
  country_code: 'FR',
  currency: 'EUR',
  price: 424242,
  item_count: 424242,
  quantity: 424242,
  rating: 4,
  rating_max: 5,
  product_url: 'https://polluted.example/p',
  product_image: 'https://polluted.example/i.png',
  avatar_url: 'https://polluted.example/a.png',
  media_url: 'https://polluted.example/m.mp4',
  first: TEXT,
  last: 'Pollutedson',
  full: 'Polly Pollutedson',
  timestamp: '2001-01-01T00:00:00Z',
  sourceObjectId: 'polluted-id',
  livemode: true,
  eventType: 'polluted.event',
  batchSize: 424242,
  created_at: '2001-01-01T00:00:00Z',
  event_type: 'polluted.event',
  integration_type: 'shopify',
  receivedAt: '2001-01-01T00:00:00Z',
  maxTextLength: 3,
  registry: { normalizeEvent: () => ({ success: false, error: new Error(TEXT) }) },
  fallbacks: { city: TEXT, product_name: TEXT },
  formatters: { price: () => TEXT, product_name: () => TEXT },
  escapeHtml: false,
  unknownPlaceholders: 'empty',
  email: 'polluted@example.com',
  name: 'Polly Pollutedson',
  first_name: TEXT,
  last_name: 'Pollutedson',
};

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);
const FIXTURES = readdirSync(PAYLOADS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(new URL(`${dir.name}/`, PAYLOADS))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ provider: dir.name, file: `${dir.name}/${file}` })),
  );

const TEMPLATE = Object.keys(TEMPLATE_FIELDS)
  .map((field) => `<p title="{{${field}}}">{{${field}}}</p>`)
  .join('');

/** Runs `work` with every key of POLLUTION on Object.prototype, removing them whatever happens. */
function withPollutedPrototype<T>(work: () => T): T {
  const added = Object.keys(POLLUTION).filter((key) => !Object.hasOwn(Object.prototype, key));
  try {
    for (const key of added) {
      Object.defineProperty(Object.prototype, key, { value: POLLUTION[key], configurable: true, enumerable: false, writable: true });
    }
    return work();
  } finally {
    for (const key of added) delete (Object.prototype as Record<string, unknown>)[key];
  }
}

function render(event: CanonicalEvent) {
  return { text: renderTemplate(TEMPLATE, event), plain: renderTemplate(TEMPLATE, event, {}), cloud: JSON.stringify(toCloudEvent(event)) };
}

describe('a polluted Object.prototype', () => {
  it('has at least one fixture per provider directory', () => {
    expect(FIXTURES.length).toBeGreaterThan(40);
  });

  it.each(FIXTURES)('never leaks into $file', ({ provider, file }) => {
    // A row without created_at or event_type, so the pollution would be the only value there.
    const { created_at: _createdAt, ...row } = fixtureRow(provider, file);
    const bareRow = fixtureRow(provider, file);
    const clean = normalizeEvent(row, { receivedAt: '2025-01-15T10:30:00Z' });
    const cleanRender = clean.success ? render(clean.data) : undefined;
    const polluted = withPollutedPrototype(() => {
      const result = normalizeEvent(row, { receivedAt: '2025-01-15T10:30:00Z' });
      return { result, rendered: result.success ? render(result.data) : undefined, bare: normalizeEvent(bareRow) };
    });
    expect(polluted.result).toEqual(clean);
    expect(polluted.rendered).toEqual(cleanRender);
    expect(polluted.bare).toEqual(normalizeEvent(bareRow));
    const shown = [polluted.result.data?.normalized, polluted.rendered, polluted.bare.data?.normalized];
    expect(JSON.stringify(shown)).not.toMatch(/olluted|424242/);
  });

  it('never leaks into a row without created_at and no receivedAt (still an error)', () => {
    const { created_at: _createdAt, ...row } = fixtureRow('webhook', 'zapier/catch_hook.example.json');
    const clean = normalizeEvent(row);
    const polluted = withPollutedPrototype(() => normalizeEvent(row));
    expect(polluted.success).toBe(clean.success);
    expect(polluted.error?.code).toBe(clean.error?.code);
  });

  it('never leaks into renderTemplate of an event without template fields', () => {
    const event: RenderableEvent & Omit<CanonicalEvent, 'normalized'> = {
      event_id: 'e1',
      provider: 'webhook',
      provider_event_type: 'unknown',
      timestamp: '2025-01-15T10:30:00.000Z',
      payload: {},
      normalized: { 'template.event_kind': 'custom' },
    };
    const clean = renderTemplate(TEMPLATE, event);
    const polluted = withPollutedPrototype(() => renderTemplate(TEMPLATE, event));
    expect(polluted).toEqual(clean);
    expect(polluted.text).not.toContain(TEXT);
  });
});
