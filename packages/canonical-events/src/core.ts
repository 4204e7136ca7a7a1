/**
 * `@app/canonical-events/core`: the registry, types, vocabulary, shared helpers, template
 * rendering and CloudEvents conversion, with the fallback normalizer but no provider file and no
 * zod (rows are checked by hand; the zod schemas are exported by the package root). Use it with
 * the provider subpaths you need to keep browser bundles and edge cold starts small:
 * `createRegistry([shopifyNormalizer]).normalizeEvent(row)`; what a widget does not import (the
 * fallback, rendering, the helpers it never calls) is left out of its bundle.
 *
 * @packageDocumentation
 */
export type { CanonicalEvent, NormalizedValue } from './canonical-event-schema.js';
export {
  type CreateRegistryOptions,
  createRegistry,
  type NormalizeEventOptions,
  type NormalizeEventResult,
  type NormalizerRegistry,
  NO_FALLBACK,
} from './create-registry.js';
export { defineNormalizer, type EventNormalizer, type NormalizeContext, type NormalizerDefinition, type NormalizerOutput } from './define-normalizer.js';
export { CanonicalEventsError, type CanonicalEventsErrorCode, EventNormalizationError } from './errors.js';
export type { LegacyEventRow } from './event-row-schema.js';
export {
  EVENT_KINDS,
  type EventKind,
  EXPECTED_FIELDS_BY_KIND,
  META_FIELDS,
  type MetaField,
  TEMPLATE_FIELDS,
  type TemplateField,
  type TemplateKey,
  type TemplateFieldTypes,
  type MetaFieldTypes,
  type MetaKey,
  type NormalizedFields,
  TIMESTAMP_SOURCES,
  type TimestampSource,
} from './field-vocabulary.js';
export type { TemplateValues } from './template-values-schema.js';
export { normalizeCountryCode } from './helpers/country-code.js';
export {
  firstPresent,
  getArray,
  getObject,
  getOwn,
  getPath,
  getString,
  idToString,
  isJsonObject,
  isSingleKeyObject,
  type JsonObject,
  ownFields,
} from './helpers/json-access.js';
export { currencyExponent, minorToMajor, normalizeCurrencyCode, parseDecimalAmount, sumMinorUnits } from './helpers/money.js';
export { isMissingName, NAME_READINGS, type PersonName, personName, toDisplayName, usableNamePart } from './helpers/person-name.js';
export { type NameOrder, withNameOrder } from './with-name-order.js';
export {
  containsEmail,
  containsIpAddress,
  containsPersonalData,
  containsPhoneNumber,
  containsStreetAddress,
  REDACTED,
  redactPersonalData,
} from './helpers/privacy.js';
export { cleanText, DEFAULT_MAX_TEXT_LENGTH, decodeHtmlEntities, MAX_TEXT_INPUT, stripHtmlTags, truncateText } from './helpers/text.js';
export { parseTimestamp } from './helpers/timestamp.js';
export { PROVIDER_ALIASES, PROVIDER_IDS, type ProviderId, providerAliasKey, resolveProviderId } from './provider-aliases.js';
export { fallbackNormalizer } from './providers/fallback.js';
export { DERIVED_FIELDS, type DerivedField, type RenderField } from './derived-fields.js';
export {
  DEFAULT_FALLBACKS,
  type RenderTemplateOptions,
  type RenderTemplateResult,
  type RenderableEvent,
  renderTemplate,
  type UnsafePlaceholder,
} from './render-template.js';
export type { UnsafeTemplateContext } from './html-context.js';
export type { CheckedTemplate, UnknownPlaceholderNames } from './checked-template.js';
export { type CanonicalCloudEvent, type ToCloudEventOptions, toCloudEvent } from './to-cloud-event.js';
