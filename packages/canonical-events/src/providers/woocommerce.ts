/**
 * `@app/canonical-events/woocommerce`: WooCommerce webhooks, whose bodies are the REST API
 * resources: orders, customers, products and product reviews (a list of reviews is read as a
 * batch). The topic (`order.created`) arrives only in the `X-WC-Webhook-Topic` header, so the
 * row's `event_type` wins and the shape decides otherwise. Times come from the `*_gmt` fields,
 * since `date_created` is the shop's local time without a zone.
 *
 * An order is a purchase only while its `status` says it was paid or is being fulfilled
 * (`processing`, `completed`, `on-hold` for bank transfers); `pending`, `failed`, `cancelled`,
 * `refunded`, `trash` and drafts are `custom`, as are `*.deleted` topics.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE, RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE } from '../template-field-rules.js';
import { WOOCOMMERCE_ALIASES } from '../provider-aliases.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

type WooResource = 'order' | 'customer' | 'product' | 'product_review';

function resourceFromTopic(topic: string | undefined): WooResource | undefined {
  const resource = topic === undefined ? undefined : /^(order|customer|product_review|product)\b/i.exec(topic)?.[1]?.toLowerCase();
  return resource as WooResource | undefined;
}

function resourceFromShape(object: JsonObject | undefined): WooResource | undefined {
  if (object === undefined) return undefined;
  if (getOwn(object, 'reviewer') !== undefined || getOwn(object, 'review') !== undefined) return 'product_review';
  if (Array.isArray(getOwn(object, 'line_items')) || getOwn(object, 'order_key') !== undefined) return 'order';
  if (getOwn(object, 'permalink') !== undefined || getOwn(object, 'regular_price') !== undefined) return 'product';
  if (getOwn(object, 'role') !== undefined || getOwn(object, 'username') !== undefined || getOwn(object, 'is_paying_customer') !== undefined) return 'customer';
  return undefined;
}

function firstObject(payload: unknown): { object: JsonObject | undefined; batchSize: number | undefined } {
  if (Array.isArray(payload)) return { object: isJsonObject(payload[0]) ? payload[0] : undefined, batchSize: payload.length };
  return { object: isJsonObject(payload) ? payload : undefined, batchSize: undefined };
}

function detectWooTopic(payload: unknown): string | undefined {
  const resource = resourceFromShape(firstObject(payload).object);
  return resource === undefined ? undefined : `${resource}.created`;
}

/** Woo writes `*_gmt` without a zone; they are UTC. The local field is the last resort. */
function createdAt(object: JsonObject): unknown {
  return firstPresent(getOwn(object, 'date_created_gmt'), getOwn(object, 'date_created'));
}

/** Place from a Woo address, whose `country` is an ISO code and `state` a region code. */
function placeOf(...addresses: unknown[]) {
  const address = addresses.find((candidate) => getString(candidate, 'city') !== undefined || getString(candidate, 'country') !== undefined);
  return { city: getString(address, 'city'), region: getString(address, 'state'), country_code: getString(address, 'country') };
}

function nameOf(...people: unknown[]) {
  for (const person of people) {
    const name = personName({ first: getOwn(person, 'first_name'), last: getOwn(person, 'last_name') });
    if (name !== undefined) return name;
  }
  return undefined;
}

function imageOf(value: unknown): string | undefined {
  return getString(value, 'src') ?? (typeof value === 'string' ? value : undefined);
}

// Statuses of an order that was paid or is being fulfilled; a missing status is read as paid.
const SOLD_ORDER_STATUSES: ReadonlySet<string> = new Set(['processing', 'completed', 'on-hold']);

function isSoldOrder(order: JsonObject): boolean {
  const status = getString(order, 'status');
  return status === undefined || SOLD_ORDER_STATUSES.has(status.trim().toLowerCase());
}

function normalizeWooOrder(order: JsonObject): NormalizerOutput {
  const items = getArray(order, 'line_items').filter(isJsonObject);
  const featured = items[0];
  return {
    template: {
      event_kind: isSoldOrder(order) ? 'purchase' : 'custom',
      product_name: getString(featured, 'name'),
      product_image: imageOf(getOwn(featured, 'image')),
      item_count: items.length > 0 ? items.length : undefined,
      quantity: getOwn(featured, 'quantity') as number | undefined,
      price: parseDecimalAmount(getOwn(order, 'total')),
      currency: getString(order, 'currency'),
      ...nameOf(getOwn(order, 'billing'), getOwn(order, 'shipping')),
      ...placeOf(getOwn(order, 'billing'), getOwn(order, 'shipping')),
    },
    timestamp: createdAt(order),
    sourceObjectId: idToString(getOwn(order, 'id')),
  };
}

function normalizeWooCustomer(customer: JsonObject): NormalizerOutput {
  return {
    template: {
      event_kind: 'signup',
      avatar_url: getString(customer, 'avatar_url'),
      ...nameOf(customer, getOwn(customer, 'billing'), getOwn(customer, 'shipping')),
      ...placeOf(getOwn(customer, 'billing'), getOwn(customer, 'shipping')),
    },
    timestamp: createdAt(customer),
    sourceObjectId: idToString(getOwn(customer, 'id')),
  };
}

function normalizeWooProduct(product: JsonObject): NormalizerOutput {
  return {
    template: {
      event_kind: 'custom',
      product_name: getString(product, 'name'),
      product_url: getString(product, 'permalink'),
      product_image: imageOf(getArray(product, 'images')[0]),
      // Product webhooks carry no currency (only the shop's symbol inside price_html).
      price: parseDecimalAmount(getOwn(product, 'price')),
    },
    timestamp: createdAt(product),
    sourceObjectId: idToString(getOwn(product, 'id')),
  };
}

function normalizeWooReview(review: JsonObject): NormalizerOutput {
  const avatars = getObject(review, 'reviewer_avatar_urls');
  return {
    template: {
      event_kind: 'review',
      product_name: getString(review, 'product_name'),
      product_url: getString(review, 'product_permalink'),
      rating: parseDecimalAmount(getOwn(review, 'rating')),
      rating_max: 5,
      review_text: getString(review, 'review'),
      avatar_url: getString(avatars, '96') ?? getString(avatars, '48') ?? getString(avatars, '24'),
      ...personName({ full: getOwn(review, 'reviewer') }),
    },
    timestamp: createdAt(review),
    sourceObjectId: idToString(getOwn(review, 'id')),
  };
}

/** Normalizer for WooCommerce webhooks (see the module description). */
export const woocommerceNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'woocommerce',
    aliases: WOOCOMMERCE_ALIASES,
    version: 1,
    detectEventType: detectWooTopic,
    normalize(payload, context) {
      const { object, batchSize } = firstObject(payload);
      if (object === undefined) return { template: {}, batchSize };
      const resource = resourceFromTopic(context.eventType) ?? resourceFromShape(object) ?? 'order';
      const output =
        resource === 'customer' ? normalizeWooCustomer(object)
        : resource === 'product' ? normalizeWooProduct(object)
        : resource === 'product_review' ? normalizeWooReview(object)
        : normalizeWooOrder(object);
      if (context.eventType !== undefined && /\.(?:deleted|trashed)$/i.test(context.eventType.trim())) output.template.event_kind = 'custom';
      output.batchSize = batchSize;
      return output;
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_URL_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE, RATING_RULE, REVIEW_TEXT_RULE, AVATAR_URL_RULE],
);
