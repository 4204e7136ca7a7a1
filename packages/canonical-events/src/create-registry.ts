import type { CanonicalEvent, NormalizedValue } from './canonical-event-schema.js';
import { defineProvider, type EventNormalizer } from './define-normalizer.js';
import { EventNormalizationError } from './errors.js';
import type { NormalizedFields, TimestampSource } from './field-vocabulary.js';
import { getOwn, idToString, isJsonObject, ownValue } from './helpers/json-access.js';
import { DEFAULT_MAX_TEXT_LENGTH } from './helpers/text.js';
import { parseTimestamp } from './helpers/timestamp.js';
import { providerAliasKey } from './provider-aliases.js';
import { sanitizeTemplate } from './sanitize-template.js';

/** Options of `normalizeEvent`. */
export interface NormalizeEventOptions {
  /**
   * When the event reached you, used as the timestamp when neither the payload nor the row's
   * `created_at` has one (the core has no clock). Without it such a row is an error.
   */
  receivedAt?: string | number | Date | undefined;
  /** Cap for `template.review_text`, in characters (default 500). */
  maxTextLength?: number | undefined;
  /**
   * The provider's id of this event when the payload has none but ingestion has it from a header:
   * Shopify's `X-Shopify-Event-Id` (or `X-Shopify-Webhook-Id`), WooCommerce's
   * `X-WC-Webhook-Delivery-ID`. Recorded in `meta.provider_event_id` when the payload carries no
   * id of its own, and then makes `meta.dedupe_key`.
   */
  eventId?: string | undefined;
}

/** The result of normalizing one row: the event, or the error naming the row and the reason. */
export type NormalizeEventResult =
  | { success: true; data: CanonicalEvent; error?: undefined }
  | { success: false; data?: undefined; error: EventNormalizationError };

/** A set of normalizers keyed by provider id and aliases, with the fallback for everything else. */
export interface NormalizerRegistry {
  /** Normalizes one legacy row with this registry's normalizers. Never throws. */
  normalizeEvent(row: unknown, options?: NormalizeEventOptions): NormalizeEventResult;
  /**
   * The normalizer an `integration_type` routes to: the fallback when none matches, or, in a
   * registry without a fallback, {@link NO_FALLBACK} (its rows are `UNKNOWN_PROVIDER` errors).
   */
  resolve(integrationType: unknown): EventNormalizer;
  /** A new registry with these normalizers added; they win over existing ones for the same names. */
  extend(normalizers: readonly EventNormalizer[]): NormalizerRegistry;
  /** The registered normalizers, fallback excluded. */
  readonly normalizers: readonly EventNormalizer[];
}

/** Options of {@link createRegistry}. */
export interface CreateRegistryOptions {
  /**
   * Normalizer for providers no registered normalizer claims, e.g. the package's generic
   * `fallbackNormalizer` (what `defaultRegistry` uses). Without one such rows are
   * `UNKNOWN_PROVIDER` errors, and the fallback's code stays out of a widget's bundle.
   */
  fallback?: EventNormalizer | undefined;
}

/**
 * What `registry.resolve` returns for a provider nobody claims in a registry created without a
 * `fallback`: `normalizeEvent` never runs it and reports the row as `UNKNOWN_PROVIDER` instead.
 */
export const NO_FALLBACK: EventNormalizer = /* @__PURE__ */ defineProvider(
  {
    provider: 'webhook',
    name: 'none',
    version: 0,
    normalize: () => ({ template: {} }),
  },
  [],
);

function fail(code: EventNormalizationError['code'], rowId: string | undefined, field: string, reason: string, cause?: unknown): NormalizeEventResult {
  return { success: false, error: new EventNormalizationError(code, { rowId, field, reason }, cause === undefined ? undefined : { cause }) };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  // "an object", "a function", "a symbol": the article follows the sound of the word.
  if (typeof value === 'object' && value !== null) return 'an object';
  return typeof value === 'function' || typeof value === 'symbol' ? `a ${typeof value}` : String(value);
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 200 ? trimmed : undefined;
}

