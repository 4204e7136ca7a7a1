/**
 * `@app/canonical-events/lemonsqueezy`: Lemon Squeezy webhooks, JSON:API documents
 * (`{ meta: { event_name, test_mode? }, data: { type, id, attributes } }`) for order_created,
 * subscription_created and subscription_payment_success. Amounts are integers in minor units
 * (`total` 1199 → 11.99 USD). Orders carry no address, so place is never filled.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { PRODUCT_NAME_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { LEMONSQUEEZY_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import type { TemplateValues } from '../template-values-schema.js';
import { firstPresent, getObject, getOwn, getPath, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { minorToMajor } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

// A document without `meta` (e.g. read back from the API) is named by its resource type.
const EVENT_BY_RESOURCE: Readonly<Record<string, string>> = {
  orders: 'order_created',
  subscriptions: 'subscription_created',
  'subscription-invoices': 'subscription_payment_success',
};

const SUBSCRIPTION_EVENTS = new Set(['subscription_created', 'subscription_payment_success']);
// Statuses of an order or invoice whose money was not (or no longer) collected.
const UNPAID_STATUSES = new Set(['pending', 'failed', 'refunded', 'void', 'fraudulent']);

function detectLemonSqueezyEventType(payload: unknown): string | undefined {
  const resource = getString(payload, 'data', 'type');
  return getString(payload, 'meta', 'event_name') ?? (resource === undefined || !Object.hasOwn(EVENT_BY_RESOURCE, resource) ? undefined : EVENT_BY_RESOURCE[resource]);
}

function kindOf(eventType: string | undefined, attributes: JsonObject | undefined): EventKind {
  const status = getString(attributes, 'status');
  if (eventType === 'order_created') return status !== undefined && UNPAID_STATUSES.has(status) ? 'custom' : 'purchase';
  if (eventType === 'subscription_payment_success') return status !== undefined && UNPAID_STATUSES.has(status) ? 'custom' : 'subscription';
  return eventType !== undefined && SUBSCRIPTION_EVENTS.has(eventType) ? 'subscription' : 'custom';
}

function templateOf(attributes: JsonObject | undefined, kind: EventKind): TemplateValues {
  const currency = getOwn(attributes, 'currency');
  const orderItem = getObject(attributes, 'first_order_item');
  return {
    event_kind: kind,
    // Orders name the product on their first item; subscriptions on themselves. Invoices name none.
    product_name: getString(orderItem, 'product_name') ?? getString(attributes, 'product_name'),
    quantity: (getOwn(orderItem, 'quantity') ?? getPath(attributes, 'first_subscription_item', 'quantity')) as number | undefined,
    price: minorToMajor(getOwn(attributes, 'total'), currency),
    currency: currency as string | undefined,
    ...personName({ full: getOwn(attributes, 'user_name') }),
  };
}

/** `test_mode` moved from the order item to the order and to `meta` over API versions. */
function livemodeOf(document: JsonObject, attributes: JsonObject | undefined): boolean | undefined {
  const testMode = firstPresent(getPath(document, 'meta', 'test_mode'), getOwn(attributes, 'test_mode'), getPath(attributes, 'first_order_item', 'test_mode'));
  return typeof testMode === 'boolean' ? !testMode : undefined;
}

/** Normalizer for Lemon Squeezy webhooks (see the module description). */
export const lemonsqueezyNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'lemonsqueezy',
    aliases: LEMONSQUEEZY_ALIASES,
    version: 1,
    detectEventType: detectLemonSqueezyEventType,
    normalize(payload, context): NormalizerOutput {
      const batchSize = Array.isArray(payload) ? payload.length : undefined;
      const document = Array.isArray(payload) ? payload[0] : payload;
      if (!isJsonObject(document)) return { template: {}, batchSize };
      const attributes = getObject(document, 'data', 'attributes');
      const eventType = context.eventType ?? detectLemonSqueezyEventType(document);
      return {
        template: templateOf(attributes, kindOf(eventType, attributes)),
        timestamp: getOwn(attributes, 'created_at'),
        sourceObjectId: idToString(getPath(document, 'data', 'id')),
        livemode: livemodeOf(document, attributes),
        batchSize,
      };
    },
  },
  [PRODUCT_NAME_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
