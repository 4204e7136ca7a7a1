/**
 * `@app/canonical-events/testimonials`: the product's own testimonial form ("Testimonials": a
 * name, a rating, a text and an avatar, collected by the widget's form and stored as the event).
 *
 * The submission's shape is `NativeTestimonialSchema` (exported by the package root, so this
 * subpath stays free of zod for browser bundles). This normalizer does not validate: it reads
 * whatever it finds, snake_case or camelCase (`avatar_url` / `avatarUrl` / `avatar`), and leaves
 * out what is missing or unusable.
 *
 * - Kind `testimonial`: `name` (or `first_name` + `last_name`) reduced to `First L.`; `text`
 *   (else `message`, `testimonial`, `content`), `title`, `rating` on `rating_max` (default 5; a
 *   rating outside 0 < rating ≤ max is not shown), `avatar_url`, `media_url` (a video), and the
 *   product the testimonial is about when the form sends one.
 * - `email`, `company`, `role` and any other answer are never read: a company is not a name.
 * - The event type is `testimonial.submitted` unless the row says otherwise.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { PRODUCT_NAME_RULE, PRODUCT_URL_RULE, RATING_RULE, REVIEW_TITLE_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE } from '../template-field-rules.js';
import { TESTIMONIALS_ALIASES } from '../provider-aliases.js';
import { firstPresent, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

/** The first of the spellings that holds a non-empty string. */
function stringOf(body: JsonObject, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = getString(body, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first of the spellings that is present at all. */
function valueOf(body: JsonObject, ...keys: string[]): unknown {
  return firstPresent(...keys.map((key) => getOwn(body, key)));
}

/** Normalizer for the native testimonial form (see the module description). */
export const testimonialsNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'testimonials',
    aliases: TESTIMONIALS_ALIASES,
    version: 1,
    detectEventType: (payload) => (isJsonObject(payload) ? 'testimonial.submitted' : undefined),
    normalize(payload): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const ratingMax = parseDecimalAmount(valueOf(payload, 'rating_max', 'ratingMax')) ?? 5;
      const rating = parseDecimalAmount(valueOf(payload, 'rating', 'stars'));
      const shownRating = rating !== undefined && ratingMax > 0 && rating > 0 && rating <= ratingMax ? rating : undefined;
      return {
        template: {
          event_kind: 'testimonial',
          rating: shownRating,
          rating_max: shownRating === undefined ? undefined : ratingMax,
          review_title: stringOf(payload, 'title', 'headline'),
          review_text: stringOf(payload, 'text', 'message', 'testimonial', 'content'),
          avatar_url: stringOf(payload, 'avatar_url', 'avatarUrl', 'avatar'),
          media_url: stringOf(payload, 'media_url', 'mediaUrl', 'video_url', 'videoUrl'),
          product_name: stringOf(payload, 'product_name', 'productName'),
          product_url: stringOf(payload, 'product_url', 'productUrl'),
          ...personName({
            full: valueOf(payload, 'name', 'full_name', 'fullName'),
            first: valueOf(payload, 'first_name', 'firstName'),
            last: valueOf(payload, 'last_name', 'lastName'),
          }),
        },
        timestamp: valueOf(payload, 'submitted_at', 'submittedAt', 'created_at', 'createdAt'),
        sourceObjectId: idToString(getOwn(payload, 'id')),
      };
    },
  },
  [PRODUCT_NAME_RULE, PRODUCT_URL_RULE, RATING_RULE, REVIEW_TITLE_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE],
);
