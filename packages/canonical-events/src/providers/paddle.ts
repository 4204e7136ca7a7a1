/**
 * `@app/canonical-events/paddle`: Paddle Billing notifications (`{ event_id, event_type,
 * occurred_at, notification_id, data }`) for transaction.completed / transaction.paid,
 * subscription.created / subscription.activated and customer.created. A bare entity (the `data`
 * object alone, as Paddle's SDK fixtures store it) is read by its id prefix (`txn_`, `sub_`,
 * `ctm_`). Amounts are strings in minor units (`"65215"` → 652.15 USD), converted by the
 * currency's exponent. Notifications carry only a `customer_id` and an `address_id`, so name and
 * place are filled only when the entity was expanded (`customer`, `address`).
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { PADDLE_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import type { TemplateValues } from '../template-values-schema.js';
import { firstPresent, getArray, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { minorToMajor, sumMinorUnits } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

type PaddleEntity = 'transaction' | 'subscription' | 'customer';

const ENTITY_BY_ID_PREFIX: Readonly<Record<string, PaddleEntity>> = { txn: 'transaction', sub: 'subscription', ctm: 'customer' };

// A transaction status names the event that set it (`completed` → transaction.completed), except
// `draft` (transaction.created).
const TRANSACTION_STATUS = /^(draft|ready|billed|paid|completed|canceled|past_due)$/;

/** Only money that was collected is a purchase; a created or billed transaction is not. */
const PAID_TRANSACTION_EVENT = /^transaction\.(completed|paid)$/;
const STARTED_SUBSCRIPTION_EVENT = /^subscription\.(created|activated|trialing)$/;

/** Notifications name their type in `event_type`; no Paddle entity has that field. */
function isEnvelope(payload: JsonObject): boolean {
  return typeof getOwn(payload, 'event_type') === 'string';
}

function entityFromId(entity: JsonObject): PaddleEntity | undefined {
  // An own entry of the table only (getOwn), so an id such as `constructor_1` names no entity.
  return getOwn(ENTITY_BY_ID_PREFIX, /^([a-z]+)_/.exec(getString(entity, 'id') ?? '')?.[1] ?? '') as PaddleEntity | undefined;
}

function entityFromEventType(eventType: string | undefined): PaddleEntity | undefined {
  // The part before the first dot, when it names an entity.
  return /^(transaction|subscription|customer)(?:\.|$)/.exec(eventType ?? '')?.[1] as PaddleEntity | undefined;
}

/** The event a bare entity most likely came with, as Stripe's normalizer does for bare objects. */
function eventTypeOfEntity(entity: JsonObject): string | undefined {
  const kind = entityFromId(entity);
  // A subscription or a customer is read as just created.
  if (kind !== 'transaction') return kind && `${kind}.created`;
  const status = getString(entity, 'status');
  return status === undefined || !TRANSACTION_STATUS.test(status) ? undefined : `transaction.${status === 'draft' ? 'created' : status}`;
}

function detectPaddleEventType(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  return isEnvelope(payload) ? getString(payload, 'event_type') : eventTypeOfEntity(payload);
}

/**
 * A transaction or subscription: name and place from an expanded `customer` / `address` (absent
 * from plain notifications) and the first item's product, beside the price.
 */
function saleOf(entity: JsonObject, kind: EventKind, items: readonly JsonObject[], price: number | undefined, currency: unknown): TemplateValues {
  const address = getObject(entity, 'address');
  return {
    event_kind: kind,
    city: getString(address, 'city'),
    region: getString(address, 'region'),
    country_code: getString(address, 'country_code'),
    product_name: getString(items[0], 'product', 'name'),
    product_image: getString(items[0], 'product', 'image_url'),
    item_count: items.length > 0 ? items.length : undefined,
    quantity: getOwn(items[0], 'quantity') as number | undefined,
    price,
    currency: currency as string | undefined,
    ...personName({ full: getOwn(getObject(entity, 'customer'), 'name') }),
  };
}

