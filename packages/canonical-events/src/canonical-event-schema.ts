import { z } from 'zod';

/** A value of the flat `normalized` record. */
export const NormalizedValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A value of the flat `normalized` record. */
export type NormalizedValue = z.infer<typeof NormalizedValueSchema>;

/**
 * The source of truth for a canonical event, as in the legacy migration's
 * `canonical_event` column: `event_id` (the row id, always a string), `provider`,
 * `provider_event_type`, `timestamp` (ISO 8601 UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`, when the event
 * happened), `payload` (the original `event_data`, same reference, never mutated) and
 * `normalized` (flat `template.*` / `meta.*` keys).
 */
export const CanonicalEventSchema = z.object({
  event_id: z.string().min(1),
  provider: z.string().min(1),
  provider_event_type: z.string().min(1),
  timestamp: z.iso.datetime({ precision: 3 }),
  payload: z.unknown(),
  normalized: z.record(z.string().regex(/^(?:template|meta)\.[a-z0-9_]+$/), NormalizedValueSchema),
});

/** A canonical event (the output of `normalizeEvent`). */
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>;
