import { EXPECTED_FIELDS_BY_KIND, type EventKind, type TemplateKey } from './field-vocabulary.js';
import { normalizeCountryCode } from './helpers/country-code.js';
import { normalizeCurrencyCode } from './helpers/money.js';
import { toDisplayName, usableNamePart } from './helpers/person-name.js';
import { containsEmail, containsIpAddress, containsPersonalData, containsPhoneNumber, redactPersonalData } from './helpers/privacy.js';
import { ownValue } from './helpers/json-access.js';
import { cleanText } from './helpers/text.js';

/** The template part of a canonical event after the core's checks. */
export interface SanitizedTemplate {
  /** `template.*` key → value, only for filled fields, in vocabulary order. */
  values: Record<string, string | number>;
  /** Comma-separated expected fields for the kind that are not filled (`""` when none). */
  missing: string;
  /** Comma-separated fields dropped because they held personal data (`""` when none). */
  redacted: string;
  isAnonymous: boolean;
}

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

function putUrl(values: Record<string, string | number>, redacted: string[], key: TemplateKey, value: unknown): void {
  const url = cleanUrl(value);
  if (url === undefined) return;
  if (urlCarriesPersonalData(url)) redacted.push(key);
  else values[key] = url;
}

function cleanCount(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

function cleanAmount(value: unknown): number | undefined {
  return Number.isFinite(value) ? (value as number) : undefined;
}

function putShortText(values: Record<string, string | number>, redacted: string[], key: TemplateKey, value: unknown, max: number): void {
  const text = cleanText(value, max);
  if (text === undefined) return;
  if (containsPersonalData(text)) redacted.push(key);
  else values[key] = text;
}

function putLongText(values: Record<string, string | number>, key: TemplateKey, value: unknown, max: number): void {
  const text = cleanText(value, max);
  if (text !== undefined) values[key] = redactPersonalData(text);
}

function putDefined(values: Record<string, string | number>, key: TemplateKey, value: string | number | undefined): void {
  if (value !== undefined) values[key] = value;
}

/**
 * Applies the package's rules to whatever a normalizer returned, so no provider file can put
 * markup, a full last name, an email or an invalid code into `template.*`. Fields are written in
 * vocabulary order, so every event lists its keys the same way.
 */
export function sanitizeTemplate(given: unknown, maxTextLength: number): SanitizedTemplate {
  // Only the normalizer's own enumerable fields count, each read once (no copy of the object): a
  // field it left out stays missing even when Object.prototype is polluted, and a getter runs once.
  // A primitive has no own enumerable field, so every read of one gives undefined.
  const template = given as object;
  const kind = ownValue(template, 'event_kind');
  const eventKind: EventKind = typeof kind === 'string' && Object.hasOwn(EXPECTED_FIELDS_BY_KIND, kind) ? (kind as EventKind) : 'custom';
  const values: Record<string, string | number> = { 'template.event_kind': eventKind };
  const redacted: string[] = [];

  const givenName = ownValue(template, 'customer_name');
  const displayName = toDisplayName(givenName);
  if (displayName !== undefined) {
    values['template.customer_name'] = displayName;
    // first_name may only repeat the start of the display name, so it cannot carry a last name.
    // A first name that stays one word once cleaned can only be the display name's first word,
    // the fallback below, so only one with white space, a tag or an entity is checked again.
    const givenFirst = ownValue(template, 'first_name');
    const first = typeof givenFirst === 'string' && /[\s<>&]/.test(givenFirst) ? usableNamePart(givenFirst) : undefined;
    values['template.first_name'] = first !== undefined && (displayName === first || displayName.startsWith(`${first} `)) ? first : (displayName.split(' ')[0] as string);
    // The initial is the one the display name shows, whether or not the normalizer gave it.
    const initial = /\s(\p{L})\.$/u.exec(displayName)?.[1];
    if (initial !== undefined) values['template.last_initial'] = initial;
  } else {
    const rawName = cleanText(givenName);
    if (rawName !== undefined && containsPersonalData(rawName)) redacted.push('template.customer_name');
  }

  putShortText(values, redacted, 'template.city', ownValue(template, 'city'), SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.region', ownValue(template, 'region'), SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.country', ownValue(template, 'country'), SHORT_TEXT_MAX);
  putDefined(values, 'template.country_code', normalizeCountryCode(ownValue(template, 'country_code')));
  putLongText(values, 'template.product_name', ownValue(template, 'product_name'), PRODUCT_NAME_MAX);
  putUrl(values, redacted, 'template.product_url', ownValue(template, 'product_url'));
  putUrl(values, redacted, 'template.product_image', ownValue(template, 'product_image'));
  putDefined(values, 'template.item_count', cleanCount(ownValue(template, 'item_count')));
  putDefined(values, 'template.quantity', cleanCount(ownValue(template, 'quantity')));
  putDefined(values, 'template.price', cleanAmount(ownValue(template, 'price')));
  putDefined(values, 'template.currency', normalizeCurrencyCode(ownValue(template, 'currency')));
  const ratingMax = cleanAmount(ownValue(template, 'rating_max'));
  const rating = cleanAmount(ownValue(template, 'rating'));
  if (rating !== undefined && rating >= 0 && (ratingMax === undefined || rating <= ratingMax)) values['template.rating'] = rating;
  if (ratingMax !== undefined && ratingMax > 0) values['template.rating_max'] = ratingMax;
  putLongText(values, 'template.review_title', ownValue(template, 'review_title'), PRODUCT_NAME_MAX);
  putLongText(values, 'template.review_text', ownValue(template, 'review_text'), maxTextLength);
  putUrl(values, redacted, 'template.avatar_url', ownValue(template, 'avatar_url'));
  putUrl(values, redacted, 'template.media_url', ownValue(template, 'media_url'));

  let missing = '';
  for (const field of EXPECTED_FIELDS_BY_KIND[eventKind]) {
    const key = `template.${field}`;
    if (!Object.hasOwn(values, key)) missing = missing === '' ? key : `${missing},${key}`;
  }
  return { values, missing, redacted: redacted.join(','), isAnonymous: displayName === undefined };
}
