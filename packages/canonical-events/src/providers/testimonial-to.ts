/**
 * `@app/canonical-events/testimonial-to`: testimonial.to webhooks.
 *
 * The body is `{ type: 'create', data: { type: 'video' | 'text', id, createdAt, testimonial,
 * space } }`. `type` is the event type (`create`); anything but `create` is kind `custom`.
 *
 * - Kind `testimonial`: `sent_by.name` reduced to `First L.`; the text (`text`, else `message`)
 *   and rating (`rating`, else `stars`, out of 5) of a text testimonial; for a video testimonial
 *   `video_url` as `media_url` and its still `img_thumbnail` (the author's face) as `avatar_url`
 *   when the author has no photo of their own. A video testimonial has no text or rating; those
 *   fields are then listed in `meta.missing`.
 * - `sent_by.email` is never read. testimonial.to's documentation masks ids with `*****`; such an
 *   id identifies nothing, so `meta.source_object_id` stays empty rather than hold a fake key.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE } from '../template-field-rules.js';
import { TESTIMONIAL_TO_ALIASES } from '../provider-aliases.js';
import { firstPresent, getObject, getOwn, getString, idToString, isJsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

/** An id with a masked part (`b1f8…-*********`) is documentation, not an identifier. */
const usableId = (value: unknown) => {
  const id = idToString(value);
  return id === undefined || id.includes('*') ? undefined : id;
};

/** Normalizer for testimonial.to webhooks (see the module description). */
export const testimonialToNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'testimonial_to',
    aliases: TESTIMONIAL_TO_ALIASES,
    version: 1,
    detectEventType: (payload) => (isJsonObject(payload) && getObject(payload, 'data') !== undefined ? getString(payload, 'type') : undefined),
    normalize(payload, context): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const data = getObject(payload, 'data') ?? payload;
      const testimonial = getObject(data, 'testimonial') ?? data;
      const author = getObject(testimonial, 'sent_by');
      const rating = parseDecimalAmount(firstPresent(getOwn(testimonial, 'rating'), getOwn(testimonial, 'stars')));
      const eventType = context.eventType;
      return {
        template: {
          event_kind: eventType === undefined || eventType === 'create' ? 'testimonial' : 'custom',
          rating: rating !== undefined && rating >= 1 && rating <= 5 ? rating : undefined,
          rating_max: rating === undefined ? undefined : 5,
          review_text: getString(testimonial, 'text') ?? getString(testimonial, 'message'),
          avatar_url: getString(author, 'avatar') ?? getString(author, 'image') ?? getString(testimonial, 'img_thumbnail'),
          media_url: getString(testimonial, 'video_url'),
          ...personName({ full: getOwn(author, 'name') }),
        },
        timestamp: firstPresent(getOwn(data, 'createdAt'), getOwn(data, 'created_at')),
        sourceObjectId: usableId(getOwn(data, 'id')),
      };
    },
  },
  [RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE],
);
