/**
 * `@app/canonical-events/trustpilot`: Trustpilot review webhooks.
 *
 * Trustpilot posts `{ events: [{ eventName, version, eventData }] }`; a list is a batch, so the
 * first event is described and `meta.batch_size` says how many came. A single
 * `{ eventName, eventData }` or a bare review (`{ id, stars, consumer, … }`) is read the same way.
 *
 * - `service-review-created` / `service-review-updated` (and the product-review twins) are a
 *   `review` with `stars` out of 5, `title` and `text`. A service review rates the business, so it
 *   has no `product_name`; a product review names its product when the body carries one.
 * - `*-deleted` and anything else is `custom`: a deleted review must never be shown as praise.
 * - The consumer's name (`consumer.name` in webhooks, `consumer.displayName` in the API's review
 *   objects) is reduced to `First L.`; Trustpilot's stand-in "Customer" counts as missing.
 *   Trustpilot sends no email ("for privacy reasons"); `referenceId` is the merchant's own order
 *   reference and is never shown.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, RATING_RULE, REVIEW_TITLE_RULE, REVIEW_TEXT_RULE } from '../template-field-rules.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

type TrustpilotEvent = { name: string | undefined; review: JsonObject | undefined; batchSize: number | undefined };

/** Unwraps `events[]`, a single event, or a bare review. */
function eventOf(payload: unknown): TrustpilotEvent | undefined {
  if (!isJsonObject(payload)) return undefined;
  const events = getArray(payload, 'events');
  if (events.length > 0) {
    const first = events[0];
    return { name: getString(first, 'eventName'), review: getObject(first, 'eventData'), batchSize: events.length };
  }
  const data = getObject(payload, 'eventData');
  if (data !== undefined) return { name: getString(payload, 'eventName'), review: data, batchSize: undefined };
  return getOwn(payload, 'stars') !== undefined || getOwn(payload, 'consumer') !== undefined ? { name: undefined, review: payload, batchSize: undefined } : undefined;
}

function kindOf(eventName: string | undefined): EventKind {
  if (eventName === undefined) return 'review';
  return /-review-(created|updated)$/.test(eventName) ? 'review' : 'custom';
}

/** Normalizer for Trustpilot review webhooks (see the module description). */
export const trustpilotNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'trustpilot',
    version: 1,
    detectEventType: (payload) => eventOf(payload)?.name,
    normalize(payload, context): NormalizerOutput {
      const event = eventOf(payload);
      const review = event?.review;
      if (review === undefined) return { template: {}, batchSize: event?.batchSize };
      const stars = parseDecimalAmount(getOwn(review, 'stars'));
      // Trustpilot stars are 1..5; anything else is not shown, and a scale without a rating says nothing.
      const rating = stars !== undefined && stars >= 1 && stars <= 5 ? stars : undefined;
      const product = getObject(review, 'product');
      const consumer = getObject(review, 'consumer');
      return {
        template: {
          event_kind: kindOf(context.eventType ?? event?.name),
          product_name: getString(product, 'title') ?? getString(product, 'name'),
          product_url: getString(product, 'productUrl'),
          product_image: getString(product, 'imageUrl'),
          rating,
          rating_max: rating === undefined ? undefined : 5,
          review_title: getString(review, 'title'),
          review_text: getString(review, 'text') ?? getString(review, 'content'),
          ...personName({ full: firstPresent(getOwn(consumer, 'name'), getOwn(consumer, 'displayName')) }),
        },
        timestamp: firstPresent(getOwn(review, 'createdAt'), getOwn(review, 'updatedAt')),
        sourceObjectId: idToString(getOwn(review, 'id')),
        batchSize: event?.batchSize,
      };
    },
  },
  [PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, RATING_RULE, REVIEW_TITLE_RULE, REVIEW_TEXT_RULE],
);
