import { z } from 'zod';

/**
 * The source of truth for a legacy `events` row: `{ id, integration_type, event_data,
 * event_type?, created_at? }`. `event_data` is the provider's raw JSON body and is not validated
 * here (any JSON is accepted and handled by the normalizers). Shopify and WooCommerce rows carry
 * no `event_type` (those providers send it in a header). Ids are strings, safe integers or
 * bigints, never rounded numbers. `created_at` is checked for its type only: a value that is
 * no time falls back as described in `normalizeEvent`.
 */
export const LegacyEventRowSchema = z.object({
  id: z.union([
    z.string().trim().min(1).max(256),
    z.number().refine(Number.isSafeInteger, { message: 'a numeric id must be a safe integer; pass larger ids as strings' }),
    z.bigint(),
  ]),
  integration_type: z.string().nullish(),
  event_data: z.unknown(),
  event_type: z.string().nullish(),
  // Any number and any Date, as any string: a value that is no time (NaN, Infinity, an Invalid
  // Date, which drivers give for PostgreSQL's 'infinity') leaves the event to the payload's own
  // time or options.receivedAt, like an unparseable string, rather than losing the row.
  created_at: z.union([z.string(), z.custom<number>((value) => typeof value === 'number'), z.custom<Date>((value) => value instanceof Date)]).nullish(),
});

/** A legacy event row (the input of `normalizeEvent`). */
export type LegacyEventRow = z.input<typeof LegacyEventRowSchema>;
