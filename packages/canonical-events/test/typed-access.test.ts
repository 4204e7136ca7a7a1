import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  type CanonicalEvent,
  CanonicalEventSchema,
  type EventKind,
  type NormalizedFields,
  type NormalizedFieldsSchema,
  normalizeEvent,
  renderTemplate,
  type TemplateFieldTypes,
  type TemplateValues,
  type TemplateValuesSchema,
  type TimestampSource,
} from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

// These checks run in `pnpm typecheck` (tsc over test/): an unused @ts-expect-error fails it, so
// each line below fails the build the day a misspelt key or a wrong value type compiles again.

function eventOf(row: unknown): CanonicalEvent {
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  return result.data;
}

describe('typed access to normalized', () => {
  const event = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));

  it('types every key by the vocabulary and rejects misspelt ones', () => {
    const normalized = event.normalized;
    expectTypeOf(normalized['template.price']).toEqualTypeOf<number | undefined>();
    expectTypeOf(normalized['template.customer_name']).toEqualTypeOf<string | undefined>();
    expectTypeOf(normalized['template.event_kind']).toEqualTypeOf<EventKind>();
    expectTypeOf(normalized['meta.is_fallback']).toEqualTypeOf<boolean>();
    expectTypeOf(normalized['meta.source_object_id']).toEqualTypeOf<string | null>();
    expectTypeOf(normalized['meta.timestamp_source']).toEqualTypeOf<TimestampSource>();
    // @ts-expect-error a misspelt template key does not compile
    void normalized['template.prise'];
    // @ts-expect-error nor a meta key the vocabulary lacks
    void normalized['meta.provder'];
    // @ts-expect-error template.price is a number, not a string
    const price: string | undefined = normalized['template.price'];
    expect(price).toBe(388);
  });

  it('holds the zod schemas, the TypeScript types and the vocabulary equal', () => {
    expectTypeOf<z.infer<typeof NormalizedFieldsSchema>>().toEqualTypeOf<NormalizedFields>();
    expectTypeOf<z.infer<typeof CanonicalEventSchema>['normalized']>().toEqualTypeOf<CanonicalEvent['normalized']>();
    expectTypeOf<Required<z.infer<typeof TemplateValuesSchema>>>().toEqualTypeOf<TemplateFieldTypes>();
    expectTypeOf<TemplateValues['price']>().toEqualTypeOf<number | null | undefined>();
    // Every event the registry builds passes the schema, key by key.
    expect(CanonicalEventSchema.safeParse(event).success).toBe(true);
    expect(CanonicalEventSchema.safeParse({ ...event, normalized: { ...event.normalized, 'template.prise': 1 } }).success).toBe(false);
    expect(CanonicalEventSchema.safeParse({ ...event, normalized: { ...event.normalized, 'template.price': '199.00' } }).success).toBe(false);
  });

  it('checks literal templates at compile time and leaves run-time templates to unknownPlaceholders', () => {
    expect(renderTemplate('{{customer_name}} from {{ city | nearby }} bought {{#product_name}}{{template.product_name}}{{/product_name}} for {{money}}', event).unknownPlaceholders).toEqual([]);
    expect(renderTemplate('{{^city}}somewhere{{/city}} {{time_ago}} {{{{first_name}}', event).unknownPlaceholders).toEqual([]);
    // @ts-expect-error a typo in a literal template does not compile
    expect(renderTemplate('{{customer_nmae}} bought {{product_name}}', event).unknownPlaceholders).toEqual(['customer_nmae']);
    // @ts-expect-error nor a section over an unknown field
    expect(renderTemplate('{{#prise}}x{{/prise}}', event).unknownPlaceholders).toEqual(['prise']);
    // @ts-expect-error meta fields are not placeholders
    expect(renderTemplate('{{meta.provider}}', event).unknownPlaceholders).toEqual(['meta.provider']);
    const customerTemplate: string = '{{customer_nmae}}';
    expect(renderTemplate(customerTemplate, event).unknownPlaceholders).toEqual(['customer_nmae']);
  });
});
