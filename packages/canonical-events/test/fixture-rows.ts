/**
 * Loads the published payloads as legacy event rows, from the repository's verbatim copy in
 * `examples/payloads/` (see its README-COPY.md), so a fresh clone runs every fixture test.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CanonicalEventSchema, normalizeEvent } from '../src/index.js';

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);

/** The payload text of a fixture file (`shopify/orders_create.json`). */
export function payloadText(file: string): string {
  return readFileSync(new URL(file, PAYLOADS), 'utf8');
}

/** A fresh parse of a fixture file. */
export function loadPayload(file: string): unknown {
  return JSON.parse(payloadText(file)) as unknown;
}

/** A legacy row carrying a fixture as `event_data`, the way the events table stores it. */
export function fixtureRow(integrationType: string, file: string, extra: { event_type?: string; created_at?: string } = {}) {
  return {
    id: `row-${file}`,
    integration_type: integrationType,
    event_data: loadPayload(file),
    created_at: extra.created_at ?? '2025-01-15T10:30:00Z',
    ...(extra.event_type === undefined ? {} : { event_type: extra.event_type }),
  };
}

/** The `meta.*` fields with the values most events share, overridden per test. */
export function meta(provider: string, eventType: string, fields: Record<string, string | number | boolean | null>) {
  return {
    'meta.provider': provider,
    'meta.provider_event_type': eventType,
    'meta.source_object_id': null,
    'meta.livemode': null,
    'meta.is_anonymous': false,
    'meta.normalizer': provider,
    'meta.normalizer_version': 1,
    'meta.is_fallback': false,
    'meta.missing': '',
    'meta.timestamp_source': 'payload',
    'meta.redacted': '',
    'meta.batch_size': null,
    'meta.provider_event_id': null,
    // Every key is checked precisely by dedupe.test.ts; here it only has to be there.
    'meta.dedupe_key': expect.any(String) as unknown as string,
    ...fields,
  };
}

/** Normalizes a row that must succeed: the event satisfies the schema and keeps the very payload object. */
export function normalizeRow(row: { id: string; integration_type: string; event_data: unknown; created_at?: string; event_type?: string }) {
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  expect(CanonicalEventSchema.parse(result.data)).toBeTruthy();
  expect(result.data.payload).toBe(row.event_data);
  return result.data;
}
