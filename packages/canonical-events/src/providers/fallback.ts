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
import { NAME_READINGS, personName } from '../helpers/person-name.js';
import { resolveProviderId } from '../provider-aliases.js';

const CONTAINERS = ['data', 'payload', 'object', 'attributes', 'properties', 'traits', 'customer', 'user', 'person', 'contact', 'order', 'event', 'body', 'fields', 'details'];
const MAX_DEPTH = 3;
const MAX_KEYS = 400;
const NOT_FOLDED = /[^a-z0-9]/g;

// Folded key spellings looked up for each field, most specific first. `text` fields take only
// non-blank strings; the others any value but null and blank strings.
const FIELD_KEYS = {
  firstName: ['firstname', 'fname', 'givenname', 'first'],
  lastName: ['lastname', 'lname', 'surname', 'familyname', 'last'],
  name: ['name', 'fullname', 'customername', 'displayname', 'buyername', 'username'],
  countryText: ['country', 'countryname'],
  countryCode: ['countrycode', 'countryiso', 'countryiso2'],
  currency: ['currency', 'currencycode'],
  price: ['price', 'amount', 'total', 'totalprice', 'value', 'revenue'],
  productName: ['productname', 'product', 'producttitle', 'itemname', 'item'],
  rating: ['rating', 'stars', 'score'],
  review: ['review', 'testimonial', 'testimonialtext', 'reviewtext', 'message', 'comment', 'text', 'content'],
  cityText: ['city', 'town'],
  stateText: ['state', 'region', 'province'],
  productUrlText: ['producturl', 'productlink', 'url', 'link'],
  productUrlOnlyText: ['producturl'],
  productImageText: ['productimage', 'productimageurl', 'image', 'imageurl'],
  quantity: ['quantity', 'qty'],
  ratingMax: ['ratingmax', 'maxrating', 'bestrating'],
  titleText: ['title', 'reviewtitle', 'headline'],
  avatarText: ['avatar', 'avatarurl', 'photo', 'photourl', 'picture', 'profileimage'],
  mediaText: ['videourl', 'video', 'mediaurl', 'media'],
  timestamp: ['timestamp', 'time', 'occurredat', 'createdat', 'created', 'date', 'datecreated', 'submittedat', 'eventtime', 'sentat'],
  id: ['id', 'eventid', 'guid', 'uuid', 'orderid', 'objectid'],
} as const;

type Field = keyof typeof FIELD_KEYS;
type Picked = { [F in Field]: unknown };

// What a folded spelling names: the fields it may fill, with its rank in each (most of the table), a
// container to look into, `livemode`, or nothing (most keys of a payload): one lookup answers all.
type Spelling = ReadonlyArray<readonly [Field, number]>;
const CONTAINER: Spelling = [];
const LIVEMODE: Spelling = [];
const NOTHING: Spelling = [];

// Each key met so far → its spelling: payloads of one source repeat the same few keys, so each is
// folded and looked up once rather than per event. Bounded: cleared when full. The table of folded
// spellings behind it is built on the first fallback event.
const spellingsByKey = new Map<string, Spelling>();
let spellingsByFolded: Map<string, Spelling> | undefined;

/** What `key` names, once `first_name`, `firstName` and `First-Name` are folded to `firstname`. */
function spellingOf(key: string): Spelling {
  // A key that long is no spelling (and is not kept).
  if (key.length > 64) return NOTHING;
  let spelling = spellingsByKey.get(key);
  if (spelling === undefined) {
    if (spellingsByFolded === undefined) {
      spellingsByFolded = new Map<string, Spelling>(CONTAINERS.map((container) => [container, CONTAINER])).set('livemode', LIVEMODE);
      for (const field of Object.keys(FIELD_KEYS) as Field[]) FIELD_KEYS[field].forEach((folded, rank) => spellingsByFolded?.set(folded, [...(spellingsByFolded.get(folded) ?? []), [field, rank]]));
    }
    spelling = spellingsByFolded.get(key.toLowerCase().replace(NOT_FOLDED, '')) ?? NOTHING;
    if (spellingsByKey.size >= 4096) spellingsByKey.clear();
    spellingsByKey.set(key, spelling);
  }
  return spelling;
}

/**
 * For each field, the value of its most specific spelling the payload has with a usable value,
 * and `livemode`: one breadth-first pass from the top level through known containers only,
 * bounded in depth and key count so a 1 MB or deeply nested body costs little. A spelling counts
 * where it is first met (the shallowest), so each key is looked at once, against a table of the
 * spellings (a hundred) rather than each spelling looked up in the payload; nothing but the
 * spellings met is remembered.
 */
