import { z } from 'zod';
import { EVENT_KINDS, type NormalizedFields, TIMESTAMP_SOURCES } from './field-vocabulary.js';

/** A value of the flat `normalized` record. */
export const NormalizedValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A value of the flat `normalized` record. */
export type NormalizedValue = z.infer<typeof NormalizedValueSchema>;

/**
 * The `normalized` record, field by field as the vocabulary types it ({@link NormalizedFields};
 * a type test holds the two equal): the `template.*` fields optional, `template.event_kind` and
 * every `meta.*` field required, nothing else.
 */
export const NormalizedFieldsSchema = z
  .object({
    'template.event_kind': z.enum(EVENT_KINDS),
    'template.customer_name': z.string().optional(),
    'template.first_name': z.string().optional(),
    'template.last_initial': z.string().optional(),
    'template.city': z.string().optional(),
    'template.region': z.string().optional(),
    'template.country': z.string().optional(),
    'template.country_code': z.string().optional(),
    'template.product_name': z.string().optional(),
    'template.product_url': z.string().optional(),
    'template.product_image': z.string().optional(),
    'template.item_count': z.number().optional(),
    'template.quantity': z.number().optional(),
    'template.price': z.number().optional(),
    'template.currency': z.string().optional(),
    'template.rating': z.number().optional(),
    'template.rating_max': z.number().optional(),
    'template.review_title': z.string().optional(),
    'template.review_text': z.string().optional(),
    'template.avatar_url': z.string().optional(),
    'template.media_url': z.string().optional(),
    'meta.provider': z.string(),
    'meta.provider_event_type': z.string(),
    'meta.source_object_id': z.string().nullable(),
    'meta.livemode': z.boolean().nullable(),
    'meta.is_anonymous': z.boolean(),
    'meta.normalizer': z.string(),
    'meta.normalizer_version': z.number(),
    'meta.is_fallback': z.boolean(),
    'meta.missing': z.string(),
    'meta.timestamp_source': z.enum(TIMESTAMP_SOURCES),
    'meta.redacted': z.string(),
    'meta.batch_size': z.number().nullable(),
    'meta.provider_event_id': z.string().nullable(),
    'meta.dedupe_key': z.string().min(1),
  })
  .strict();

/**
 * The source of truth for a canonical event, as in the legacy migration's
 * `canonical_event` column: `event_id` (the row id, always a string), `provider`,
 * `provider_event_type`, `timestamp` (ISO 8601 UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`, when the event
 * happened), `payload` (the original `event_data`, same reference, never mutated) and
 * `normalized` (flat `template.*` / `meta.*` keys, typed by {@link NormalizedFieldsSchema}).
 */
export const CanonicalEventSchema = z.object({
  event_id: z.string().min(1),
  provider: z.string().min(1),
  provider_event_type: z.string().min(1),
  timestamp: z.iso.datetime({ precision: 3 }),
  payload: z.unknown(),
  normalized: NormalizedFieldsSchema,
});

/** A canonical event (the output of `normalizeEvent`); `normalized` is typed key by key. */
export interface CanonicalEvent {
  /** The row's id, as a string. */
  event_id: string;
  /** Canonical provider id (`shopify`), or the folded `integration_type` for an unknown one. */
  provider: string;
  /** The provider's event name (`orders/create`), or `unknown`. */
  provider_event_type: string;
  /** When the event happened: ISO 8601 UTC with milliseconds. */
  timestamp: string;
  /** The row's `event_data`, the same reference, never mutated. */
  payload: unknown;
  /** The flat `template.*` and `meta.*` fields. */
  normalized: NormalizedFields;
}
