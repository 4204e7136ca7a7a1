/**
 * `@app/canonical-events/segment`: Segment-shaped events, as a full track call
 * (`{ type: 'track', event: 'Order Completed', properties, context, timestamp, messageId }`), a
 * batch (`{ batch: [...] }`, described from its first call) or the bare `properties` object of
 * an "Order Completed" event (what a Segment destination function or a copied spec example
 * holds; with neither `event` nor `type`, a body with `products[]`, `order_id`, `total` or
 * `revenue` is read as "Order Completed", and the row's `event_type` wins when it says otherwise).
 *
 * Event names follow Segment's specs: "Order Completed" (v1: "Completed Order") → `purchase`,
 * "Checkout Started" → `lead`, "Signed Up" / "Account Created" → `signup`, anything else →
 * `custom`. Amounts are MAJOR units (numbers, or decimal strings as some sources send):
 * `price` is `total` (what the customer paid: revenue with shipping and tax, minus discounts),
 * else `revenue` (excluding shipping and tax), else `value`. The featured product is
 * `products[0]`. The person comes from `context.traits` (or an identify call's `traits`) and the
 * place from their `address`, else from `context.location`; `context.ip`, emails and phone
 * numbers are never read. The time is the call's `timestamp` (Segment's corrected event time);
 * the bare properties object has none, so the core falls back to the row's `created_at`.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { SEGMENT_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

const ORDER_COMPLETED = 'Order Completed';

// Compared lower-cased, since sources spell Segment's spec names loosely ("order completed").
const KIND_BY_EVENT: ReadonlyMap<string, EventKind> = new Map<string, EventKind>([
  ['order completed', 'purchase'],
  ['completed order', 'purchase'],
  ['checkout started', 'lead'],
  ['started checkout', 'lead'],
  ['signed up', 'signup'],
  ['account created', 'signup'],
]);

/** A Segment call (`track`, `identify`, `page`…) as opposed to a bare properties object. */
function isCall(value: JsonObject): boolean {
  return typeof getOwn(value, 'type') === 'string' && (getOwn(value, 'event') !== undefined || isJsonObject(getOwn(value, 'properties')) || isJsonObject(getOwn(value, 'traits')));
}

function looksLikeOrderProperties(value: JsonObject): boolean {
  return Array.isArray(getOwn(value, 'products')) || getOwn(value, 'order_id') !== undefined || getOwn(value, 'orderId') !== undefined || getOwn(value, 'total') !== undefined || getOwn(value, 'revenue') !== undefined;
}

/** The call (or bare properties object) to describe, and the batch size when the body is a batch. */
function unwrap(payload: unknown): { message: JsonObject | undefined; batchSize: number | undefined } {
  const batch = getOwn(payload, 'batch');
  if (Array.isArray(batch)) return { message: isJsonObject(batch[0]) ? batch[0] : undefined, batchSize: batch.length };
  return { message: isJsonObject(payload) ? payload : undefined, batchSize: undefined };
}

function detectSegmentEvent(payload: unknown): string | undefined {
  const { message } = unwrap(payload);
  if (message === undefined) return undefined;
  if (isCall(message)) return getString(message, 'event') ?? getString(message, 'type');
  return looksLikeOrderProperties(message) ? ORDER_COMPLETED : undefined;
}

function kindOf(eventName: string | undefined): EventKind {
  return (eventName === undefined ? undefined : KIND_BY_EVENT.get(eventName.trim().toLowerCase())) ?? 'custom';
}

/** Place from Segment's `address` trait, else from `context.location` (a country there is a name). */
function placeOf(traits: JsonObject | undefined, location: JsonObject | undefined) {
  const address = getObject(traits, 'address');
  if (getString(address, 'city') !== undefined || getString(address, 'country') !== undefined) {
    const country = getString(address, 'country');
    return {
      city: getString(address, 'city'),
      region: getString(address, 'state'),
      ...(country !== undefined && /^[A-Za-z]{2}$/.test(country) ? { country_code: country } : { country }),
    };
  }
  return { city: getString(location, 'city'), region: getString(location, 'region'), country: getString(location, 'country') };
}

/** Normalizer for Segment-shaped events (see the module description). */
export const segmentNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'segment',
    aliases: SEGMENT_ALIASES,
    version: 1,
    detectEventType: detectSegmentEvent,
    normalize(payload, context): NormalizerOutput {
      const { message, batchSize } = unwrap(payload);
      if (message === undefined) return { template: {}, batchSize };
      const call = isCall(message) ? message : undefined;
      const properties = call === undefined ? message : getObject(call, 'properties');
      const traits = getObject(call, 'context', 'traits') ?? getObject(call, 'traits');
      const products = getArray(properties, 'products').filter(isJsonObject);
      // A single-product event ("Product Added") carries the product's fields at the top level.
      const featured = products[0] ?? (getOwn(properties, 'product_id') !== undefined ? properties : undefined);
      return {
        template: {
          event_kind: kindOf(context.eventType),
          product_name: getString(featured, 'name'),
          product_url: getString(featured, 'url'),
          product_image: getString(featured, 'image_url') ?? getString(featured, 'imageUrl'),
          item_count: products.length > 0 ? products.length : undefined,
          quantity: parseDecimalAmount(getOwn(featured, 'quantity')),
          price: parseDecimalAmount(firstPresent(getOwn(properties, 'total'), getOwn(properties, 'revenue'), getOwn(properties, 'value'))),
          currency: getString(properties, 'currency'),
          // "Signed Up" puts the person's names in its properties; a trait is the better source.
          ...personName({
            first: firstPresent(getOwn(traits, 'first_name'), getOwn(traits, 'firstName'), getOwn(properties, 'first_name')),
            last: firstPresent(getOwn(traits, 'last_name'), getOwn(traits, 'lastName'), getOwn(properties, 'last_name')),
            full: getOwn(traits, 'name'),
          }),
          ...placeOf(traits, getObject(call, 'context', 'location')),
        },
        timestamp: firstPresent(getOwn(call, 'timestamp'), getOwn(call, 'originalTimestamp'), getOwn(call, 'receivedAt')),
        sourceObjectId: idToString(firstPresent(getOwn(properties, 'order_id'), getOwn(properties, 'orderId'), getOwn(call, 'messageId'))),
        // Segment's id of the call, which its retries keep.
        eventId: idToString(getOwn(call, 'messageId')),
        batchSize,
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
