/**
 * `@app/canonical-events/trust`: Trust (usetrust.io) testimonial webhooks.
 *
 * The body is the testimonial itself (`{ id, created, firstname, lastname, testimonialText,
 * stars, imageUrl, videoUrl, gaveConsent, … }`); it carries no event name, so the event type is
 * `testimonial` unless the row says otherwise.
 *
 * - Kind `testimonial`: `First L.` from `firstname`/`lastname`, `testimonialText`, `stars` out of
 *   5, `imageUrl` as the avatar, `videoUrl` as the media.
 * - `title` and `subtitle` are the card's display lines, in practice a full name and a job title
 *   with the company: never read, since either would put a full name or an employer in a popup.
 *   `email`, `company`, the contract fields and social profiles are never read either.
 * - `gaveConsent: false` makes the event `custom`: a testimonial its author did not agree to
 *   publish must not be picked up by a widget that shows testimonials.
 * - `created` has seven fractional digits (.NET); the core keeps milliseconds.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE } from '../template-field-rules.js';
import { TRUST_ALIASES } from '../provider-aliases.js';
import { firstPresent, getOwn, getString, idToString, isJsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

const isTrustTestimonial = (payload: unknown) =>
  isJsonObject(payload) && (getOwn(payload, 'testimonialText') !== undefined || getOwn(payload, 'stars') !== undefined || getOwn(payload, 'brandId') !== undefined);

/** Normalizer for Trust testimonials (see the module description). */
export const trustNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'trust',
    aliases: TRUST_ALIASES,
    version: 1,
    detectEventType: (payload) => (isTrustTestimonial(payload) ? 'testimonial' : undefined),
    normalize(payload): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const stars = parseDecimalAmount(getOwn(payload, 'stars'));
      // Trust collects 1..5 stars; anything else is not shown, and a scale without a rating says nothing.
      const rating = stars !== undefined && stars >= 1 && stars <= 5 ? stars : undefined;
      const video = getString(payload, 'videoUrl');
      return {
        template: {
          event_kind: getOwn(payload, 'gaveConsent') === false ? 'custom' : 'testimonial',
          rating,
          rating_max: rating === undefined ? undefined : 5,
          review_text: getString(payload, 'testimonialText'),
          avatar_url: getString(payload, 'imageUrl'),
          media_url: video,
          ...personName({ first: getOwn(payload, 'firstname'), last: getOwn(payload, 'lastname') }),
        },
        timestamp: firstPresent(getOwn(payload, 'created'), getOwn(payload, 'createdAt')),
        sourceObjectId: idToString(getOwn(payload, 'id')),
      };
    },
  },
  [RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE, MEDIA_URL_RULE],
);