function pickFields(root: JsonObject): { picked: Picked; livemode: unknown } {
  // Every field its own property from the start: an unpicked one reads undefined even when
  // Object.prototype is polluted.
  const picked: Picked = { firstName: undefined, lastName: undefined, name: undefined, countryText: undefined, countryCode: undefined, currency: undefined, price: undefined, productName: undefined, rating: undefined, review: undefined, cityText: undefined, stateText: undefined, productUrlText: undefined, productUrlOnlyText: undefined, productImageText: undefined, quantity: undefined, ratingMax: undefined, titleText: undefined, avatarText: undefined, mediaText: undefined, timestamp: undefined, id: undefined };
  const ranks: { [F in Field]: number } = { firstName: 99, lastName: 99, name: 99, countryText: 99, countryCode: 99, currency: 99, price: 99, productName: 99, rating: 99, review: 99, cityText: 99, stateText: 99, productUrlText: 99, productUrlOnlyText: 99, productImageText: 99, quantity: 99, ratingMax: 99, titleText: 99, avatarText: 99, mediaText: 99, timestamp: 99, id: 99 };
  // The spellings met (a few): a list is cheaper than a set at this size.
  const seen: Spelling[] = [];
  let livemode: unknown;
  let queue: JsonObject[] = [root];
  let visited = 0;
  for (let depth = 0; depth < MAX_DEPTH && queue.length > 0; depth++) {
    const next: JsonObject[] = [];
    for (const object of queue) {
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        if (++visited > MAX_KEYS) return { picked, livemode };
        const value = object[key];
        const spelling = spellingOf(key);
        if (spelling === CONTAINER && isJsonObject(value)) next.push(value);
        if ((spelling.length === 0 && spelling !== LIVEMODE) || seen.includes(spelling)) continue;
        seen.push(spelling);
        if (spelling === LIVEMODE) livemode = value;
        else pick(picked, ranks, spelling, value);
      }
    }
    queue = next;
  }
  return { picked, livemode };
}

/** Offers `value`, the first met of a spelling, to the fields that spelling may fill. */
function pick(picked: Picked, ranks: { [F in Field]: number }, fields: ReadonlyArray<readonly [Field, number]>, value: unknown): void {
  if (value === undefined || value === null) return;
  const isString = typeof value === 'string';
  if (isString && value.trim() === '') return;
  for (const [field, rank] of fields) {
    if (field.endsWith('Text') && !isString) continue;
    if (rank < ranks[field]) {
      ranks[field] = rank;
      picked[field] = value;
    }
  }
}

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
    const { picked, livemode } = pickFields(body);

    const name = personName({
      first: picked.firstName,
      last: picked.lastName,
      full: picked.name,
    });
    const countryValue = picked.countryText as string | undefined;
    const countryCode = normalizeCountryCode(picked.countryCode) ?? normalizeCountryCode(countryValue);
    const currency = normalizeCurrencyCode(picked.currency);
    const price = parseDecimalAmount(picked.price);
    const productName = picked.productName;
    const rating = parseDecimalAmount(picked.rating);
    const reviewText = picked.review;
    const eventType = context.eventType ?? (cloudEvent ? getString(root, 'type') : undefined);
    const kind = kindFrom(eventType, rating !== undefined, typeof reviewText === 'string', price !== undefined || typeof productName === 'string');
    // Free text and titles are only review content in a review; elsewhere they are notes and subjects.
    const isReview = kind === 'review' || kind === 'testimonial';
    const hasProduct = typeof productName === 'string';

    return {
      template: {
        event_kind: kind,
        customer_name: name?.customer_name,
        first_name: name?.first_name,
        last_initial: name?.last_initial,
        city: picked.cityText as string | undefined,
        region: picked.stateText as string | undefined,
        country: countryValue !== undefined && countryValue.trim().length > 2 ? countryValue : undefined,
        country_code: countryCode,
        product_name: typeof productName === 'string' ? productName : undefined,
        product_url: hasProduct ? (picked.productUrlText as string | undefined) : (picked.productUrlOnlyText as string | undefined),
        product_image: picked.productImageText as string | undefined,
        quantity: parseDecimalAmount(picked.quantity),
        price,
        currency,
        rating,
        rating_max: rating === undefined ? undefined : (parseDecimalAmount(picked.ratingMax) ?? 5),
        review_title: isReview ? (picked.titleText as string | undefined) : undefined,
        review_text: isReview && typeof reviewText === 'string' ? reviewText : undefined,
        avatar_url: picked.avatarText as string | undefined,
        media_url: picked.mediaText as string | undefined,
        // personName's reading of the name: the core trusts a given name it split off (`太郎`). Last: a
        // computed key makes every field after it a store of its own, where the fields before it come
        // from one prepared shape.
        [NAME_READINGS]: name?.[NAME_READINGS],
      },
      timestamp: firstPresent(
        cloudEvent ? getOwn(root, 'time') : undefined,
        picked.timestamp,
      ),
      sourceObjectId: usableObjectId(cloudEvent ? getOwn(root, 'id') : picked.id),
      // A CloudEvent's id is unique within its source; other webhooks may name theirs event_id.
      eventId: cloudEvent ? usableObjectId(getOwn(root, 'id')) : usableObjectId(getOwn(root, 'event_id') ?? getOwn(root, 'eventId')),
      livemode: typeof livemode === 'boolean' ? livemode : undefined,
      eventType,
      batchSize,
    };
  },
});
