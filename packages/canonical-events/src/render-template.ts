import type { CanonicalEvent } from './canonical-event-schema.js';
import type { CheckedTemplate } from './checked-template.js';
import { DERIVED_FIELDS, type DerivedField, type RenderField } from './derived-fields.js';
import { type NormalizedFields, TEMPLATE_FIELDS, type TemplateField } from './field-vocabulary.js';
import { getOwn, ownFields } from './helpers/json-access.js';
import { createHtmlContext, type UnsafeTemplateContext } from './html-context.js';
import { parseTemplate, type TemplateNode } from './parse-template.js';

/** Text used when a known field is missing from the event (override per field with `fallbacks`). */
export const DEFAULT_FALLBACKS: Readonly<Partial<Record<TemplateField, string>>> = /* @__PURE__ */ Object.freeze({
  customer_name: 'Someone',
  first_name: 'Someone',
});


/**
 * What {@link renderTemplate} reads of an event: its `timestamp` (for `{{time_ago}}`) and its
 * `normalized` fields, any of which may be missing. A {@link CanonicalEvent} is one; so is an
 * event a widget fetched as JSON with only the fields it shows.
 */
export interface RenderableEvent {
  /** When the event happened (ISO 8601). */
  timestamp?: string | undefined;
  /** The event's fields, typed as in a canonical event. */
  normalized: Partial<NormalizedFields>;
}

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /**
   * BCP 47 locale for `{{money}}` and `{{time_ago}}` (default `en`), or a list of them in order of
   * preference (`['de-CH', 'de']`), as `Intl` takes them. A locale `Intl` refuses leaves those
   * fields missing (their fallbacks apply).
   */
  locale?: string | readonly string[];
  /**
   * The current time, for `{{time_ago}}` (rendering is pure: without `now`, `time_ago` is
   * missing). A `Date`, epoch milliseconds or an ISO 8601 string. An event up to five minutes
   * after `now` (clock skew between the provider and the viewer) reads as now.
   */
  now?: Date | number | string;
  /**
   * HTML-escape inserted values and refuse unsafe HTML contexts (default `true`). Turn off only
   * for plain-text channels (an email subject, a push notification): the result is then not HTML.
   */
  escapeHtml?: boolean;
  /** Text for missing fields, merged over {@link DEFAULT_FALLBACKS} (`{ city: 'nearby' }`). */
  fallbacks?: Partial<Record<RenderField, string>>;
  /**
   * Formats a field's value instead of the default (prices get their currency's decimals). A
   * formatter that throws or returns neither a string nor a number falls back to the default.
   */
  formatters?: Partial<Record<RenderField, (value: string | number, event: RenderableEvent) => string>>;
  /** What to put where an unknown placeholder was: `'keep'` its text (default) or `'empty'`. */
  unknownPlaceholders?: 'keep' | 'empty';
}

/** A placeholder whose value was not inserted because of where it stands in the HTML. */
export interface UnsafePlaceholder {
  /** The placeholder as written, without braces (`product_name`). */
  placeholder: string;
  /** Where it stands; see {@link UnsafeTemplateContext}. */
  context: UnsafeTemplateContext;
}

/** What {@link renderTemplate} returns. */
export interface RenderTemplateResult {
  /** The rendered text. */
  text: string;
  /** Placeholders that name no template field (`{{customer_nmae}}`), in order of appearance. */
  unknownPlaceholders: string[];
  /** Known fields the event lacks, rendered with their fallback (or empty). */
  missingFields: RenderField[];
  /**
   * Placeholders left empty because no escaping makes a value safe where they stand (an
   * unquoted attribute, `<script>`, an `on*` attribute, a `javascript:` URL…), in order of
   * appearance. Always empty with `escapeHtml: false`.
   */
  unsafePlaceholders: UnsafePlaceholder[];
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char] as string);
}

