import { z } from 'zod';
import { EVENT_KINDS } from './field-vocabulary.js';

/**
 * The source of truth for the values a normalizer may return for `template.*` (short keys, all
 * optional; `null`/`undefined` mean "not available").
 */
export const TemplateValuesSchema = z
  .object({
    event_kind: z.enum(EVENT_KINDS),
    customer_name: z.string(),
    first_name: z.string(),
    last_initial: z.string(),
    city: z.string(),
    region: z.string(),
    country: z.string(),
    country_code: z.string(),
    product_name: z.string(),
    product_url: z.string(),
    product_image: z.string(),
    item_count: z.number(),
    quantity: z.number(),
    price: z.number(),
    currency: z.string(),
    rating: z.number(),
    rating_max: z.number(),
    review_title: z.string(),
    review_text: z.string(),
    avatar_url: z.string(),
    media_url: z.string(),
  })
  .partial()
  .strict();

/** What a normalizer returns as `template` (see {@link TemplateValuesSchema}); extra `null`s allowed. */
export type TemplateValues = { [K in keyof z.infer<typeof TemplateValuesSchema>]?: z.infer<typeof TemplateValuesSchema>[K] | null };
