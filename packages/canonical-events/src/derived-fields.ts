import type { TemplateField } from './field-vocabulary.js';

/**
 * Placeholders computed from several fields: `money` is `price` in `currency`, formatted by
 * `Intl.NumberFormat` for `options.locale` (`$388.00`, `388,00 €`); `time_ago` is the time from
 * the event's `timestamp` to `options.now`, by `Intl.RelativeTimeFormat` (`3 minutes ago`,
 * `gestern`). Each is missing (fallback, sections) when a field it needs is.
 */
export const DERIVED_FIELDS = ['money', 'time_ago'] as const;

/** One of {@link DERIVED_FIELDS}. */
export type DerivedField = (typeof DERIVED_FIELDS)[number];

/** What a placeholder can name: a template field or a derived one. */
export type RenderField = TemplateField | DerivedField;