function normalizeTransaction(transaction: JsonObject, eventType: string | undefined): TemplateValues {
  // details.line_items carry the product; items[] carry it only when the catalog entity was included.
  const lineItems = getArray(transaction, 'details', 'line_items').filter(isJsonObject);
  const items = lineItems.length > 0 ? lineItems : getArray(transaction, 'items').filter(isJsonObject);
  const totals = getObject(transaction, 'details', 'totals');
  const isPaid = eventType !== undefined && PAID_TRANSACTION_EVENT.test(eventType);
  // A transaction tied to a subscription is its first or a renewal payment: a plan started or renewed.
  const paidKind: EventKind = getString(transaction, 'subscription_id') === undefined ? 'purchase' : 'subscription';
  const currency = firstPresent(getOwn(totals, 'currency_code'), getOwn(transaction, 'currency_code'));
  return saleOf(transaction, isPaid ? paidKind : 'custom', items, minorToMajor(firstPresent(getOwn(totals, 'grand_total'), getOwn(totals, 'total')), currency), currency);
}

function normalizeSubscription(subscription: JsonObject, eventType: string | undefined): TemplateValues {
  const items = getArray(subscription, 'items').filter(isJsonObject);
  // What the plan costs per billing period before tax and discounts: Σ unit price × quantity.
  const total = sumMinorUnits(items.map((item) => ({ amount: getOwn(getObject(item, 'price', 'unit_price'), 'amount'), quantity: getOwn(item, 'quantity') })));
  const currency = firstPresent(getOwn(subscription, 'currency_code'), getOwn(getObject(items[0], 'price', 'unit_price'), 'currency_code'));
  const started = eventType === undefined || STARTED_SUBSCRIPTION_EVENT.test(eventType);
  return saleOf(subscription, started ? 'subscription' : 'custom', items, items.length > 0 ? minorToMajor(total, currency) : undefined, currency);
}

function normalizeCustomer(customer: JsonObject, eventType: string | undefined): TemplateValues {
  return { event_kind: eventType === undefined || eventType === 'customer.created' ? 'signup' : 'custom', ...personName({ full: getOwn(customer, 'name') }) };
}

/** When a bare entity's event happened: a transaction when it was billed, anything else when it was created. */
function entityTime(entity: JsonObject, kind: PaddleEntity | undefined): unknown {
  return kind === 'transaction' ? firstPresent(getOwn(entity, 'billed_at'), getOwn(entity, 'created_at')) : getOwn(entity, 'created_at');
}

/** Normalizer for Paddle Billing notifications (see the module description). */
export const paddleNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'paddle',
    aliases: PADDLE_ALIASES,
    version: 1,
    detectEventType: detectPaddleEventType,
    normalize(payload, context): NormalizerOutput {
      const batchSize = Array.isArray(payload) ? payload.length : undefined;
      const first = Array.isArray(payload) ? payload[0] : payload;
      if (!isJsonObject(first)) return { template: {}, batchSize };
      const envelope = isEnvelope(first) ? first : undefined;
      const entity = envelope === undefined ? first : (getObject(envelope, 'data') ?? {});
      const entityEventType = envelope === undefined ? eventTypeOfEntity(entity) : undefined;
      // A bare entity's own event type, else the envelope's (the one is there only without the other).
      const eventType = context.eventType ?? entityEventType ?? getString(envelope, 'event_type');
      const kind = entityFromEventType(eventType) ?? entityFromId(entity);
      const template =
        kind === 'transaction' ? normalizeTransaction(entity, eventType)
        : kind === 'subscription' ? normalizeSubscription(entity, eventType)
        : kind === 'customer' ? normalizeCustomer(entity, eventType)
        : { event_kind: 'custom' as const };
      return {
        template,
        timestamp: firstPresent(getOwn(envelope, 'occurred_at'), entityTime(entity, kind)),
        sourceObjectId: idToString(getOwn(entity, 'id')),
        eventId: idToString(getOwn(envelope, 'event_id')),
        eventType: entityEventType,
        batchSize,
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, PRODUCT_IMAGE_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
