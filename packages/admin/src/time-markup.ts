import { type Markup, markup } from './markup.js';

/** An ISO 8601 instant as the stores and the plans write it (`2026-03-02T09:00:00.000Z`, or an offset). */
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * A time as operators read it, `2026-03-02 09:00 UTC`, in a `<time datetime="…">` that keeps the
 * exact ISO 8601 instant for machines (and for a title a browser could show); a value that is no
 * time is shown as given.
 */
export function timeMarkup(time: number | string): Markup {
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) return markup`${String(time)}`;
  const iso = at.toISOString();
  return markup`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/**
 * Text with every ISO 8601 instant in it (a plan's decision: `paused by alice at
 * 2026-03-02T12:00:00.000Z`) rendered by {@link timeMarkup}; the rest of the text escaped.
 */
export function textWithTimes(text: string): Markup {
  const parts: (string | Markup)[] = [];
  let last = 0;
  for (const match of text.matchAll(ISO_INSTANT)) {
    parts.push(text.slice(last, match.index), timeMarkup(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return markup`${parts}`;
}