const isOptionalText = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/**
 * The error for a row that is not a legacy event row, or `undefined` for one that is and has an
 * object or array as `event_data`: by hand rather than through zod, so the `/core` entry a widget
 * or an edge function bundles carries no zod, by the same rules as `LegacyEventRowSchema` (a
 * property test holds the two equal), checked field by field in its order. One check serves the
 * hot path and the explanation, so the two cannot disagree.
 */
function rowProblem(id: unknown, integrationType: unknown, hasEventData: boolean, eventData: unknown, eventType: unknown, createdAt: unknown): NormalizeEventResult | undefined {
  const idOk =
    typeof id === 'string' ? id.length <= 256 && id.trim().length > 0
    : typeof id === 'number' ? Number.isSafeInteger(id)
    : typeof id === 'bigint';
  if (!idOk) return fail('MISSING_ROW_ID', undefined, 'id', `must be a non-empty string or a safe integer, received ${describe(id)}`);
  if (!isOptionalText(integrationType)) return fail('INVALID_ROW', idToString(id), 'integration_type', `must be a string or null, received ${describe(integrationType)}`);
  // A row without the column at all is reported there, as the schema orders its fields.
  if (!hasEventData) return fail('INVALID_EVENT_DATA', idToString(id), 'event_data', 'must be a JSON object or array, received nothing');
  if (!isOptionalText(eventType)) return fail('INVALID_ROW', idToString(id), 'event_type', `must be a string or null, received ${describe(eventType)}`);
  const timeOk = createdAt === undefined || createdAt === null || typeof createdAt === 'string' || typeof createdAt === 'number' || createdAt instanceof Date;
  if (!timeOk) return fail('INVALID_ROW', idToString(id), 'created_at', `must be a string, a number, a Date or null, received ${describe(createdAt)}`);
  if (typeof eventData !== 'object' || eventData === null) return fail('INVALID_EVENT_DATA', idToString(id), 'event_data', `must be a JSON object or array, received ${describe(eventData)}`);
  return undefined;
}

/** An event id, unless it is a documentation placeholder (`evt_000000000000000000000000`, `*****`). */
function usableEventId(value: unknown): string | undefined {
  const id = idToString(value);
  return id === undefined || id.includes('*') || /^[a-z]*[_-]?0+$/i.test(id) ? undefined : id;
}

/** FNV-1a over the template values (`key=value;` each): the key of last resort, for payloads with no id and no time. */
function fingerprint(values: Record<string, string | number>): string {
  let hash = 0x811c9dc5;
  // Character by character through the parts, without building each `key=value;` text (flattening
  // a joined text costs more than the parts' array).
  for (const key in values) for (const part of [key, '=', `${values[key]}`, ';']) for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193);
  // In base 36 as the last digit after the others: V8 prints an integer below 2^30 in a radix
  // five times faster than one above (about 50 against 270 ns).
  hash >>>= 0;
  return (((hash / 36) | 0) || '').toString(36) + (hash % 36).toString(36);
}

/**
 * The canonical event from a normalizer's output: timestamp fallbacks, sanitized template, meta.
 * Positional arguments: no argument object is built per event.
 */
