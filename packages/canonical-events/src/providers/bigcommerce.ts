/**
 * `@app/canonical-events/bigcommerce`: BigCommerce webhooks (`{ scope: 'store/order/created',
 * store_id, data: { type, id }, hash, created_at }`). They are thin by design: only the
 * resource's id and a unix-seconds time, so the event is still produced from them (kind from
 * the scope, object id from `data.id`) and every popup field it cannot fill is listed in
 * `meta.missing`: the application fetches the order to enrich it.
 *
 * Scopes: `store/order/created` → `purchase`, `store/customer/created` → `signup`, everything
 * else (order updates and status changes, carts, products) → `custom`, since they are not new
 * conversions. A row whose `event_data` is the fetched V2 order itself (`billing_address`,
 * `total_inc_tax` as a major-unit decimal string, `date_created` in RFC 2822) is read as a
 * purchase; the billing street, zip, phone and email are never read.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { BIGCOMMERCE_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import { firstPresent, getObject, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

const MONTHS: Readonly<Record<string, string>> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(?:([+-])(\d{2})(\d{2})|GMT|UTC|Z)?$/;

/**
 * BigCommerce's V2 API writes dates as RFC 2822 (`Tue, 20 Nov 2012 00:00:00 +0000`), which the
 * shared timestamp parser does not read: this rewrites one as ISO 8601 for it (no clock, no Date).
 */
function rfc2822ToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const match = RFC_2822.exec(value.trim());
  const monthName = (match?.[2] ?? '').toLowerCase();
  const month = Object.hasOwn(MONTHS, monthName) ? MONTHS[monthName] : undefined;
  if (match === null || month === undefined) return undefined;
  const offset = match[7] === undefined ? 'Z' : `${match[7]}${match[8] ?? '00'}:${match[9] ?? '00'}`;
  return `${match[3]}-${month}-${(match[1] ?? '').padStart(2, '0')}T${match[4]}:${match[5]}:${match[6] ?? '00'}${offset}`;
}

function isWebhookEnvelope(payload: JsonObject): boolean {
  return getString(payload, 'scope') !== undefined && isJsonObject(getOwn(payload, 'data'));
}

/** The fetched V2 order resource (not a webhook): it has a billing address or order totals. */
function isOrderResource(payload: JsonObject): boolean {
  return isJsonObject(getOwn(payload, 'billing_address')) || getOwn(payload, 'total_inc_tax') !== undefined;
}

function detectBigcommerceScope(payload: unknown): string | undefined {
  if (!isJsonObject(payload)) return undefined;
  return getString(payload, 'scope') ?? (isOrderResource(payload) ? 'store/order/created' : undefined);
}

function kindOf(scope: string | undefined): EventKind {
  switch (scope) {
    case 'store/order/created':
      return 'purchase';
    case 'store/customer/created':
      return 'signup';
    default:
      return 'custom';
  }
}

function normalizeOrderResource(order: JsonObject, kind: EventKind): NormalizerOutput {
  const billing = getObject(order, 'billing_address');
  return {
    template: {
      event_kind: kind,
      city: getString(billing, 'city'),
      region: getString(billing, 'state'),
      country: getString(billing, 'country'),
      country_code: getString(billing, 'country_iso2'),
      price: parseDecimalAmount(firstPresent(getOwn(order, 'total_inc_tax'), getOwn(order, 'total_ex_tax'))),
      currency: getString(order, 'currency_code') ?? getString(order, 'default_currency_code'),
      ...personName({ first: getOwn(billing, 'first_name'), last: getOwn(billing, 'last_name') }),
    },
    timestamp: firstPresent(rfc2822ToIso(getOwn(order, 'date_created')), getOwn(order, 'date_created')),
    sourceObjectId: idToString(getOwn(order, 'id')),
  };
}

/** Normalizer for BigCommerce webhooks (see the module description). */
export const bigcommerceNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'bigcommerce',
    aliases: BIGCOMMERCE_ALIASES,
    version: 1,
    detectEventType: detectBigcommerceScope,
    normalize(payload, context): NormalizerOutput {
      if (!isJsonObject(payload)) return { template: {} };
      const kind = kindOf(context.eventType);
      if (!isWebhookEnvelope(payload) && isOrderResource(payload)) return normalizeOrderResource(payload, kind);
      // Thin webhook: nothing about the buyer, the products or the amount; meta.missing says so.
      return {
        template: { event_kind: kind },
        timestamp: getOwn(payload, 'created_at'),
        sourceObjectId: idToString(getOwn(getObject(payload, 'data'), 'id')),
        // BigCommerce's hash of the event, resent unchanged on a retry.
        eventId: idToString(getOwn(payload, 'hash')),
      };
    },
  },
  [CITY_RULE, REGION_RULE, COUNTRY_RULE, COUNTRY_CODE_RULE, PRICE_RULE, CURRENCY_RULE],
);
