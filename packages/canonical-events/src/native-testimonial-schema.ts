import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z.url({ protocol: /^https?$/ });
// Forms post everything as strings: "4" is a rating, "four" is not.
const numeric = z.union([z.number(), z.string().trim().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number)]);

/**
 * The source of truth for a submission of the product's own testimonial form (provider
 * `testimonials`), in its canonical snake_case form. Validate submissions with it before storing
 * them; the `testimonials` normalizer itself reads any body defensively (camelCase spellings
 * included) and never throws.
 *
 * A submission needs something to show: a text, a rating or a video. `rating` lies in
 * `0 < rating ≤ rating_max` (default scale 5). `email`, `company` and `role` may be collected but
 * never reach a popup.
 */
export const NativeTestimonialSchema = z
  .object({
    id: z.union([text(256), z.number().int().nonnegative()]).optional(),
    name: text(200).optional(),
    first_name: text(100).optional(),
    last_name: text(100).optional(),
    email: z.email().optional(),
    company: text(200).optional(),
    role: text(200).optional(),
    rating: numeric.pipe(z.number().positive()).optional(),
    rating_max: numeric.pipe(z.number().int().min(1).max(100)).optional(),
    title: text(200).optional(),
    text: text(5_000).optional(),
    avatar_url: httpUrl.optional(),
    media_url: httpUrl.optional(),
    product_name: text(300).optional(),
    product_url: httpUrl.optional(),
    submitted_at: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.rating !== undefined && value.rating > (value.rating_max ?? 5)) {
      ctx.addIssue({ code: 'custom', path: ['rating'], message: `must be at most rating_max (${value.rating_max ?? 5})` });
    }
    if (value.text === undefined && value.rating === undefined && value.media_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'a testimonial needs a text, a rating or a media_url' });
    }
  });

/** A validated native testimonial submission (output of {@link NativeTestimonialSchema}). */
export type NativeTestimonial = z.output<typeof NativeTestimonialSchema>;