function buildEvent(
  eventData: object,
  createdAt: unknown,
  rowId: string,
  provider: string,
  normalizer: EventNormalizer,
  detected: string | undefined,
  given: unknown,
  maxTextLength: number,
  receivedAt: unknown,
  givenEventId: unknown,
): NormalizeEventResult {
  if (!isJsonObject(given)) throw new TypeError(`not an object: ${describe(given)}`);
  // Only the normalizer's own fields count (a polluted Object.prototype adds none); each is read
  // once, without copying the object.
  let timestamp = parseTimestamp(ownValue(given, 'timestamp'));
  let timestampSource: TimestampSource = 'payload';
  if (timestamp === undefined) {
    timestamp = parseTimestamp(createdAt);
    timestampSource = 'row.created_at';
  }
  if (timestamp === undefined) {
    timestamp = parseTimestamp(receivedAt);
    timestampSource = 'options.receivedAt';
  }
  if (timestamp === undefined) {
    return fail('MISSING_TIMESTAMP', rowId, 'created_at', 'is needed: no time in the payload or options.receivedAt');
  }

  const providerEventType = detected ?? nonEmptyString(ownValue(given, 'eventType')) ?? 'unknown';
  const template = sanitizeTemplate(ownValue(given, 'template') ?? {}, maxTextLength, normalizer.fields);
  const batchSize = ownValue(given, 'batchSize');
  const sourceObjectId = idToString(ownValue(given, 'sourceObjectId'));
  const eventId = usableEventId(ownValue(given, 'eventId')) ?? usableEventId(givenEventId);
  const livemode = ownValue(given, 'livemode');
  // A retry resends the same body: the provider's event id, else the object, the event type and
  // the payload's own time (never the row's created_at, which a retry changes) identify it.
  const dedupeKey =
    eventId !== undefined ? `${provider}:event:${eventId}`
    : sourceObjectId !== undefined || timestampSource === 'payload' ? `${provider}:${providerEventType}:${sourceObjectId ?? ''}:${timestampSource === 'payload' ? timestamp : ''}`
    : `${provider}:${providerEventType}:content:${fingerprint(template.values)}`;
  // Literal keys (not META_FIELDS lookups) keep this a fast, fixed-shape store sequence.
  const normalized: Record<string, NormalizedValue> = template.values;
  normalized['meta.provider'] = provider;
  normalized['meta.provider_event_type'] = providerEventType;
  normalized['meta.source_object_id'] = sourceObjectId ?? null;
  normalized['meta.livemode'] = typeof livemode === 'boolean' ? livemode : null;
  normalized['meta.is_anonymous'] = template.isAnonymous;
  normalized['meta.normalizer'] = normalizer.name;
  normalized['meta.normalizer_version'] = normalizer.version;
  normalized['meta.is_fallback'] = normalizer.isFallback;
  normalized['meta.missing'] = template.missing;
  normalized['meta.timestamp_source'] = timestampSource;
  normalized['meta.redacted'] = template.redacted;
  normalized['meta.batch_size'] = Number.isSafeInteger(batchSize) ? (batchSize as number) : null;
  normalized['meta.provider_event_id'] = eventId ?? null;
  normalized['meta.dedupe_key'] = dedupeKey;
  return {
    success: true,
    // sanitizeTemplate writes template.event_kind and vocabulary keys only, every meta key is set
    // above: the typed record (the fixture tests parse every event with CanonicalEventSchema).
    data: { event_id: rowId, provider, provider_event_type: providerEventType, timestamp, payload: eventData, normalized: normalized as unknown as NormalizedFields },
  };
}

/**
 * Creates a registry from normalizers. Lookup folds `integration_type` like the provider alias
 * table (`"Shopify"`, `shopify_app` → `shopify`); a normalizer's own `aliases` are added.
 * Unknown providers go to the fallback normalizer, which sets `meta.is_fallback`.
 */
