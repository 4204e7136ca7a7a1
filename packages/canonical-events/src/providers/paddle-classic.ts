/**
 * `@app/canonical-events/paddle-classic`: Paddle Classic webhook alerts (payment_succeeded,
 * subscription_created, subscription_payment_succeeded, …), which arrive form-urlencoded, so
 * every value is a string. `alert_name` carries the type. Amounts are MAJOR units
 * (`sale_gross` `"912.59"`), `country` is an ISO code and `event_time` is UTC without a zone.
 * The dashboard's alert simulator fills fields with their own name (`customer_name`,
 * `unit_price`) or `Example String`; such values are treated as absent.
 *
 * @packageDocumentation
 */
import { defineProvider, type NormalizerOutput } from '../define-normalizer.js';
import { COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE } from '../template-field-rules.js';
import { PADDLE_CLASSIC_ALIASES } from '../provider-aliases.js';
import type { EventKind } from '../field-vocabulary.js';
import { getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { currencyExponent, minorToMajor, parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';

const KIND_BY_ALERT: Readonly<Record<string, EventKind>> = {
  payment_succeeded: 'purchase',
  subscription_created: 'subscription',
  subscription_payment_succeeded: 'subscription',
};

const SIMULATOR_FILLER = 'example string';

/** The field's trimmed text, unless it is absent or a simulator placeholder (its own name, `Example String`). */
function field(alert: JsonObject, key: string): string | undefined {
  const value = getString(alert, key);
  if (value === undefined) return undefined;
  const folded = value.toLowerCase();
  return folded === key || folded === SIMULATOR_FILLER ? undefined : value;
}

/** A unit count sent as a digit string (`"47"`). */
function countOf(alert: JsonObject, key: string): number | undefined {
  const value = field(alert, key);
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * `unit × quantity` for a major-unit decimal string, exactly: the unit is scaled to minor units
 * by the currency's exponent, multiplied as an integer and scaled back. `undefined` when the
 * unit has more decimals than the currency allows or the product is not a safe integer.
 */
function multiplyMajor(unit: string | undefined, quantity: number | undefined, currency: string | undefined): number | undefined {
  const exponent = currencyExponent(currency);
  const match = unit === undefined ? null : /^(\d{1,15})(?:\.(\d{1,4}))?$/.exec(unit);
  if (match === null || exponent === undefined) return undefined;
  if (quantity === undefined) return parseDecimalAmount(unit);
  const decimals = match[2] ?? '';
  if (decimals.length > exponent) return undefined;
  const minor = Number(`${match[1] ?? ''}${decimals.padEnd(exponent, '0')}`) * quantity;
  return Number.isSafeInteger(minor) ? minorToMajor(minor, currency) : undefined;
}

/** Sandbox alerts link to sandbox-*.paddle.com; live ones to my.paddle.com / checkout.paddle.com. */
function livemodeOf(alert: JsonObject): boolean | undefined {
  for (const key of ['receipt_url', 'cancel_url', 'update_url']) {
    const host = /^https:\/\/([^/?#]+)/i.exec(getString(alert, key) ?? '')?.[1]?.toLowerCase();
    if (host === undefined || !host.endsWith('paddle.com')) continue;
    return !host.startsWith('sandbox-');
  }
  return undefined;
}

function normalizeAlert(alert: JsonObject, alertName: string | undefined): NormalizerOutput {
  const currency = field(alert, 'currency');
  const quantity = countOf(alert, 'quantity');
  const kind: EventKind = (alertName === undefined || !Object.hasOwn(KIND_BY_ALERT, alertName) ? undefined : KIND_BY_ALERT[alertName]) ?? 'custom';
  // sale_gross is what the customer paid (tax included) in `currency`; balance_* are the vendor's currency.
  const gross = parseDecimalAmount(field(alert, 'sale_gross'));
  return {
    template: {
      event_kind: kind,
      country_code: field(alert, 'country'),
      product_name: field(alert, 'product_name') ?? field(alert, 'plan_name'),
      quantity,
      price: gross ?? multiplyMajor(field(alert, 'unit_price'), quantity, currency),
      currency,
      ...personName({ full: field(alert, 'customer_name') }),
    },
    timestamp: field(alert, 'event_time'),
    sourceObjectId: idToString(field(alert, 'order_id') ?? field(alert, 'subscription_id') ?? field(alert, 'alert_id')),
    // Each alert Paddle sends has its own alert_id, resent unchanged on a retry.
    eventId: idToString(field(alert, 'alert_id')),
    livemode: livemodeOf(alert),
  };
}

/** Normalizer for Paddle Classic webhook alerts (see the module description). */
export const paddleClassicNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'paddle_classic',
    aliases: PADDLE_CLASSIC_ALIASES,
    version: 1,
    detectEventType: (payload) => getString(Array.isArray(payload) ? payload[0] : payload, 'alert_name'),
    normalize(payload, context) {
      const batchSize = Array.isArray(payload) ? payload.length : undefined;
      const alert = Array.isArray(payload) ? payload[0] : payload;
      if (!isJsonObject(alert)) return { template: {}, batchSize };
      const output = normalizeAlert(alert, context.eventType ?? getString(alert, 'alert_name'));
      output.batchSize = batchSize;
      return output;
    },
  },
  [COUNTRY_CODE_RULE, PRODUCT_NAME_RULE, QUANTITY_RULE, PRICE_RULE, CURRENCY_RULE],
);
