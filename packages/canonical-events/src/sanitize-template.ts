import { EVENT_KINDS, EXPECTED_FIELDS_BY_KIND, type EventKind, type TemplateKey } from './field-vocabulary.js';
import type { TemplateValues } from './template-values-schema.js';
import { normalizeCountryCode } from './helpers/country-code.js';
import { normalizeCurrencyCode } from './helpers/money.js';
import { toDisplayName, usableNamePart } from './helpers/person-name.js';
import { containsEmail, containsIpAddress, containsPersonalData, containsPhoneNumber, redactPersonalData } from './helpers/privacy.js';
import { ownFields } from './helpers/json-access.js';
import { cleanText } from './helpers/text.js';

/** The template part of a canonical event after the core's checks. */
export interface SanitizedTemplate {
  /** `template.*` key → value, only for filled fields, in vocabulary order. */
  values: Record<string, string | number>;
  eventKind: EventKind;
  /** Expected fields for the kind that are not filled. */
  missing: string[];
  /** Fields dropped because they held personal data. */
  redacted: string[];
  isAnonymous: boolean;
}

const SHORT_TEXT_MAX = 100;
const PRODUCT_NAME_MAX = 150;
const URL_MAX = 2048;
const EVENT_KIND_SET: ReadonlySet<string> = new Set(EVENT_KINDS);

function cleanUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim();
  if (url.length > URL_MAX || !/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s<>"'`]*)?$/i.test(url)) return undefined;
  return url;
}

// Query parameters whose value identifies the visitor (tracking links, avatar services).
const PERSONAL_QUERY_KEY = /^(?:e-?mail|email_address|phone|tel|mobile|customer_email|user_email|ip|address|street|last_?name|surname|full_?name)$/i;

function safeDecode(text: string): string {
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
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function cleanAmount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
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
export function sanitizeTemplate(given: TemplateValues, maxTextLength: number): SanitizedTemplate {
  // Only the normalizer's own fields count: a field it left out stays missing even when
  // Object.prototype is polluted, and a getter runs once.
  const template = ownFields(given) as TemplateValues;
  const kind = template.event_kind;
  const eventKind: EventKind = typeof kind === 'string' && EVENT_KIND_SET.has(kind) ? kind : 'custom';
  const values: Record<string, string | number> = { 'template.event_kind': eventKind };
  const redacted: string[] = [];

  const displayName = toDisplayName(template.customer_name);
  if (displayName !== undefined) {
    values['template.customer_name'] = displayName;
    // first_name may only repeat the start of the display name, so it cannot carry a last name.
    const first = usableNamePart(template.first_name);
    values['template.first_name'] = first !== undefined && (displayName === first || displayName.startsWith(`${first} `)) ? first : (displayName.split(' ')[0] as string);
    // The initial is the one the display name shows, whether or not the normalizer gave it.
    const initial = /\s(\p{L})\.$/u.exec(displayName)?.[1];
    if (initial !== undefined) values['template.last_initial'] = initial;
  } else {
    const rawName = cleanText(template.customer_name);
    if (rawName !== undefined && containsPersonalData(rawName)) redacted.push('template.customer_name');
  }

  putShortText(values, redacted, 'template.city', template.city, SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.region', template.region, SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.country', template.country, SHORT_TEXT_MAX);
  putDefined(values, 'template.country_code', normalizeCountryCode(template.country_code));
  putLongText(values, 'template.product_name', template.product_name, PRODUCT_NAME_MAX);
  putUrl(values, redacted, 'template.product_url', template.product_url);
  putUrl(values, redacted, 'template.product_image', template.product_image);
  putDefined(values, 'template.item_count', cleanCount(template.item_count));
  putDefined(values, 'template.quantity', cleanCount(template.quantity));
  putDefined(values, 'template.price', cleanAmount(template.price));
  putDefined(values, 'template.currency', normalizeCurrencyCode(template.currency));
  const ratingMax = cleanAmount(template.rating_max);
  const rating = cleanAmount(template.rating);
  if (rating !== undefined && rating >= 0 && (ratingMax === undefined || rating <= ratingMax)) values['template.rating'] = rating;
  if (ratingMax !== undefined && ratingMax > 0) values['template.rating_max'] = ratingMax;
  putLongText(values, 'template.review_title', template.review_title, PRODUCT_NAME_MAX);
  putLongText(values, 'template.review_text', template.review_text, maxTextLength);
  putUrl(values, redacted, 'template.avatar_url', template.avatar_url);
  putUrl(values, redacted, 'template.media_url', template.media_url);

  const missing: string[] = [];
  for (const field of EXPECTED_FIELDS_BY_KIND[eventKind]) {
    // The key spelled out rather than looked up in TEMPLATE_FIELDS, which a widget's bundle then leaves out.
    const key: TemplateKey = `template.${field}`;
    if (!Object.hasOwn(values, key)) missing.push(key);
  }
  return { values, eventKind, missing, redacted, isAnonymous: displayName === undefined };
}
