/**
 * The core's rule for each optional `template.*` field: how a value a normalizer returned is
 * checked and cleaned before it reaches `normalized`. A normalizer carries the rules of the fields
 * it fills (`defineNormalizer` gives every rule), so a widget bundling one provider carries only
 * the checks that provider's fields need (no URL checks for Stripe, no currency list for Trust).
 */
import type { TemplateField } from './field-vocabulary.js';
import { normalizeCountryCode } from './helpers/country-code.js';
import { ownValue } from './helpers/json-access.js';
import { normalizeCurrencyCode } from './helpers/money.js';
import { containsEmail, containsIpAddress, containsPersonalData, containsPhoneNumber, redactPersonalData } from './helpers/privacy.js';
import { cleanText } from './helpers/text.js';

/**
 * Reads one field (or a pair, for the rating) of what a normalizer returned as `template`, and
 * writes its cleaned value under its `template.*` key, or lists the key in `redacted` when the
 * value held personal data.
 *
 * @internal
 */
export type TemplateFieldRule = (values: Record<string, string | number>, redacted: string[], template: object, maxTextLength: number) => void;

const SHORT_TEXT_MAX = 100;
const PRODUCT_NAME_MAX = 150;
const URL_MAX = 2048;

function cleanUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim();
  if (url.length > URL_MAX || !/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s<>"'`]*)?$/i.test(url)) return undefined;
  return url;
}

// Query parameters whose value identifies the visitor (tracking links, avatar services).
const PERSONAL_QUERY_KEY = /^(?:e-?mail|email_address|phone|tel|mobile|customer_email|user_email|ip|address|street|last_?name|surname|full_?name)$/i;

