import type { CanonicalEvent } from './canonical-event-schema.js';
import { TEMPLATE_FIELDS, type TemplateField } from './field-vocabulary.js';
import { currencyExponent } from './helpers/money.js';

/** Text used when a known field is missing from the event (override per field with `fallbacks`). */
export const DEFAULT_FALLBACKS: Readonly<Partial<Record<TemplateField, string>>> = Object.freeze({
  customer_name: 'Someone',
  first_name: 'Someone',
});

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /** HTML-escape inserted values (default `true`). Turn off only for plain-text channels. */
  escapeHtml?: boolean;
  /** Text for missing fields, merged over {@link DEFAULT_FALLBACKS} (`{ city: 'nearby' }`). */
  fallbacks?: Partial<Record<TemplateField, string>>;
  /** Formats a field's value instead of the default (prices get their currency's decimals). */
  formatters?: Partial<Record<TemplateField, (value: string | number, event: CanonicalEvent) => string>>;
  /** What to put where an unknown placeholder was: `'keep'` its text (default) or `'empty'`. */
  unknownPlaceholders?: 'keep' | 'empty';
}

/** What {@link renderTemplate} returns. */
export interface RenderTemplateResult {
  /** The rendered text. */
  text: string;
  /** Placeholders that name no template field (`{{customer_nmae}}`), in order of appearance. */
  unknownPlaceholders: string[];
  /** Known fields the event lacks, rendered with their fallback (or empty). */
  missingFields: TemplateField[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

function defaultFormat(field: TemplateField, value: string | number, event: CanonicalEvent): string {
  if (field === 'price' && typeof value === 'number') {
    const exponent = currencyExponent(event.normalized[TEMPLATE_FIELDS.currency]);
    if (exponent !== undefined) return value.toFixed(exponent);
  }
  return String(value);
}

/**
 * Renders a popup template such as `{{customer_name}} from {{city}} just bought
 * {{product_name}}` from an event's `template.*` fields. `{{x}}` and `{{template.x}}` are the
 * same field. Values are HTML-escaped by default; missing fields get their fallback
 * (`Someone` for a name) and are listed in `missingFields`; placeholders that are not template
 * fields are listed in `unknownPlaceholders` and kept as written, so a typo shows in a preview
 * instead of silently vanishing.
 */
export function renderTemplate(template: string, event: CanonicalEvent, options: RenderTemplateOptions = {}): RenderTemplateResult {
  const escape = options.escapeHtml !== false;
  const unknownPlaceholders: string[] = [];
  const missingFields: TemplateField[] = [];
  const text = template.replace(PLACEHOLDER, (whole, rawName: string) => {
    const name = rawName.startsWith('template.') ? rawName.slice('template.'.length) : rawName;
    if (!Object.hasOwn(TEMPLATE_FIELDS, name)) {
      unknownPlaceholders.push(rawName);
      return options.unknownPlaceholders === 'empty' ? '' : whole;
    }
    const field = name as TemplateField;
    const value = event.normalized[TEMPLATE_FIELDS[field]];
    let rendered: string;
    if (typeof value === 'string' || typeof value === 'number') {
      const formatter = options.formatters?.[field];
      rendered = formatter === undefined ? defaultFormat(field, value, event) : formatter(value, event);
    } else {
      if (!missingFields.includes(field)) missingFields.push(field);
      rendered = options.fallbacks?.[field] ?? DEFAULT_FALLBACKS[field] ?? '';
    }
    return escape ? escapeHtml(rendered) : rendered;
  });
  return { text, unknownPlaceholders, missingFields };
}