export function createRegistry(normalizers: readonly EventNormalizer[] = [], options: CreateRegistryOptions = {}): NormalizerRegistry {
  const fallback = options.fallback ?? NO_FALLBACK;
  const byKey = new Map<string, EventNormalizer>();
  for (const normalizer of normalizers) {
    byKey.set(providerAliasKey(normalizer.provider), normalizer);
    for (const alias of normalizer.aliases) byKey.set(providerAliasKey(alias), normalizer);
  }

  // integration_type takes few distinct values (a string or null once the row is checked):
  // folding each one once keeps lookups cheap.
  const resolved = new Map<unknown, { normalizer: EventNormalizer; provider: string }>();
  const resolveKey = (integrationType: unknown): { normalizer: EventNormalizer; provider: string } => {
    let hit = resolved.get(integrationType);
    if (hit === undefined) {
      const key = typeof integrationType === 'string' ? providerAliasKey(integrationType.slice(0, 200)) : '';
      // The fallback is asked only for a spelling no normalizer lists.
      const id = byKey.has(key) ? key : fallback.resolveProvider?.(key);
      const own = id === undefined ? undefined : byKey.get(id);
      hit = own !== undefined ? { normalizer: own, provider: own.provider } : { normalizer: fallback, provider: id ?? (key.length > 0 ? key : 'webhook') };
      if (resolved.size < 1024) resolved.set(integrationType, hit);
    }
    return hit;
  };

  const normalizeEvent = (row: unknown, eventOptions: NormalizeEventOptions = {}): NormalizeEventResult => {
    // A hostile row or options object (a getter or a Proxy trap that throws) is a bad row, not a
    // crash: every read of them happens inside this try, once. The row's own columns are each read
    // once into a local (no copy of the row, no record built per event): a column the row lacks
    // stays missing even when Object.prototype is polluted, and a getter that returns something
    // else on every read cannot make the check and the use disagree.
    let id: unknown;
    let integrationType: unknown;
    let eventData: unknown;
    let eventType: unknown;
    let createdAt: unknown;
    let receivedAt: unknown;
    let requestedMax: unknown;
    let givenEventId: unknown;
    try {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return fail('INVALID_ROW', undefined, '(row)', `must be an object, received ${describe(row)}`);
      // getOwn confirms ownership before it reads: a column the row lacks is never looked up on
      // its prototype chain.
      const hasEventData = Object.hasOwn(row, 'event_data');
      id = getOwn(row, 'id');
      integrationType = getOwn(row, 'integration_type');
      eventData = hasEventData ? (row as Record<string, unknown>).event_data : undefined;
      eventType = getOwn(row, 'event_type');
      createdAt = getOwn(row, 'created_at');
      const problem = rowProblem(id, integrationType, hasEventData, eventData, eventType, createdAt);
      if (problem !== undefined) return problem;
      receivedAt = getOwn(eventOptions, 'receivedAt');
      requestedMax = getOwn(eventOptions, 'maxTextLength');
      givenEventId = getOwn(eventOptions, 'eventId');
    } catch (cause) {
      return fail('INVALID_ROW', undefined, '(row)', 'could not be read: a getter or proxy trap threw', cause);
    }
    const payload = eventData as object;
    const rowId = idToString(id) as string;

    const { normalizer, provider } = resolveKey(integrationType);
    if (normalizer === NO_FALLBACK) {
      return fail('UNKNOWN_PROVIDER', rowId, 'integration_type', `names no provider of this registry (${describe(integrationType)}); add its normalizer or a fallback`);
    }
    const rowEventType = nonEmptyString(eventType);
    const maxTextLength = Number.isSafeInteger(requestedMax) && (requestedMax as number) > 0 ? (requestedMax as number) : DEFAULT_MAX_TEXT_LENGTH;

    // A custom normalizer may return anything (undefined, getters that throw): everything that
    // reads its output stays inside the try, so normalizeEvent keeps its promise of never throwing.
    try {
      const detected = rowEventType ?? nonEmptyString(normalizer.detectEventType(payload));
      const output = normalizer.normalize(payload, { rowId, eventType: detected, maxTextLength });
      return buildEvent(payload, createdAt, rowId, provider, normalizer, detected, output, maxTextLength, receivedAt, givenEventId);
    } catch (cause) {
      return fail('NORMALIZER_FAILED', rowId, 'event_data', `could not be read by the "${normalizer.name}" normalizer`, cause);
    }
  };

  const registry: NormalizerRegistry = {
    normalizeEvent,
    resolve: (integrationType) => resolveKey(integrationType).normalizer,
    extend: (more) => createRegistry([...normalizers, ...more], options),
    normalizers: Object.freeze([...normalizers]),
  };
  return Object.freeze(registry);
}