function safeDecode(text: string): string {
  // Most URLs hold no escape and no `+`: nothing to decode.
  if (!/[%+]/.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** True when a URL's path or query carries an email, phone number or a personal query parameter. */
function urlCarriesPersonalData(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return false;
  const rest = url.slice(start);
  const decoded = safeDecode(rest);
  if (containsEmail(decoded) || containsIpAddress(decoded)) return true;
  const query = rest.indexOf('?');
  if (query < 0) return false;
  for (const pair of rest.slice(query + 1).split(/[&;#]/)) {
    const [key = '', ...value] = pair.split('=');
    const text = safeDecode(value.join('='));
    // Bare digit runs are cache busters and ids (`?v=1690000000123`); a phone value is written with `+` or `(`.
    if (text.length > 0 && (PERSONAL_QUERY_KEY.test(safeDecode(key)) || (/^[+(]/.test(text.trim()) && containsPhoneNumber(text)))) return true;
  }
  return false;
}

/**
 * The rule for one field: the value `clean` makes of it (none: the field stays out), written under
 * its key, or the key listed in `redacted` when `isPersonal` says the value holds personal data.
 */
function fieldRule(field: TemplateField, clean: (value: unknown, maxTextLength: number) => string | number | undefined, isPersonal?: (value: string) => boolean): TemplateFieldRule {
  const key = `template.${field}`;
  return (values, redacted, template, maxTextLength) => {
    const value = clean(ownValue(template, field), maxTextLength);
    if (value === undefined) return;
    if (isPersonal?.(value as string) === true) redacted.push(key);
    else values[key] = value;
  };
}

/** Plain text up to 100 characters. */
const shortText = (value: unknown): string | undefined => cleanText(value, SHORT_TEXT_MAX);

/** Plain text up to `max` characters (else the event's text cap), personal data replaced by `[…]`. */
const longText =
  (max?: number) =>
  (value: unknown, maxTextLength: number): string | undefined => {
    const text = cleanText(value, max ?? maxTextLength);
    return text === undefined ? undefined : redactPersonalData(text);
  };

const cleanCount = (value: unknown): number | undefined => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined);

const cleanAmount = (value: unknown): number | undefined => (Number.isFinite(value) ? (value as number) : undefined);

/** `template.city`. */
export const CITY_RULE = /* @__PURE__ */ fieldRule('city', shortText, containsPersonalData);
/** `template.region`. */
export const REGION_RULE = /* @__PURE__ */ fieldRule('region', shortText, containsPersonalData);
/** `template.country`. */
export const COUNTRY_RULE = /* @__PURE__ */ fieldRule('country', shortText, containsPersonalData);
/** `template.country_code`: an assigned ISO-3166-1 alpha-2 code. */
export const COUNTRY_CODE_RULE = /* @__PURE__ */ fieldRule('country_code', normalizeCountryCode);
/** `template.product_name`. */
export const PRODUCT_NAME_RULE = /* @__PURE__ */ fieldRule('product_name', /* @__PURE__ */ longText(PRODUCT_NAME_MAX));
/** `template.product_url`. */
export const PRODUCT_URL_RULE = /* @__PURE__ */ fieldRule('product_url', cleanUrl, urlCarriesPersonalData);
/** `template.product_image`. */
export const PRODUCT_IMAGE_RULE = /* @__PURE__ */ fieldRule('product_image', cleanUrl, urlCarriesPersonalData);
/** `template.item_count`: a safe integer, 0 or more. */
export const ITEM_COUNT_RULE = /* @__PURE__ */ fieldRule('item_count', cleanCount);
/** `template.quantity`: a safe integer, 0 or more. */
export const QUANTITY_RULE = /* @__PURE__ */ fieldRule('quantity', cleanCount);
/** `template.price`: a finite number. */
export const PRICE_RULE = /* @__PURE__ */ fieldRule('price', cleanAmount);
/** `template.currency`: an ISO-4217 code. */
export const CURRENCY_RULE = /* @__PURE__ */ fieldRule('currency', normalizeCurrencyCode);

/** `template.rating` (from 0 up to the scale) and `template.rating_max` (above 0), read together. */
export const RATING_RULE: TemplateFieldRule = (values, _redacted, template) => {
  const ratingMax = cleanAmount(ownValue(template, 'rating_max'));
  const rating = cleanAmount(ownValue(template, 'rating'));
  if (rating !== undefined && rating >= 0 && (ratingMax === undefined || rating <= ratingMax)) values['template.rating'] = rating;
  if (ratingMax !== undefined && ratingMax > 0) values['template.rating_max'] = ratingMax;
};

/** `template.review_title`. */
export const REVIEW_TITLE_RULE = /* @__PURE__ */ fieldRule('review_title', /* @__PURE__ */ longText(PRODUCT_NAME_MAX));
/** `template.review_text`, capped at the event's `maxTextLength`. */
export const REVIEW_TEXT_RULE = /* @__PURE__ */ fieldRule('review_text', /* @__PURE__ */ longText());
/** `template.avatar_url`. */
export const AVATAR_URL_RULE = /* @__PURE__ */ fieldRule('avatar_url', cleanUrl, urlCarriesPersonalData);
/** `template.media_url`. */
export const MEDIA_URL_RULE = /* @__PURE__ */ fieldRule('media_url', cleanUrl, urlCarriesPersonalData);

/**
 * Every rule, in vocabulary order (the order of the keys in `normalized`): what
 * `defineNormalizer` gives a normalizer, and what the generic fallback uses.
 *
 * @internal
 */
export const TEMPLATE_FIELD_RULES: readonly TemplateFieldRule[] = [
  CITY_RULE,
  REGION_RULE,
  COUNTRY_RULE,
  COUNTRY_CODE_RULE,
  PRODUCT_NAME_RULE,
  PRODUCT_URL_RULE,
  PRODUCT_IMAGE_RULE,
  ITEM_COUNT_RULE,
  QUANTITY_RULE,
  PRICE_RULE,
  CURRENCY_RULE,
  RATING_RULE,
  REVIEW_TITLE_RULE,
  REVIEW_TEXT_RULE,
  AVATAR_URL_RULE,
  MEDIA_URL_RULE,
];