/** The decimals of a currency (2 for USD, 0 for JPY) as `Intl` knows them, or `undefined`. */
function currencyDigits(currency: unknown): number | undefined {
  if (typeof currency !== 'string') return undefined;
  try {
    // Intl carries the ISO 4217 minor units, so the widget bundle needs no currency table.
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

function defaultFormat(field: RenderField, value: string | number, event: RenderableEvent): string {
  if (field === 'price' && typeof value === 'number') {
    const digits = currencyDigits(getOwn(event.normalized, TEMPLATE_FIELDS.currency));
    if (digits !== undefined) return value.toFixed(digits);
  }
  return String(value);
}

/** The short field a placeholder names (`x` and `template.x` alike), or `undefined`. */
function fieldOf(name: string): RenderField | undefined {
  if ((DERIVED_FIELDS as readonly string[]).includes(name)) return name as DerivedField;
  const short = name.startsWith('template.') ? name.slice('template.'.length) : name;
  return Object.hasOwn(TEMPLATE_FIELDS, short) ? (short as TemplateField) : undefined;
}

/** What `Intl` takes as locales. */
type Locales = string | string[];

/** `price` in `currency` for `locale`, or `undefined` when either is missing or unknown to Intl. */
function formatMoney(price: unknown, currency: unknown, locale: Locales): string | undefined {
  if (typeof price !== 'number' || typeof currency !== 'string') return undefined;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(price);
  } catch {
    return undefined;
  }
}

// Seconds per unit as literals, not products: a bundler keeps a top-level `365 * 24 * 3600` it
// cannot prove pure, so a widget importing only the registry would carry this table.
const RELATIVE_UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `3 minutes ago` from `timestamp` to `now` for `locale`, or `undefined` without a usable `now`. */
function formatTimeAgo(timestamp: unknown, now: unknown, locale: Locales): string | undefined {
  const then = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  const current = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : typeof now === 'string' ? Date.parse(now) : Number.NaN;
  if (!Number.isFinite(then) || !Number.isFinite(current)) return undefined;
  let seconds = Math.round((then - current) / 1000);
  // An event up to five minutes after `now` is the provider's clock ahead of the viewer's, not a
  // future event: it reads as now ("now", "jetzt"), never "in 1 minute".
  if (seconds > 0 && seconds <= 300) seconds = 0;
  const [unit, size] = RELATIVE_UNITS.find(([, length]) => Math.abs(seconds) >= length) ?? ['second', 1];
  try {
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.trunc(seconds / size), unit);
  } catch {
    return undefined;
  }
}

/** The options, read once; unreadable options (a throwing getter, a Proxy) count as none. */
function readOptions(options: RenderTemplateOptions) {
  try {
    const fallbacks = ownFields(getOwn(options, 'fallbacks'));
    const formatters = ownFields(getOwn(options, 'formatters'));
    const locale = getOwn(options, 'locale');
    return {
      escape: getOwn(options, 'escapeHtml') !== false,
      keepUnknown: getOwn(options, 'unknownPlaceholders') !== 'empty',
      fallbacks,
      formatters,
      // A list as Intl takes it (an array was ignored, so the widget fell back to English).
      locale: typeof locale === 'string' || Array.isArray(locale) ? (locale as Locales) : 'en',
      now: getOwn(options, 'now'),
    };
  } catch {
    return { escape: true, keepUnknown: true, fallbacks: {}, formatters: {}, locale: 'en' as Locales, now: undefined };
  }
}

