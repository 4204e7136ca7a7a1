const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = new Set([123, 91]);
const CLOSE = new Set([125, 93]);
const NUMBER_CHARACTER = /[0-9.eE+-]/;

/**
 * Parses a whole row as `row_to_json(…)::text` gives it (one JSON object, a member per column),
 * keeping every integer column past 2^53 exact as its decimal text: `JSON.parse` alone would turn
 * owner 9007199254740993 into …992, another tenant's owner. Only the row's own members (the
 * columns) are kept so; numbers inside a JSON column are parsed as they always are.
 *
 * The row is read as json text rather than through `jsonb`, because a legacy json column keeps
 * what jsonb cannot hold (`"\u0000"`): jsonb would fail the whole read for one such row.
 */
export function parseRowJson(text: string): Record<string, unknown> {
  let kept = '';
  let copiedUpTo = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // Skips the string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (OPEN.has(code)) {
      depth++;
    } else if (CLOSE.has(code)) {
      depth--;
    } else if (depth === 1 && (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9))) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHARACTER.test(text[end]!)) end++;
      const literal = text.slice(i, end);
      if (/^-?[0-9]{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        kept += `${text.slice(copiedUpTo, i)}"${literal}"`;
        copiedUpTo = end;
      }
      i = end - 1;
    }
  }
  return JSON.parse(kept + text.slice(copiedUpTo)) as Record<string, unknown>;
}
