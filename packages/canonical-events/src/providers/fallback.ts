/**
 * The generic normalizer for providers without their own file (Zapier, UseProof / ProveSource /
 * Social Proofy custom webhooks, CloudEvents, any unknown webhook). It looks for common key
 * spellings (`first_name`, `firstName`, `fname`…) at the top level and in a few usual containers
 * (`data`, `customer`, `properties`…), reading a bounded number of keys, and marks its events
 * with `meta.is_fallback`.
 */
import { defineNormalizer } from '../define-normalizer.js';
import type { EventKind } from '../field-vocabulary.js';
import { normalizeCountryCode } from '../helpers/country-code.js';
import { firstPresent, getOwn, getString, idToString, isJsonObject, type JsonObject } from '../helpers/json-access.js';
import { normalizeCurrencyCode, parseDecimalAmount } from '../helpers/money.js';
import { personName } from '../helpers/person-name.js';
import { resolveProviderId } from '../provider-aliases.js';

const CONTAINERS = new Set(['data', 'payload', 'object', 'attributes', 'properties', 'traits', 'customer', 'user', 'person', 'contact', 'order', 'event', 'body', 'fields', 'details']);
const MAX_DEPTH = 3;
const MAX_KEYS = 400;

/** Folds `first_name`, `firstName`, `First-Name` to `firstname`. */
function foldKey(key: string): string {
  return /^[a-z0-9]+$/.test(key) ? key : key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Flat index of folded key → first value seen, breadth-first from the top level through known
 * containers only; bounded in depth and key count so a 1 MB or deeply nested body costs little.
 */
function indexCommonKeys(root: JsonObject): Map<string, unknown> {
  const index = new Map<string, unknown>();
  let queue: JsonObject[] = [root];
  let visited = 0;
  for (let depth = 0; depth < MAX_DEPTH && queue.length > 0; depth++) {
    const next: JsonObject[] = [];
    for (const object of queue) {
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        if (++visited > MAX_KEYS) return index;
        const value = object[key];
        const folded = key.length > 64 ? '' : foldKey(key);
        if (folded.length > 0 && !index.has(folded)) index.set(folded, value);
        if (isJsonObject(value) && CONTAINERS.has(folded)) next.push(value);
      }
    }
    queue = next;
  }
  return index;
}

function pick(index: Map<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = index.get(key);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    return value;
  }
  return undefined;
}

