import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * HTML from a template: every interpolated value is escaped (`& < > " '`) unless it is itself
 * `markup` (or `trusted`); arrays are joined, `null`/`undefined`/booleans render nothing.
 * Synchronous: the templates never interpolate promises, for which Hono's `html` would return one.
 */
export const markup = (strings: TemplateStringsArray, ...values: unknown[]): Markup => html(strings, ...values) as Markup;

/** Escaped HTML, safe to interpolate into {@link markup}. */
export type Markup = HtmlEscapedString;

/** Marks text as HTML without escaping it: only for constants of this package, never for data. */
export const trusted = (text: string): Markup => raw(text);
