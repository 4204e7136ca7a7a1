import { z } from 'zod';

/**
 * The source of truth for a legacy `events` row: `{ id, integration_type, event_data,
 * event_type?, created_at? }`. `event_data` is the provider's raw JSON body and is not validated
 * here (any JSON is accepted and handled by the normalizers). Shopify and WooCommerce rows carry
 * no `event_type` (those providers send it in a header). Ids are strings, safe integers or
 * bigints, never rounded numbers.
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
  created_at: z.union([z.string(), z.number(), z.date()]).nullish(),
});

/** A legacy event row (the input of `normalizeEvent`). */
export type LegacyEventRow = z.input<typeof LegacyEventRowSchema>;
