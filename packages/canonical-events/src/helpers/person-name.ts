/**
 * Display names that protect privacy: a first name and the initial of the last name
 * (`John D.`), never a full last name, and nothing when the "name" is a placeholder.
 */
import { getOwn } from './json-access.js';
import { cleanText } from './text.js';
import { containsPersonalData } from './privacy.js';

const MAX_NAME_LENGTH = 40;
// URLs, handles and digit runs (ids, phone fragments) are never names.
const NOT_A_NAME = /https?:|www\.|@|\d{3}/i;

// Compared after lower-casing and dropping everything but letters.
const PLACEHOLDER_NAMES: ReadonlySet<string> = new Set(
  'null undefined none nil na nan anonymous anon unknown customer client guest user someone somebody test tester testuser testtest name firstname lastname fullname customername username yourname givenname surname familyname buyer member visitor xxx abc asdf placeholder example sample samplename string valeur value'.split(
    ' ',
  ),
);

/**
 * The key under which {@link personName} leaves, in its result, the name it derived read family
 * name first, spread along with the name fields: the core trusts a `customer_name` equal to it
 * (`太郎`, a one-word given name it split off, which the core alone cannot tell from an unsplit
 * full name such as `山田太郎`), and {@link withNameOrder} shows it for family-first audiences
 * (`"Nagy Péter"` → `Péter`). The symbol is this module's own: a name built by another copy of the
 * package is checked again like any normalizer's, which can only hide a name, never show one.
 */
export const NAME_READINGS: unique symbol = Symbol('name readings');

/** What {@link personName} returns: the three `template.*` name fields. */
export interface PersonName {
  /** `First L.`, or just `First` when no usable last name exists. */
  customer_name: string;
  /** The first name as given (trimmed, plain text). */
  first_name: string;
  /** Upper-case initial of the last name, without the dot, or `undefined`. */
  last_initial: string | undefined;
  /** The name read family name first, see {@link NAME_READINGS}. */
  [NAME_READINGS]?: string;
}

/** A cleaned name part, or `undefined` when it is empty, a placeholder, an email or other personal data. */
export function usableNamePart(value: unknown): string | undefined {
  const text = cleanText(value, 200);
  if (text === undefined || text.length > 100) return undefined;
  if (!/\p{L}/u.test(text)) return undefined;
  if (NOT_A_NAME.test(text) || containsPersonalData(text)) return undefined;
  const folded = text.toLowerCase().replace(/[^\p{L}]/gu, '');
  if (folded.length === 0 || PLACEHOLDER_NAMES.has(folded)) return undefined;
  return text;
}

/** True when `value` does not hold a usable name (empty, `"null"`, `"Anonymous"`, an email, a placeholder). */
export function isMissingName(value: unknown): boolean {
  return usableNamePart(value) === undefined;
}

function initialOf(part: string): string | undefined {
  const letter = /\p{L}/u.exec(part);
  if (letter === null) return undefined;
  // 'ß'.toUpperCase() is 'SS': an initial stays one letter.
  // (Compared in UTF-16 units: no letter's upper case changes its code point count but not its length.)
  const upper = letter[0].toUpperCase();
  return upper.length === letter[0].length ? upper : letter[0];
}

/** Without trailing punctuation, and at most {@link MAX_NAME_LENGTH} characters, cut at a word. */
function tidyFirstName(first: string): string {
  first = first.replace(/[\s,;:.]+$/u, '');
  return first.length > MAX_NAME_LENGTH ? (first.slice(0, MAX_NAME_LENGTH).split(' ')[0] as string) : first;
}

/** The last word after the first that has a letter: `"John Smith -"` still has the last name Smith. */
function lastNameWord(words: readonly string[]): string | undefined {
  for (let i = words.length - 1; i > 0; i--) if (/\p{L}/u.test(words[i] as string)) return words[i];
  return undefined;
}

/** `first` without a trailing copy of `last` (case-insensitive), or `first` when it has none. */
function withoutTrailingName(first: string, last: string): string {
  const suffix = ` ${last}`;
  return first.length > suffix.length && first.toLowerCase().endsWith(suffix.toLowerCase()) ? first.slice(0, -suffix.length).trimEnd() : first;
}

/**
 * `"Smith, John"` (one word, a comma, then the given names) is the "Last, First" order of
 * directories and billing systems: read the part after the comma as the first name.
 */
function fromLastCommaFirst(full: string): { first: string; last: string } | undefined {
  const match = /^([^\s,]+)\s*,\s*([^,]+)$/u.exec(full);
  if (match === null) return undefined;
  const last = match[1] as string;
  const first = (match[2] as string).trim();
  return first.length > 0 && /\p{L}/u.test(first) ? { first, last } : undefined;
}

