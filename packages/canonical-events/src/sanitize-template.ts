import { EVENT_KINDS, EXPECTED_FIELDS_BY_KIND, type EventKind, TEMPLATE_FIELDS, type TemplateKey } from './field-vocabulary.js';
import type { TemplateValues } from './template-values-schema.js';
import { normalizeCountryCode } from './helpers/country-code.js';
import { normalizeCurrencyCode } from './helpers/money.js';
import { toDisplayName, usableNamePart } from './helpers/person-name.js';
import { containsPersonalData, redactPersonalData } from './helpers/privacy.js';
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
export function sanitizeTemplate(template: TemplateValues, maxTextLength: number): SanitizedTemplate {
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
    const initial = typeof template.last_initial === 'string' ? template.last_initial.trim() : '';
    if (/^\p{L}$/u.test(initial) && displayName.endsWith(` ${initial}.`)) values['template.last_initial'] = initial;
  } else {
    const rawName = cleanText(template.customer_name);
    if (rawName !== undefined && containsPersonalData(rawName)) redacted.push('template.customer_name');
  }

  putShortText(values, redacted, 'template.city', template.city, SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.region', template.region, SHORT_TEXT_MAX);
  putShortText(values, redacted, 'template.country', template.country, SHORT_TEXT_MAX);
  putDefined(values, 'template.country_code', normalizeCountryCode(template.country_code));
  putLongText(values, 'template.product_name', template.product_name, PRODUCT_NAME_MAX);
  putDefined(values, 'template.product_url', cleanUrl(template.product_url));
  putDefined(values, 'template.product_image', cleanUrl(template.product_image));
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
  putDefined(values, 'template.avatar_url', cleanUrl(template.avatar_url));
  putDefined(values, 'template.media_url', cleanUrl(template.media_url));

  const missing: string[] = [];
  for (const field of EXPECTED_FIELDS_BY_KIND[eventKind]) {
    const key = TEMPLATE_FIELDS[field];
    if (values[key] === undefined) missing.push(key);
  }
  return { values, eventKind, missing, redacted, isAnonymous: displayName === undefined };
}
