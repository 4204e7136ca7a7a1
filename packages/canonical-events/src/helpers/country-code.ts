/** ISO-3166-1 alpha-2 country codes, with the common non-ISO spellings providers send. */

/**
 * The assigned ISO-3166-1 alpha-2 codes (and XK, Kosovo's user-assigned code), one 26-bit mask per
 * first letter in base 36: bit n set means the second letter is the n-th of the alphabet. A tenth
 * of the size of the list written out, which matters in a widget's bundle; a test holds it equal
 * to the written-out list.
 */
const SECOND_LETTERS_BY_FIRST = 'sox2w ybdob 13fegd jznrk jo44 3abk dq22j 10t1c lq8o 153k wkgr4 cepl3 13ycxp kpks5 35s d1hpt 1 3accw 10rw7z o4s18 u4hmp mno5 5mao sg b8k0 2hzi9'
  .split(' ')
  .map((mask) => Number.parseInt(mask, 36));

// Codes used in the wild that are not ISO-3166 alpha-2 (UK, the EU's EL for Greece).
const COUNTRY_CODE_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

function isAssigned(code: string): boolean {
  const mask = SECOND_LETTERS_BY_FIRST[code.charCodeAt(0) - 65];
  return mask !== undefined && ((mask >> (code.charCodeAt(1) - 65)) & 1) === 1;
}

/**
 * The ISO-3166-1 alpha-2 code for `value` (`"us"` → `US`, `"UK"` → `GB`), or `undefined` when
 * it is not a known two-letter code.
 */
export function normalizeCountryCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // Two ASCII letters before upper-casing: 'ß'.toUpperCase() is 'SS' and 'ı' becomes 'I'.
  if (!/^[a-z]{2}$/i.test(trimmed)) return undefined;
  const code = trimmed.toUpperCase();
  const resolved = (Object.hasOwn(COUNTRY_CODE_ALIASES, code) ? COUNTRY_CODE_ALIASES[code] : undefined) ?? code;
  return isAssigned(resolved) ? resolved : undefined;
}
