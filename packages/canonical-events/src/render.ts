/**
 * `@app/canonical-events/render`: what a widget needs to show canonical events — template
 * rendering, the CloudEvents form and the field vocabulary — without zod or any normalizer, so
 * a browser bundle stays small.
 *
 * @packageDocumentation
 */
export type { CanonicalEvent, NormalizedValue } from './canonical-event-schema.js';
export {
  EVENT_KINDS,
  type EventKind,
  META_FIELDS,
  type MetaField,
  TEMPLATE_FIELDS,
  type TemplateField,
  type TemplateKey,
  type TemplateFieldTypes,
  type MetaFieldTypes,
  type MetaKey,
  type NormalizedFields,
} from './field-vocabulary.js';
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