/** A formatter's text, or `undefined` when it is not a function, throws or returns no string. */
function formatWith(formatter: unknown, value: string | number, event: RenderableEvent): string | undefined {
  if (typeof formatter !== 'function') return undefined;
  try {
    const text: unknown = formatter(value, event);
    return typeof text === 'string' ? text : typeof text === 'number' ? String(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Renders a popup template such as `{{customer_name}} from {{city}} just bought
 * {{product_name}}` from an event's `template.*` fields, in time linear in the template's length.
 *
 * - `{{x}}` and `{{template.x}}` are the same field. A missing field renders its fallback: the
 *   one written in the placeholder (`{{city | nearby}}`), else `options.fallbacks`, else
 *   {@link DEFAULT_FALLBACKS} (`Someone` for a name), else nothing; it is listed in
 *   `missingFields`.
 * - `{{#x}}…{{/x}}` renders its content only when `x` is present, `{{^x}}…{{/x}}` only when it
 *   is missing: `{{#city}} from {{city}}{{/city}}`.
 * - Placeholders that are not template fields are listed in `unknownPlaceholders` and kept as
 *   written, so a typo shows in a preview instead of silently vanishing.
 *
 * **HTML safety** (the default, `escapeHtml: true`): every inserted value, formatted values and
 * fallbacks included, is escaped (`& < > " ' \` =`). That makes a value safe in exactly two
 * contexts: **element text** (`<p>{{x}}</p>`, `<title>`, `<textarea>`) and **quoted attribute
 * values** (`alt="{{x}}"`, `title='{{x}}'`), plus URL attributes (`href="{{product_url}}"`) when
 * the URL then starts with `http:`, `https:`, `mailto:`, `tel:` or a relative path. Everywhere
 * else no escaping is enough, so the value is left out and the placeholder is listed in
 * `unsafePlaceholders`: unquoted attributes (`alt={{x}}`), tag and attribute names, comments,
 * `<script>` and `<style>` content, `on*` event handlers, `style` and `srcdoc` attributes, SVG
 * animation values, and a URL attribute the value would start with another scheme (`javascript:`).
 * The template itself is trusted markup and is not changed.
 *
 * A literal template is checked at compile time ({@link CheckedTemplate}): `'{{customer_nmae}}'`
 * does not compile; a `string` variable is checked at run time (`unknownPlaceholders`).
 */
export function renderTemplate<T extends string>(
  template: T extends CheckedTemplate<T> ? T : CheckedTemplate<T>,
  event: RenderableEvent,
  options: RenderTemplateOptions = {},
): RenderTemplateResult {
  const { escape, keepUnknown, fallbacks, formatters, locale, now } = readOptions(options);
  const normalized = event.normalized;
  const html = escape ? createHtmlContext() : undefined;
  const unknownPlaceholders: string[] = [];
  const missingFields: RenderField[] = [];
  const unsafePlaceholders: UnsafePlaceholder[] = [];
  const parts: string[] = [];

  const valueOf = (field: RenderField): string | number | undefined => {
    if (field === 'money') return formatMoney(getOwn(normalized, TEMPLATE_FIELDS.price), getOwn(normalized, TEMPLATE_FIELDS.currency), locale);
    if (field === 'time_ago') return formatTimeAgo(event.timestamp, now, locale);
    const value = getOwn(normalized, TEMPLATE_FIELDS[field]);
    return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
  };
  const literal = (text: string) => {
    html?.literal(text);
    parts.push(text);
  };
  const insert = (placeholder: string, text: string) => {
    const unsafe = html?.insert(text);
    if (unsafe !== undefined) unsafePlaceholders.push({ placeholder, context: unsafe });
    else parts.push(escape ? escapeHtml(text) : text);
  };

  const renderNodes = (nodes: readonly TemplateNode[]): void => {
    for (const node of nodes) {
      if (node.kind === 'text') {
        literal(node.text);
        continue;
      }
      const field = fieldOf(node.name);
      if (field === undefined) {
        unknownPlaceholders.push(node.name);
        if (node.kind === 'value') {
          if (keepUnknown) literal(node.raw);
        } else if (node.inverted) renderNodes(node.children);
        continue;
      }
      const value = valueOf(field);
      if (node.kind === 'section') {
        if ((value !== undefined) !== node.inverted) renderNodes(node.children);
        continue;
      }
      let text: string;
      if (value === undefined) {
        if (!missingFields.includes(field)) missingFields.push(field);
        const fallback = node.fallback ?? fallbacks[field] ?? getOwn(DEFAULT_FALLBACKS, field);
        text = typeof fallback === 'string' ? fallback : '';
      } else {
        text = formatWith(formatters[field], value, event) ?? defaultFormat(field, value, event);
      }
      insert(node.source, text);
    }
  };

  renderNodes(parseTemplate(typeof template === 'string' ? template : ''));
  return { text: parts.join(''), unknownPlaceholders, missingFields, unsafePlaceholders };
}