/** `"Jane Doe, CEO at Acme"`: a title after the comma is not part of the name. */
function withoutCommaSuffix(full: string): string {
  const comma = full.indexOf(',');
  return comma > 0 ? full.slice(0, comma).trim() : full;
}

// Scripts whose names are written family name first (Chinese, Japanese, Korean).
const FAMILY_NAME_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Builds the popup name from whatever a provider has: separate first and last names, or one full
 * name (`"Steve Shipper"` → `Steve S.`). A first name alone (`"Martin"`) is kept; a last name
 * alone gives nothing, since an initial is not a name. When only a multi-word first name exists
 * its last word is treated as the last name, so a full name typed into a first-name box still
 * shows as `First L.`. Names in family-name-first scripts (Chinese, Japanese, Korean) show the
 * given name alone (`山田 太郎` → `太郎`), and nothing when they cannot be split (one word, such as
 * `王明`, is shown only from a first-name field beside a last name). A full name in
 * Latin letters is read given name first (`Nagy Péter` → `Nagy P.`): the order cannot be told from
 * its letters, so for audiences whose names come family name first wrap the normalizers with
 * {@link withNameOrder} (or pass `nameOrder` to `normalizeEvent`), which shows `Péter`. Returns
 * `undefined` when no usable first name exists.
 */
export function personName(parts: { first?: unknown; last?: unknown; full?: unknown }): PersonName | undefined {
  // Own reads: a part left out must stay missing even when Object.prototype is polluted.
  let first = usableNamePart(getOwn(parts, 'first'));
  let last = usableNamePart(getOwn(parts, 'last'));
  const givenFull = first === undefined ? usableNamePart(getOwn(parts, 'full')) : undefined;
  // The given name read family name first, for the core (see NAME_READINGS).
  let reading: string | undefined;
  if (FAMILY_NAME_FIRST.test(first ?? givenFull ?? last ?? '')) {
    // Family name first (Chinese, Japanese, Korean): the given name alone, never the family name
    // nor its initial (one character of a Chinese or Japanese family name is most of it). It is
    // the last word of the first-name field or of a full name (`山田 太郎` → `太郎`); one word
    // cannot be split and may be a whole name (`王明`, `山田太郎`), so it is shown only from a
    // first-name field beside a last name.
    const words = (first ?? withoutCommaSuffix(givenFull ?? '')).split(' ');
    first = (first === undefined || last === undefined) && words.length < 2 ? undefined : words[words.length - 1];
    if (first === undefined || !/\p{L}/u.test(first)) return undefined;
    last = undefined;
    reading = first;
  } else {
    // A full name typed into the first-name box beside the last name ("John Smith" + "Smith").
    if (first !== undefined && last !== undefined) first = withoutTrailingName(first, last);
    if (first === undefined) {
      // The full name was read and checked above, once.
      if (givenFull === undefined) return undefined;
      const ordered = fromLastCommaFirst(givenFull);
      if (ordered !== undefined) return personName(ordered);
      const words = withoutCommaSuffix(givenFull).split(' ');
      first = words[0];
      if (last === undefined) last = lastNameWord(words);
      // Family name first, the given name is the last word. A lone word is taken as a given name in
      // either order (a Latin-script full name has a space between its names).
      reading = lastNameWord(words) ?? first;
    } else if (last === undefined && first.includes(' ')) {
      const words = first.split(' ');
      first = words[0];
      last = lastNameWord(words);
    }
  }
  if (first === undefined) return undefined;
  first = tidyFirstName(first);
  if (first.length === 0) return undefined;
  const initial = last === undefined ? undefined : initialOf(last);
  return { customer_name: initial === undefined ? first : `${first} ${initial}.`, first_name: first, last_initial: initial, ...(reading && { [NAME_READINGS]: tidyFirstName(reading) }) };
}

/**
 * Reduces an already-built display name to the privacy rule: kept when its last word is an
 * initial (`Mary Ann S.`) or it is one word, otherwise re-derived with {@link personName}
 * (`"Bob Norman"` → `Bob N.`). A name in Chinese, Japanese or Korean script is always re-derived,
 * so a single word there (`山田太郎`, which may be a whole name) gives `undefined`: only
 * {@link personName} can vouch for a one-word given name such as `太郎`. `undefined` when the
 * name is not usable.
 */
export function toDisplayName(value: unknown): string | undefined {
  const name = usableNamePart(value);
  if (name === undefined) return undefined;
  // Kept as given when short, in a given-name-first script, and one word or ending in an initial.
  return !FAMILY_NAME_FIRST.test(name) && name.length <= MAX_NAME_LENGTH + 3 && (!name.includes(' ') || /\s\p{L}\.$/u.test(name)) ? name : personName({ full: name })?.customer_name;
}
