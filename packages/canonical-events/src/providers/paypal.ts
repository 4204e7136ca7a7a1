/**
 * `@app/canonical-events/paypal`: PayPal webhook events (`{ id, event_type, create_time,
 * resource_type, resource, links }`) for CHECKOUT.ORDER.COMPLETED, PAYMENT.CAPTURE.COMPLETED,
 * PAYMENT.SALE.COMPLETED and BILLING.SUBSCRIPTION.ACTIVATED. Amounts are MAJOR-unit decimal
 * strings (`"100.00"`). Orders (v2) name the payer in `payer.name`, v1 payments in
 * `payer.payer_info`; sales and captures name nobody. The event's own `self` link tells
 * sandbox (`api.sandbox.paypal.com`) from live.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { PAYPAL_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import type { TemplateValues } from '../template-values-schema.js';
import { firstPresent, getArray, getObject, getOwn, getPath, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

const PAYMENT_EVENTS = new Set(['CHECKOUT.ORDER.COMPLETED', 'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.SALE.COMPLETED']);
const SUBSCRIPTION_EVENTS = new Set(['BILLING.SUBSCRIPTION.ACTIVATED', 'BILLING.SUBSCRIPTION.CREATED']);

function isEnvelope(payload: JsonObject): boolean {
  return typeof getOwn(payload, 'event_type') === 'string' && isJsonObject(getOwn(payload, 'resource'));
}

/** The event a bare resource most likely came with (an order, or a v1 sale). */
function eventTypeOfResource(resource: JsonObject): string | undefined {
  const status = getString(resource, 'status') ?? getString(resource, 'state');
  if (status?.toUpperCase() !== 'COMPLETED') return undefined;
  if (Array.isArray(getOwn(resource, 'purchase_units'))) return 'CHECKOUT.ORDER.COMPLETED';
  if (getString(resource, 'amount', 'total') !== undefined) return 'PAYMENT.SALE.COMPLETED';
  return undefined;
}

function detectPayPalEventType(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  return isEnvelope(payload) ? getString(payload, 'event_type') : eventTypeOfResource(payload);
}

function kindOf(eventType: string | undefined, resource: JsonObject): EventKind {
  if (eventType === undefined) return 'custom';
  const type = eventType.toUpperCase();
  if (SUBSCRIPTION_EVENTS.has(type)) return 'subscription';
  if (!PAYMENT_EVENTS.has(type)) return 'custom';
  // A v1 sale that pays a billing agreement is a subscription renewal.
  return getString(resource, 'billing_agreement_id') !== undefined ? 'subscription' : 'purchase';
}

/** Place from a v2 address (`admin_area_2` city, `admin_area_1` region) or a v1 one (`city`, `state`). */
function placeOf(...addresses: unknown[]): TemplateValues {
  const address = addresses.find((candidate) => getString(candidate, 'country_code') !== undefined || getString(candidate, 'admin_area_2') !== undefined || getString(candidate, 'city') !== undefined);
  return {
    city: getString(address, 'admin_area_2') ?? getString(address, 'city'),
    region: getString(address, 'admin_area_1') ?? getString(address, 'state'),
    country_code: getString(address, 'country_code'),
  };
}

/** Amount as `{ value, currency_code }` (v2) or `{ total, currency }` (v1). */
function moneyOf(amount: unknown): TemplateValues {
  const price = parseDecimalAmount(firstPresent(getOwn(amount, 'value'), getOwn(amount, 'total')));
  return { price, currency: price === undefined ? undefined : getString(amount, 'currency_code') ?? getString(amount, 'currency') };
}

function templateOf(resource: JsonObject, kind: EventKind): TemplateValues {
  const payer = getObject(resource, 'payer');
  const payerInfo = getObject(payer, 'payer_info');
  const subscriber = getObject(resource, 'subscriber');
  const unit = getObject(getArray(resource, 'purchase_units')[0]);
  const v1Transaction = getObject(getArray(resource, 'transactions')[0]);
  const items = getArray(unit, 'items').filter(isJsonObject);
  const v1Items = getArray(v1Transaction, 'item_list', 'items').filter(isJsonObject);
  const featuredItems = items.length > 0 ? items : v1Items;
  const amount = firstPresent(
    getOwn(unit, 'amount'),
    getOwn(resource, 'amount'),
    getOwn(v1Transaction, 'amount'),
    getOwn(resource, 'gross_amount'),
    getPath(resource, 'billing_info', 'last_payment', 'amount'),
  );
  const name =
    personName({ first: getOwn(getObject(payer, 'name'), 'given_name'), last: getOwn(getObject(payer, 'name'), 'surname') }) ??
    personName({ first: getOwn(payerInfo, 'first_name'), last: getOwn(payerInfo, 'last_name') }) ??
    personName({ first: getOwn(getObject(subscriber, 'name'), 'given_name'), last: getOwn(getObject(subscriber, 'name'), 'surname') }) ??
    personName({ full: getPath(unit, 'shipping', 'name', 'full_name') });
  return {
    event_kind: kind,
    product_name: getString(featuredItems[0], 'name') ?? getString(unit, 'description'),
    item_count: featuredItems.length > 0 ? featuredItems.length : undefined,
    // v2 sends quantity as a string ("1").
    quantity: parseDecimalAmount(getOwn(featuredItems[0], 'quantity')),
    ...moneyOf(amount),
    ...name,
    ...placeOf(getPath(unit, 'shipping', 'address'), getOwn(payerInfo, 'shipping_address'), getPath(subscriber, 'shipping_address', 'address'), getOwn(payer, 'address'), payerInfo),
  };
}

/** `false` for an event whose `self` link points at the sandbox API, `true` for the live API. */
function livemodeOf(envelope: JsonObject | undefined): boolean | undefined {
  const self = getArray(envelope, 'links').find((link) => getString(link, 'rel') === 'self');
  const host = /^https:\/\/([^/?#]+)/i.exec(getString(self, 'href') ?? '')?.[1]?.toLowerCase();
  if (host === undefined || !host.endsWith('paypal.com')) return undefined;
  return !host.includes('sandbox');
}

/** Normalizer for PayPal webhook events (see the module description). */
export const paypalNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'paypal',
    aliases: PAYPAL_ALIASES,
    version: 1,
    detectEventType: detectPayPalEventType,
    normalize(payload, context): NormalizerOutput {
      const batchSize = Array.isArray(payload) ? payload.length : undefined;
      const first = Array.isArray(payload) ? payload[0] : payload;
      if (!isJsonObject(first)) return { template: {}, batchSize };
      const envelope = isEnvelope(first) ? first : undefined;
      const resource = envelope === undefined ? first : (getObject(envelope, 'resource') ?? {});
      const eventType = context.eventType ?? detectPayPalEventType(first);
      return {
        template: templateOf(resource, kindOf(eventType, resource)),
        // The notification's time; a bare resource falls back to its own update/creation time.
        timestamp: firstPresent(getOwn(envelope, 'create_time'), getOwn(resource, 'update_time'), getOwn(resource, 'create_time')),
        sourceObjectId: idToString(getOwn(resource, 'id')),
        eventId: idToString(getOwn(envelope, 'id')),
        livemode: livemodeOf(envelope),
        batchSize,
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, ITEM_COUNT_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
