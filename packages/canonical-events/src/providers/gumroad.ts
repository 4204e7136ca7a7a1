/**
 * `@app/canonical-events/gumroad`: Gumroad sales and product reviews. Reads the ping / resource
 * subscription body (form-urlencoded, so values may be strings; `resource_name` names the type),
 * the API's sale object (`{ success, sale }`, bare, or a `sales[]` batch) and its
 * `{ product_reviews: [...] }` list (a batch). Gumroad documents `price` as "the price paid, in
 * USD cents" whatever the product's display currency (`currency` in a ping is the product's
 * listing currency, `currency_symbol` the buyer's), so prices are converted from USD cents.
 * `timestamp` ("about 1 month ago") and `daystamp` are display strings, never event times.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE, RATING_RULE, REVIEW_TEXT_RULE } from '../template-field-rules.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { minorToMajor, parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

/** The currency of every Gumroad `price` (see the module description). */
const PRICE_CURRENCY = 'USD';

// Resource subscriptions other than `sale` report what happened to an earlier sale.
const NOT_A_NEW_SALE = new Set(['refund', 'dispute', 'dispute_won', 'cancellation', 'subscription_updated', 'subscription_ended', 'subscription_restarted']);

type GumroadRecord = { kind: 'sale' | 'review'; record: JsonObject; batchSize: number | undefined };

/** A form-urlencoded `"true"` or a JSON `true`. */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function isReview(value: JsonObject): boolean {
  return getOwn(value, 'rater_name') !== undefined || (getOwn(value, 'rating') !== undefined && getOwn(value, 'message') !== undefined);
}

function firstOf(list: readonly unknown[], kind: GumroadRecord['kind']): GumroadRecord | undefined {
  const first = list[0];
  return isJsonObject(first) ? { kind, record: first, batchSize: list.length } : undefined;
}

/** Unwraps the API envelopes; a flat body is a ping or a bare sale/review. */
function recordOf(payload: unknown): GumroadRecord | undefined {
  if (Array.isArray(payload)) {
    const first = isJsonObject(payload[0]) ? payload[0] : undefined;
    return first === undefined ? undefined : { kind: isReview(first) ? 'review' : 'sale', record: first, batchSize: payload.length };
  }
  if (!isJsonObject(payload)) return undefined;
  const sale = getObject(payload, 'sale') ?? getObject(payload, 'purchase');
  if (sale !== undefined) return { kind: 'sale', record: sale, batchSize: undefined };
  if (Array.isArray(getOwn(payload, 'product_reviews'))) return firstOf(getArray(payload, 'product_reviews'), 'review');
  if (Array.isArray(getOwn(payload, 'sales'))) return firstOf(getArray(payload, 'sales'), 'sale');
  return { kind: isReview(payload) ? 'review' : 'sale', record: payload, batchSize: undefined };
}

function detectGumroadEventType(payload: unknown): string | undefined {
  const found = recordOf(payload);
  if (found === undefined) return undefined;
  if (found.kind === 'review') return 'product_review';
  const record = found.record;
  return getString(record, 'resource_name') ?? (getOwn(record, 'sale_id') !== undefined || getOwn(record, 'price') !== undefined ? 'sale' : undefined);
}

function saleKind(sale: JsonObject, eventType: string | undefined): EventKind {
  if ((eventType !== undefined && NOT_A_NEW_SALE.has(eventType)) || isTrue(getOwn(sale, 'refunded')) || isTrue(getOwn(sale, 'chargedback'))) return 'custom';
  const recurring =
    getString(sale, 'subscription_id') !== undefined || getString(sale, 'recurrence') !== undefined ||
    isTrue(getOwn(sale, 'is_recurring_billing')) || isTrue(getOwn(sale, 'is_recurring_charge'));
  return recurring ? 'subscription' : 'purchase';
}

function normalizeSale(sale: JsonObject, eventType: string | undefined): NormalizerOutput {
  const price = minorToMajor(getOwn(sale, 'price'), PRICE_CURRENCY);
  const permalink = getString(sale, 'product_permalink');
  return {
    template: {
      event_kind: saleKind(sale, eventType),
      city: getString(sale, 'city'),
      region: getString(sale, 'state'),
      // `country` is the shipping/billing country name; a ping may carry only the IP's country.
      country: getString(sale, 'country') ?? getString(sale, 'ip_country'),
      country_code: getString(sale, 'country_iso2'),
      product_name: getString(sale, 'product_name'),
      // The API's product_permalink is a short code ("KHc"); only the ping's is a URL.
      product_url: permalink !== undefined && /^https?:\/\//i.test(permalink) ? permalink : undefined,
      quantity: parseDecimalAmount(getOwn(sale, 'quantity')),
      price,
      currency: price === undefined ? undefined : PRICE_CURRENCY,
      ...personName({ full: getOwn(sale, 'full_name') }),
    },
    timestamp: firstPresent(getOwn(sale, 'sale_timestamp'), getOwn(sale, 'created_at')),
    sourceObjectId: idToString(firstPresent(getOwn(sale, 'sale_id'), getOwn(sale, 'id'))),
    livemode: isTrue(getOwn(sale, 'test')) ? false : undefined,
  };
}

function normalizeReview(review: JsonObject): NormalizerOutput {
  return {
    template: {
      event_kind: 'review',
      product_name: getString(review, 'product_name'),
      rating: parseDecimalAmount(getOwn(review, 'rating')),
      rating_max: 5,
      // `response.message` is the seller's reply, not the review.
      review_text: getString(review, 'message'),
      // Gumroad sends rater_name "Anonymous" when the buyer has no name; personName drops it.
      ...personName({ full: getOwn(review, 'rater_name') }),
    },
    timestamp: getOwn(review, 'created_at'),
    sourceObjectId: idToString(getOwn(review, 'id')),
  };
}

/** Normalizer for Gumroad sales and product reviews (see the module description). */
export const gumroadNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'gumroad',
    version: 1,
    detectEventType: detectGumroadEventType,
    normalize(payload, context) {
      const found = recordOf(payload);
      if (found === undefined) return { template: {}, batchSize: Array.isArray(payload) ? payload.length : undefined };
      const output = found.kind === 'review' ? normalizeReview(found.record) : normalizeSale(found.record, context.eventType);
      output.batchSize = found.batchSize;
      return output;
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE, RATING_RULE, REVIEW_TEXT_RULE],
);
