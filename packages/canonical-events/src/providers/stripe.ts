/**
 * `@app/canonical-events/stripe`: Stripe event objects (`{ id, type, created, livemode,
 * data: { object } }`) for checkout.session.completed, charge.succeeded,
 * payment_intent.succeeded, invoice.paid / invoice.payment_succeeded,
 * customer.subscription.created and customer.created. A bare API object (no event envelope) is
 * read by its `object` field. Amounts are minor units, converted by the currency's exponent.
 * Stripe events carry product ids, not names: `product_name` is filled only when the product
 * was expanded.
 *
 * Only events that mean money was taken, a subscription started or a customer signed up get a
 * popup kind; any other type (`charge.failed`, `charge.refunded`, `checkout.session.expired`,
 * `customer.subscription.deleted`, `invoice.payment_failed`, `*.updated`…) and any object whose
 * own status says it was not paid is `custom`, so no widget says "just bought" for it.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { STRIPE_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import type { TemplateValues } from '../template-values-schema.js';
import { firstPresent, getArray, getObject, getOwn, getPath, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { minorToMajor, sumMinorUnits } from '../helpers/money.js';
import { type PersonName, personName } from '../helpers/person-name.js';

const TYPE_BY_OBJECT: Readonly<Record<string, string>> = {
  'checkout.session': 'checkout.session.completed',
  charge: 'charge.succeeded',
  payment_intent: 'payment_intent.succeeded',
  invoice: 'invoice.paid',
  subscription: 'customer.subscription.created',
  customer: 'customer.created',
};

// The types whose object describes a completed sale, a started subscription or a new customer:
// those a bare object stands for, and three more.
const POPUP_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...Object.values(TYPE_BY_OBJECT),
  'checkout.session.async_payment_succeeded',
  'charge.captured',
  'invoice.payment_succeeded',
]);

// An object's own status, for bare objects and for envelopes alike: a "completed" session paid
// later (async methods), a refunded charge or an intent still waiting is not a sale yet.
function objectSaysNotPaid(object: JsonObject): boolean {
  switch (getOwn(object, 'object')) {
    case 'checkout.session':
      return getOwn(object, 'payment_status') === 'unpaid' || getOwn(object, 'status') === 'expired';
    case 'charge':
      return getOwn(object, 'refunded') === true || (getString(object, 'status') ?? 'succeeded') !== 'succeeded';
    case 'payment_intent':
      return (getString(object, 'status') ?? 'succeeded') !== 'succeeded';
    case 'invoice':
      return (getString(object, 'status') ?? 'paid') !== 'paid';
    case 'subscription':
      return ['canceled', 'incomplete', 'incomplete_expired', 'unpaid'].includes(getString(object, 'status') ?? '');
    default:
      return false;
  }
}

function isEventEnvelope(payload: JsonObject): boolean {
  return getOwn(payload, 'object') === 'event' || (typeof getOwn(payload, 'type') === 'string' && isJsonObject(getPath(payload, 'data', 'object')));
}

function detectStripeEventType(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  if (isEventEnvelope(payload)) return getString(payload, 'type');
  // An own entry of the table only (getOwn), so `constructor` or `toString` names no type.
  return getOwn(TYPE_BY_OBJECT, getString(payload, 'object') ?? '') as string | undefined;
}

/**
 * Place from a Stripe address (`country` is already an ISO code there), with the payer's name
 * fields when given. The name is spread after the place, never first: V8 builds an object literal
 * that opens with a spread through a slow path (microseconds per event), one that opens with a
 * field through a fast one.
 */
function placeOf(address: unknown, name?: PersonName): TemplateValues {
  return { city: getString(address, 'city'), region: getString(address, 'state'), country_code: getString(address, 'country'), ...name };
}

function hasPlace(address: unknown): boolean {
  return getString(address, 'city') !== undefined || getString(address, 'country') !== undefined;
}

/** Name and place of whoever paid: the first contact with a usable name, the first with a place. */
function payerOf(...contacts: unknown[]): TemplateValues {
  let name: PersonName | undefined;
  let address: unknown;
  for (const contact of contacts) {
    name ??= personName({ full: getOwn(contact, 'name') });
    if (address === undefined && hasPlace(getOwn(contact, 'address'))) address = getOwn(contact, 'address');
  }
  return placeOf(address, name);
}

/** Name of an expanded product (`price.product` as an object), or a line item's own description. */
function productNameOf(item: unknown): string | undefined {
  return getString(item, 'price', 'product', 'name') ?? getString(item, 'plan', 'product', 'name') ?? getString(item, 'description');
}

function normalizeCheckoutSession(session: JsonObject): TemplateValues {
  const items = getArray(session, 'line_items', 'data');
  const currency = getOwn(session, 'currency');
  return {
    event_kind: getOwn(session, 'mode') === 'subscription' ? 'subscription' : 'purchase',
    product_name: productNameOf(items[0]),
    item_count: items.length > 0 ? items.length : undefined,
    quantity: getPath(items[0], 'quantity') as number | undefined,
    price: minorToMajor(getOwn(session, 'amount_total'), currency),
    currency: currency as string | undefined,
    ...payerOf(getOwn(session, 'customer_details'), getOwn(session, 'shipping_details'), getOwn(session, 'shipping')),
  };
}

