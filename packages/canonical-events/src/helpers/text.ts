/**
 * Plain text from provider strings that may hold HTML: tags removed, entities decoded,
 * whitespace collapsed, length capped. Linear-time regular expressions over an input first cut
 * to {@link MAX_TEXT_INPUT} characters keep the cost bounded on megabyte strings.
 */

/** Characters of an input string looked at; anything beyond is ignored before cleaning. */
export const MAX_TEXT_INPUT = 20_000;

/** Default cap for free text (reviews, testimonials), in characters. */
export const DEFAULT_MAX_TEXT_LENGTH = 500;

// Each named reference with its code point (0: the reference reads as nothing), sorted by code point
// and written as the step from the previous one: every core + provider bundle is 69-90 B (min+gzip)
// smaller than with a table of code points. Read into a map on the first named reference met.
const NAMED_ENTITY_STEPS =
  'shy0zwj0zwnj0nbsp32thinsp0ensp0emsp0quot2amp4apos1lt21gt2iexcl99cent1pound1yen2sect2copy2laquo2reg3deg2para6middot1raquo4iquest4Auml5Aring1Eacute4Ouml13times1Uuml5szlig3agrave1aacute1acirc1auml2aring1aelig1ccedil1egrave1eacute1ecirc1iacute3ntilde4oacute2ouml3divide1oslash1uacute2uuml2ndash7959mdash1lsquo4rsquo1sbquo1ldquo2rdquo1bdquo1dagger2bull2hellip4prime12Prime1euro121trade118';
let namedEntities: Map<string, number> | undefined;

function namedEntityCode(name: string): number {
  if (namedEntities === undefined) {
    namedEntities = new Map();
    let code = 0;
    for (const [, entity, step] of NAMED_ENTITY_STEPS.matchAll(/(\D+)(\d+)/g)) namedEntities.set(entity as string, (code += Number(step)));
  }
  return namedEntities.get(name) ?? -1;
}

const BLOCK_WITH_CONTENT = /<(script|style|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TAG = /<\/?[a-zA-Z!?][^<>]*>?/g;
// Phrasing elements sit inside a word or sentence (`<em>five</em>.`): removed without a space.
const INLINE_TAG = /<\/?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)(?:\s[^<>]*)?>/gi;
const ENTITY = /&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g;
const LEFTOVER_MARKUP = /[<>]/g;
const MARKUP_OR_ENTITY = /[<>&]/;
// White space other than a plain space (tabs, line breaks, no-break and typographic spaces) and
// control or zero-width characters: one character class, which engines scan far faster than the
// alternatives it replaces; doubled or edge spaces are then checked without a pattern.
const ODD_SPACE_OR_CONTROL = /[\u0000-\u001F\u007F\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]/;
// Control characters (except tab/newline, folded into spaces later) never belong in a popup.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\u2028\u2029\uFEFF]/g;

function decodeEntity(match: string, body: string): string {
  // `Number` reads `0x1F600` as hexadecimal and `039` as decimal: the pattern allows nothing else.
  const code = body.startsWith('#') ? Number(`0${body.slice(1)}`) : namedEntityCode(body);
  if (code < 0) return match;
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '' : String.fromCodePoint(code);
}

/** Decodes HTML character references (`&ndash;` → `–`, `&#39;` → `'`, `&#x1F600;` → 😀). */
export function decodeHtmlEntities(text: string): string {
  return text.includes('&') ? text.replace(ENTITY, decodeEntity) : text;
}

/**
 * Removes HTML tags (and the content of script/style blocks): inline tags (`<b>`, `<em>`, `<a>`…)
 * vanish, any other tag leaves a space, so `<p>a</p><p>b</p>` reads `a b` and `<em>x</em>.` reads `x.`.
 */
export function stripHtmlTags(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(BLOCK_WITH_CONTENT, ' ').replace(INLINE_TAG, '').replace(TAG, ' ');
}

/** Cuts `text` to at most `max` characters on a code-point boundary, ending with `…` when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return `${codePoints.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/**
 * Plain, single-line text for a popup: tags stripped, entities decoded (then stripped again,
 * so `&lt;b&gt;` cannot smuggle markup), `<`/`>` removed, control characters dropped,
 * whitespace collapsed, trimmed and capped at `maxLength` characters. Non-strings and strings
 * that end up empty give `undefined`.
 */
export function cleanText(value: unknown, maxLength: number = DEFAULT_MAX_TEXT_LENGTH): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.length > MAX_TEXT_INPUT ? value.slice(0, MAX_TEXT_INPUT) : value;
  // A lone `>` is markup residue too (`A>`), so it takes the slow path like `<` and `&`.
  if (MARKUP_OR_ENTITY.test(text)) {
    text = stripHtmlTags(decodeHtmlEntities(stripHtmlTags(text))).replace(LEFTOVER_MARKUP, ' ');
  }
  // Most strings are already plain and single-spaced: one test spares three rewrites.
  if (ODD_SPACE_OR_CONTROL.test(text) || text.includes('  ') || text[0] === ' ' || text[text.length - 1] === ' ') text = text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  if (text.length === 0) return undefined;
  return truncateText(text, maxLength);
}