function pickString(index: Map<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = index.get(key);
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

// Folded key spellings looked up for each field, most specific first.
const KEYS_FIRSTNAME = ['firstname', 'fname', 'givenname', 'first'] as const;
const KEYS_LASTNAME = ['lastname', 'lname', 'surname', 'familyname', 'last'] as const;
const KEYS_NAME = ['name', 'fullname', 'customername', 'displayname', 'buyername', 'username'] as const;
const KEYS_COUNTRY = ['country', 'countryname'] as const;
const KEYS_COUNTRYCODE = ['countrycode', 'countryiso', 'countryiso2'] as const;
const KEYS_CURRENCY = ['currency', 'currencycode'] as const;
const KEYS_PRICE = ['price', 'amount', 'total', 'totalprice', 'value', 'revenue'] as const;
const KEYS_PRODUCTNAME = ['productname', 'product', 'producttitle', 'itemname', 'item'] as const;
const KEYS_RATING = ['rating', 'stars', 'score'] as const;
const KEYS_REVIEW = ['review', 'testimonial', 'testimonialtext', 'reviewtext', 'message', 'comment', 'text', 'content'] as const;
const KEYS_CITY = ['city', 'town'] as const;
const KEYS_STATE = ['state', 'region', 'province'] as const;
const KEYS_PRODUCTURL = ['producturl', 'productlink', 'url', 'link'] as const;
const KEYS_PRODUCTURL_ONLY = ['producturl'] as const;
const KEYS_PRODUCTIMAGE = ['productimage', 'productimageurl', 'image', 'imageurl'] as const;
const KEYS_QUANTITY = ['quantity', 'qty'] as const;
const KEYS_RATINGMAX = ['ratingmax', 'maxrating', 'bestrating'] as const;
const KEYS_TITLE = ['title', 'reviewtitle', 'headline'] as const;
const KEYS_AVATAR = ['avatar', 'avatarurl', 'photo', 'photourl', 'picture', 'profileimage'] as const;
const KEYS_MEDIA = ['videourl', 'video', 'mediaurl', 'media'] as const;
const KEYS_TIMESTAMP = ['timestamp', 'time', 'occurredat', 'createdat', 'created', 'date', 'datecreated', 'submittedat', 'eventtime', 'sentat'] as const;
const KEYS_ID = ['id', 'eventid', 'guid', 'uuid', 'orderid', 'objectid'] as const;

const KIND_BY_WORD: ReadonlyArray<readonly [RegExp, EventKind]> = [
  [/testimonial/i, 'testimonial'],
  [/review|rating/i, 'review'],
  [/subscri|renew/i, 'subscription'],
  [/order|purchase|sale|checkout|payment|paid|transaction|charge/i, 'purchase'],
  [/sign.?up|register|registration|account|user.?created|customer.?created|trial/i, 'signup'],
  [/book|appointment|invitee|schedul|meeting|reservation/i, 'booking'],
  [/lead|form|submission|subscribe|optin|opt.?in|contact/i, 'lead'],
];

function kindFrom(eventType: string | undefined, hasRating: boolean, hasText: boolean, hasPurchase: boolean): EventKind {
  if (eventType !== undefined) for (const [pattern, kind] of KIND_BY_WORD) if (pattern.test(eventType)) return kind;
  if (hasRating) return 'review';
  if (hasText) return 'testimonial';
  if (hasPurchase) return 'purchase';
  return 'custom';
}

function isCloudEvent(payload: JsonObject): boolean {
  return typeof getOwn(payload, 'specversion') === 'string' && typeof getOwn(payload, 'type') === 'string';
}

function detectFallbackEventType(payload: unknown): string | undefined {
  const object = Array.isArray(payload) ? payload[0] : payload;
  if (!isJsonObject(object)) return undefined;
  return getString(object, 'type') ?? getString(object, 'event_type') ?? getString(object, 'eventType') ?? getString(object, 'event') ?? getString(object, 'topic');
}

// Sample payloads of webhook tools fill ids with their own field names or masks (`"guid": "id"`, `*****`).
const PLACEHOLDER_IDS: ReadonlySet<string> = new Set(['id', 'guid', 'uuid', 'string', 'null', 'undefined', 'none', 'xxx', '{{id}}']);

/** The object id, unless it is a documentation placeholder rather than an identifier. */
function usableObjectId(value: unknown): string | undefined {
  const id = idToString(value);
  return id === undefined || id.includes('*') || PLACEHOLDER_IDS.has(id.trim().toLowerCase()) ? undefined : id;
}

/** The generic normalizer used for every provider without its own file. */
export const fallbackNormalizer = /* @__PURE__ */ defineNormalizer({
  provider: 'webhook',
  name: 'fallback',
  version: 1,
  isFallback: true,
  resolveProvider: resolveProviderId,
  detectEventType: detectFallbackEventType,
  normalize(payload, context) {
    const batchSize = Array.isArray(payload) ? payload.length : undefined;
    const root = Array.isArray(payload) ? payload[0] : payload;
    if (!isJsonObject(root)) return { template: {}, batchSize };
    const cloudEvent = isCloudEvent(root);
    const body = cloudEvent && isJsonObject(getOwn(root, 'data')) ? (getOwn(root, 'data') as JsonObject) : root;
    const index = indexCommonKeys(body);

    const name = personName({
      first: pick(index, KEYS_FIRSTNAME),
      last: pick(index, KEYS_LASTNAME),
      full: pick(index, KEYS_NAME),
    });
    const countryValue = pickString(index, KEYS_COUNTRY);
    const countryCode = normalizeCountryCode(pick(index, KEYS_COUNTRYCODE)) ?? normalizeCountryCode(countryValue);
    const currency = normalizeCurrencyCode(pick(index, KEYS_CURRENCY));
    const price = parseDecimalAmount(pick(index, KEYS_PRICE));
    const productName = pick(index, KEYS_PRODUCTNAME);
    const rating = parseDecimalAmount(pick(index, KEYS_RATING));
    const reviewText = pick(index, KEYS_REVIEW);
    const eventType = context.eventType ?? (cloudEvent ? getString(root, 'type') : undefined);
    const kind = kindFrom(eventType, rating !== undefined, typeof reviewText === 'string', price !== undefined || typeof productName === 'string');
    // Free text and titles are only review content in a review; elsewhere they are notes and subjects.
    const isReview = kind === 'review' || kind === 'testimonial';
    const hasProduct = typeof productName === 'string';

    return {
      template: {
        event_kind: kind,
        ...name,
        city: pickString(index, KEYS_CITY),
        region: pickString(index, KEYS_STATE),
        country: countryValue !== undefined && countryValue.trim().length > 2 ? countryValue : undefined,
        country_code: countryCode,
        product_name: typeof productName === 'string' ? productName : undefined,
        product_url: hasProduct ? pickString(index, KEYS_PRODUCTURL) : pickString(index, KEYS_PRODUCTURL_ONLY),
        product_image: pickString(index, KEYS_PRODUCTIMAGE),
        quantity: parseDecimalAmount(pick(index, KEYS_QUANTITY)),
        price,
        currency,
        rating,
        rating_max: rating === undefined ? undefined : (parseDecimalAmount(pick(index, KEYS_RATINGMAX)) ?? 5),
        review_title: isReview ? pickString(index, KEYS_TITLE) : undefined,
        review_text: isReview && typeof reviewText === 'string' ? reviewText : undefined,
        avatar_url: pickString(index, KEYS_AVATAR),
        media_url: pickString(index, KEYS_MEDIA),
      },
      timestamp: firstPresent(
        cloudEvent ? getOwn(root, 'time') : undefined,
        pick(index, KEYS_TIMESTAMP),
      ),
      sourceObjectId: usableObjectId(cloudEvent ? getOwn(root, 'id') : pick(index, KEYS_ID)),
      // A CloudEvent's id is unique within its source; other webhooks may name theirs event_id.
      eventId: cloudEvent ? usableObjectId(getOwn(root, 'id')) : usableObjectId(getOwn(root, 'event_id') ?? getOwn(root, 'eventId')),
      livemode: typeof index.get('livemode') === 'boolean' ? (index.get('livemode') as boolean) : undefined,
      eventType,
      batchSize,
    };
  },
});