function normalizeCharge(charge: JsonObject): TemplateValues {
  const currency = getOwn(charge, 'currency');
  return {
    event_kind: 'purchase',
    price: minorToMajor(firstPresent(getOwn(charge, 'amount_captured'), getOwn(charge, 'amount')), currency),
    currency: currency as string | undefined,
    ...payerOf(getOwn(charge, 'billing_details'), getOwn(charge, 'shipping')),
  };
}

function normalizePaymentIntent(intent: JsonObject): TemplateValues {
  const currency = getOwn(intent, 'currency');
  const charge = firstPresent(getObject(intent, 'latest_charge'), getArray(intent, 'charges', 'data')[0]);
  return {
    event_kind: 'purchase',
    price: minorToMajor(firstPresent(getOwn(intent, 'amount_received'), getOwn(intent, 'amount')), currency),
    currency: currency as string | undefined,
    ...payerOf(getOwn(charge, 'billing_details'), getOwn(intent, 'shipping'), getOwn(charge, 'shipping')),
  };
}

function normalizeInvoice(invoice: JsonObject): TemplateValues {
  const currency = getOwn(invoice, 'currency');
  const lines = getArray(invoice, 'lines', 'data');
  const billingReason = getString(invoice, 'billing_reason') ?? '';
  const kind: EventKind = billingReason.startsWith('subscription') || getString(invoice, 'subscription') !== undefined ? 'subscription' : 'purchase';
  return {
    event_kind: kind,
    // An invoice line's description is generated text ("1 × Plan (at $20.00 / month)"), not a product name.
    product_name: getString(lines[0], 'price', 'product', 'name'),
    item_count: lines.length > 0 ? lines.length : undefined,
    quantity: getPath(lines[0], 'quantity') as number | undefined,
    price: minorToMajor(firstPresent(getOwn(invoice, 'amount_paid'), getOwn(invoice, 'total')), currency),
    currency: currency as string | undefined,
    ...placeOf(getOwn(invoice, 'customer_address'), personName({ full: getOwn(invoice, 'customer_name') })),
  };
}

function normalizeSubscription(subscription: JsonObject): TemplateValues {
  const items = getArray(subscription, 'items', 'data').filter(isJsonObject);
  const currency = firstPresent(getPath(items[0], 'price', 'currency'), getPath(items[0], 'plan', 'currency'), getOwn(subscription, 'currency'));
  const total = sumMinorUnits(
    items.map((item) => ({ amount: firstPresent(getPath(item, 'price', 'unit_amount'), getPath(item, 'plan', 'amount')), quantity: getOwn(item, 'quantity') })),
  );
  const customer = getObject(subscription, 'customer');
  return {
    event_kind: 'subscription',
    product_name: getString(items[0], 'price', 'product', 'name') ?? getString(items[0], 'plan', 'product', 'name'),
    item_count: items.length > 0 ? items.length : undefined,
    quantity: getOwn(items[0], 'quantity') as number | undefined,
    price: items.length > 0 ? minorToMajor(total, currency) : undefined,
    currency: currency as string | undefined,
    ...placeOf(getOwn(customer, 'address'), personName({ full: getOwn(customer, 'name') })),
  };
}

function normalizeCustomer(customer: JsonObject): TemplateValues {
  return { event_kind: 'signup', ...payerOf(customer, getOwn(customer, 'shipping')) };
}

function normalizeStripeObject(object: JsonObject): TemplateValues {
  switch (getOwn(object, 'object')) {
    case 'checkout.session':
      return normalizeCheckoutSession(object);
    case 'charge':
      return normalizeCharge(object);
    case 'payment_intent':
      return normalizePaymentIntent(object);
    case 'invoice':
      return normalizeInvoice(object);
    case 'subscription':
      return normalizeSubscription(object);
    case 'customer':
      return normalizeCustomer(object);
    default:
      return { event_kind: 'custom' };
  }
}

/** Normalizer for Stripe events (see the module description). */
export const stripeNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'stripe',
    aliases: STRIPE_ALIASES,
    version: 1,
    detectEventType: detectStripeEventType,
    normalize(payload, context): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const envelope = isEventEnvelope(payload) ? payload : undefined;
      const object = envelope === undefined ? payload : (getObject(envelope, 'data', 'object') ?? {});
      const livemode = firstPresent(getOwn(envelope, 'livemode'), getOwn(object, 'livemode'));
      const template = normalizeStripeObject(object);
      if ((context.eventType !== undefined && !POPUP_EVENT_TYPES.has(context.eventType)) || objectSaysNotPaid(object)) template.event_kind = 'custom';
      return {
        template,
        timestamp: firstPresent(getOwn(envelope, 'created'), getOwn(object, 'created')),
        sourceObjectId: idToString(getOwn(object, 'id')),
        eventId: idToString(getOwn(envelope, 'id')),
        livemode: typeof livemode === 'boolean' ? livemode : undefined,
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
