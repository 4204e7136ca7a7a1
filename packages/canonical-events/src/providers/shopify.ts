/**
 * `@app/canonical-events/shopify`: Shopify webhooks (orders/create, orders/paid,
 * checkouts/create, customers/create) and the REST envelopes `{order}`, `{customer}`,
 * `{checkouts: [...]}`. Shopify sends the topic only in the `X-Shopify-Topic` header, so the
 * row's `event_type` wins; without it the topic is inferred from the payload's shape.
 *
 * Ids: Shopify ids exceed 2^53 and `JSON.parse` has already rounded the numeric `id`, so the
 * object id is read from `admin_graphql_api_id` (`gid://shopify/Order/820982911946154508`) first.
 *
 * Topics that are not a new sale, lead or sign-up (`orders/cancelled`, `refunds/create`,
 * `orders/delete`, `customers/delete`, the `update` topics…) are `custom`, so no popup says "just bought".
 * The kind comes from the topic, not the order's `financial_status`: Shopify's own sample
 * webhooks for orders/create are voided and cancelled, and a payment status changes after the
 * sale the popup reports.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { SHOPIFY_ALIASES } from '../provider-aliases.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, isSingleKeyObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

type ShopifyResource = 'order' | 'checkout' | 'customer';

const RESOURCES: readonly ShopifyResource[] = ['order', 'checkout', 'customer'];

/**
 * The resource a REST envelope names (`{order}`, `{checkouts: [...]}`), with the object it wraps
 * (`undefined` for a list without an object first) and, for a list, its length.
 */
function envelopeOf(payload: unknown): { resource: ShopifyResource; object: JsonObject | undefined; batchSize: number | undefined } | undefined {
  if (!isSingleKeyObject(payload)) return undefined;
  for (const resource of RESOURCES) {
    const inner = getOwn(payload, resource);
    if (isJsonObject(inner)) return { resource, object: inner, batchSize: undefined };
    const list = getOwn(payload, `${resource}s`);
    if (Array.isArray(list)) return { resource, object: isJsonObject(list[0]) ? list[0] : undefined, batchSize: list.length };
  }
  return undefined;
}

/** The resource inside a payload, unwrapping REST envelopes; `batchSize` for list envelopes. */
function unwrap(payload: unknown): { object: JsonObject; batchSize: number | undefined } | undefined {
  if (!isJsonObject(payload)) return undefined;
  const envelope = envelopeOf(payload);
  return envelope?.object === undefined ? { object: payload, batchSize: undefined } : { object: envelope.object, batchSize: envelope.batchSize };
}

function resourceFromTopic(topic: string | undefined): ShopifyResource | undefined {
  return topic === undefined ? undefined : (/^(order|checkout|customer)s?[/.]/i.exec(topic)?.[1]?.toLowerCase() as ShopifyResource | undefined);
}

// The topics a popup reports; any other topic of a known resource is `custom`.
const POPUP_TOPICS: ReadonlySet<string> = new Set(['orders/create', 'orders/paid', 'checkouts/create', 'customers/create']);

