import type { TemplateValues } from './template-values-schema.js';
import type { ProviderId } from './provider-aliases.js';
import { TEMPLATE_FIELD_RULES, type TemplateFieldRule } from './template-field-rules.js';

/** What the core passes to a normalizer besides the payload. */
export interface NormalizeContext {
  /** The row's id (already a string), for messages. */
  readonly rowId: string;
  /**
   * The provider's event name: the row's `event_type` when it has one (e.g. Shopify's
   * `X-Shopify-Topic` saved at ingestion), else what `detectEventType` found, else `undefined`.
   */
  readonly eventType: string | undefined;
  /** Cap for free text (`review_text`), in characters. */
  readonly maxTextLength: number;
}

/**
 * What a normalizer returns. Only `template` is required; every value in it is checked and
 * cleaned again by the core (text stripped of HTML, names reduced to `First L.`, codes validated,
 * personal data dropped), so a normalizer picks fields and never formats them.
 */
export interface NormalizerOutput {
  /** `template.*` values under their short names; leave out or set `null` what the payload lacks. */
  template: TemplateValues;
  /**
   * When the event happened: the payload's raw time value (unix s/ms, numeric string, ISO…),
   * parsed once by the core with `parseTimestamp`. Not a timestamp, or absent: the core falls
   * back to the row's `created_at` and records that in `meta.timestamp_source`.
   */
  timestamp?: unknown;
  /** Id of the provider's object, from `idToString` (never `String(aNumber)` on a large id). */
  sourceObjectId?: string | undefined;
  /**
   * The provider's own id of this event or delivery when the payload carries one (Stripe's
   * `evt_…`, Paddle's `event_id`, PayPal's `WH-…`): the same on every retry, so it makes
   * `meta.dedupe_key`. Leave it out when the payload has only the object's id.
   */
  eventId?: string | undefined;
  /** `true` live, `false` test/sandbox, `undefined` when the payload does not say. */
  livemode?: boolean | undefined;
  /** A more precise event type found while reading the payload (used when the row and `detectEventType` gave none). */
  eventType?: string | undefined;
  /** Number of items when the payload is a batch and this event describes the first. */
  batchSize?: number | undefined;
}

/**
 * A provider normalizer: a pure function from one provider's raw payload to template fields.
 * Create it with {@link defineNormalizer}.
 */
export interface EventNormalizer {
  /** Canonical provider id (`shopify`), or any id of your own for a custom provider. */
  readonly provider: ProviderId | (string & {});
  /** Extra spellings of `integration_type` that route here (folded like provider aliases). */
  readonly aliases: readonly string[];
  /** Name recorded in `meta.normalizer` (defaults to `provider`). */
  readonly name: string;
  /** Recorded in `meta.normalizer_version`; bump it when the mapping changes. */
  readonly version: number;
  /** `true` only for the generic fallback (sets `meta.is_fallback`). */
  readonly isFallback: boolean;
  /**
   * For a registry's fallback: the canonical provider id of an `integration_type` it stands in for
   * (the package's fallback reads the shared alias table), so a row still routes to a registered
   * normalizer of that id and names its provider (`woo` → `woocommerce`). Without it a registry
   * routes by its normalizers' ids and aliases alone, and leaves the table out of a widget's bundle.
   */
  readonly resolveProvider?: ((integrationType: string) => string | undefined) | undefined;
  /** The provider's event name as the payload shows it, or `undefined`. Must not throw. */
  readonly detectEventType: (payload: unknown) => string | undefined;
  /** Maps the payload (a JSON object or array) to template fields. Must be pure; may not mutate `payload`. */
  readonly normalize: (payload: unknown, context: NormalizeContext) => NormalizerOutput;
  /**
   * The core's rules for the optional template fields this normalizer fills; a field without a
   * rule here is left out of the event. `defineNormalizer` gives every rule.
   *
   * @internal
   */
  readonly fields: readonly TemplateFieldRule[];
}

/** What {@link defineNormalizer} accepts. */
export interface NormalizerDefinition {
  provider: ProviderId | (string & {});
  aliases?: readonly string[];
  name?: string;
  version?: number;
  detectEventType?: (payload: unknown) => string | undefined;
  normalize: (payload: unknown, context: NormalizeContext) => NormalizerOutput;
  /** @internal Only the package's fallback normalizer sets this. */
  isFallback?: boolean;
  /** See {@link EventNormalizer.resolveProvider}. */
  resolveProvider?: ((integrationType: string) => string | undefined) | undefined;
}

/**
 * Declares a provider normalizer. The result is frozen and can be passed to `createRegistry`
 * or `registry.extend`.
 *
 * @example
 * ```ts
 * export const acmeNormalizer = defineNormalizer({
 *   provider: 'acme',
 *   aliases: ['acme_shop'],
 *   detectEventType: (payload) => getString(payload, 'event'),
 *   normalize: (payload) => ({
 *     template: { event_kind: 'purchase', ...personName({ full: getPath(payload, 'buyer', 'name') }) },
 *     timestamp: getPath(payload, 'created_at'),
 *     sourceObjectId: idToString(getPath(payload, 'id')),
 *   }),
 * });
 * ```
 */
export function defineNormalizer(definition: NormalizerDefinition): EventNormalizer {
  return defineProvider(definition, TEMPLATE_FIELD_RULES);
}

/**
 * {@link defineNormalizer} for a normalizer that fills only the template fields `fields` has rules
 * for (besides the kind and the name fields, which the core always reads): what the package's
 * provider files use, so a widget bundling one of them carries no check for a field it never fills.
 *
 * @internal
 */
export function defineProvider(definition: NormalizerDefinition, fields: readonly TemplateFieldRule[]): EventNormalizer {
  const detect = definition.detectEventType;
  return Object.freeze({
    provider: definition.provider,
    aliases: Object.freeze([...(definition.aliases ?? [])]),
    name: definition.name ?? definition.provider,
    version: definition.version ?? 1,
    isFallback: definition.isFallback === true,
    resolveProvider: definition.resolveProvider,
    detectEventType: detect === undefined ? () => undefined : detect,
    normalize: definition.normalize,
    fields,
  });
}