/** `orders.create`, `ORDERS/CREATE`, `order/create` and `order.created` all name the same topic. */
function canonicalTopic(topic: string): string {
  return topic.trim().toLowerCase().replace('.', '/').replace(/^(order|checkout|customer)\//, '$1s/').replace(/\/created$/, '/create');
}

function resourceFromShape(payload: unknown): ShopifyResource | undefined {
  if (!isJsonObject(payload)) return undefined;
  const envelope = envelopeOf(payload);
  if (envelope !== undefined) return envelope.resource;
  const gid = getString(payload, 'admin_graphql_api_id') ?? '';
  if (gid.includes('/Order/')) return 'order';
  if (gid.includes('/Customer/')) return 'customer';
  if (getOwn(payload, 'abandoned_checkout_url') !== undefined || gid.includes('/Checkout/')) return 'checkout';
  if (Array.isArray(getOwn(payload, 'line_items'))) return 'order';
  if (getOwn(payload, 'first_name') !== undefined || getOwn(payload, 'orders_count') !== undefined) return 'customer';
  return undefined;
}

function detectShopifyTopic(payload: unknown): string | undefined {
  const resource = resourceFromShape(payload);
  return resource === undefined ? undefined : `${resource}s/create`;
}

/** The exact object id: the gid's tail, else a string or safe-integer `id`, else the checkout token. */
function shopifyObjectId(object: JsonObject): string | undefined {
  const gid = getString(object, 'admin_graphql_api_id');
  const tail = gid === undefined ? undefined : /\/(\d+)(?:\?.*)?$/.exec(gid)?.[1];
  return tail ?? idToString(getOwn(object, 'id')) ?? getString(object, 'token');
}

function addressOf(...candidates: unknown[]): JsonObject | undefined {
  for (const candidate of candidates) {
    if (isJsonObject(candidate) && (getString(candidate, 'city') !== undefined || getString(candidate, 'country_code') !== undefined)) return candidate;
  }
  return undefined;
}

function placeOf(address: JsonObject | undefined) {
  return {
    city: getString(address, 'city'),
    region: getString(address, 'province'),
    country: getString(address, 'country_name') ?? getString(address, 'country'),
    country_code: getString(address, 'country_code'),
  };
}

function nameOf(...people: unknown[]) {
  for (const person of people) {
    const name = personName({ first: getOwn(person, 'first_name'), last: getOwn(person, 'last_name'), full: getOwn(person, 'name') });
    if (name !== undefined) return name;
  }
  return undefined;
}

function livemodeOf(object: JsonObject): boolean | undefined {
  const test = getOwn(object, 'test');
  return typeof test === 'boolean' ? !test : undefined;
}

function normalizeShopifyOrderOrCheckout(object: JsonObject, resource: 'order' | 'checkout'): NormalizerOutput {
  const customer = getObject(object, 'customer');
  const items = getArray(object, 'line_items').filter(isJsonObject);
  const featured = items[0];
  return {
    template: {
      event_kind: resource === 'order' ? 'purchase' : 'lead',
      product_name: getString(featured, 'title') ?? getString(featured, 'name'),
      item_count: items.length > 0 ? items.length : undefined,
      quantity: getOwn(featured, 'quantity') as number | undefined,
      price: parseDecimalAmount(firstPresent(getOwn(object, 'total_price'), getOwn(object, 'current_total_price'), getOwn(featured, 'price'))),
      currency: getString(object, 'currency') ?? getString(object, 'presentment_currency'),
      ...nameOf(customer, getOwn(object, 'billing_address'), getOwn(object, 'shipping_address')),
      ...placeOf(addressOf(getOwn(object, 'billing_address'), getOwn(object, 'shipping_address'), getOwn(customer, 'default_address'))),
    },
    timestamp: firstPresent(getOwn(object, 'created_at'), getOwn(object, 'processed_at'), getOwn(object, 'updated_at')),
    sourceObjectId: shopifyObjectId(object),
    livemode: livemodeOf(object),
  };
}

function normalizeShopifyCustomer(object: JsonObject): NormalizerOutput {
  return {
    template: {
      event_kind: 'signup',
      ...nameOf(object, getOwn(object, 'default_address')),
      ...placeOf(addressOf(getOwn(object, 'default_address'), getArray(object, 'addresses')[0])),
    },
    timestamp: firstPresent(getOwn(object, 'created_at'), getOwn(object, 'updated_at')),
    sourceObjectId: shopifyObjectId(object),
  };
}

/** Normalizer for Shopify webhooks (see the module description). */
export const shopifyNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'shopify',
    aliases: SHOPIFY_ALIASES,
    version: 1,
    detectEventType: detectShopifyTopic,
    normalize(payload, context) {
      const unwrapped = unwrap(payload);
      if (unwrapped === undefined) return { template: {} };
      const resource = resourceFromTopic(context.eventType) ?? resourceFromShape(payload) ?? 'order';
      const output = resource === 'customer' ? normalizeShopifyCustomer(unwrapped.object) : normalizeShopifyOrderOrCheckout(unwrapped.object, resource);
      if (context.eventType !== undefined && !POPUP_TOPICS.has(canonicalTopic(context.eventType))) output.template.event_kind = 'custom';
      output.batchSize = unwrapped.batchSize;
      return output;
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
