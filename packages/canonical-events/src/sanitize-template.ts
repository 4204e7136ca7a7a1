import { EXPECTED_FIELDS_BY_KIND, type EventKind } from './field-vocabulary.js';
import { NAME_READINGS, toDisplayName, usableNamePart } from './helpers/person-name.js';
import { containsPersonalData } from './helpers/privacy.js';
import { ownValue } from './helpers/json-access.js';
import { cleanText } from './helpers/text.js';
import type { TemplateFieldRule } from './template-field-rules.js';

/** The template part of a canonical event after the core's checks. */
export interface SanitizedTemplate {
  /** `template.*` key → value, only for filled fields, in vocabulary order. */
  values: Record<string, string | number>;
  /** Comma-separated expected fields for the kind that are not filled (`""` when none). */
  missing: string;
  /** Comma-separated fields dropped because they held personal data (`""` when none). */
  redacted: string;
  isAnonymous: boolean;
}

// The `template.*` keys each kind expects, built on first use of the kind rather than per event.
const expectedKeys: Partial<Record<EventKind, readonly string[]>> = {};

/**
 * Applies the package's rules to whatever a normalizer returned, so no provider file can put
 * markup, a full last name, an email or an invalid code into `template.*`: the kind and the name
 * fields by the core itself, every other field by the normalizer's `rules` (a field without a rule
 * is left out). Fields are written in vocabulary order, so every event lists its keys the same way.
 */
export function sanitizeTemplate(given: unknown, maxTextLength: number, rules: readonly TemplateFieldRule[]): SanitizedTemplate {
  // Only the normalizer's own enumerable fields count, each read once (no copy of the object): a
  // field it left out stays missing even when Object.prototype is polluted, and a getter runs once.
  // A primitive has no own enumerable field, so every read of one gives undefined.
  const template = given as object;
  const kind = ownValue(template, 'event_kind');
  const eventKind: EventKind = typeof kind === 'string' && Object.hasOwn(EXPECTED_FIELDS_BY_KIND, kind) ? (kind as EventKind) : 'custom';
  const values: Record<string, string | number> = { 'template.event_kind': eventKind };
  const redacted: string[] = [];

  const givenName = ownValue(template, 'customer_name');
  // A name personName derived vouches for itself (see NAME_READINGS): its one-word given name in a
  // family-name-first script (`太郎`) cannot be told from an unsplit `山田太郎` by looking at it.
  const displayName = ownValue(template, NAME_READINGS) === givenName ? (givenName as string | undefined) : toDisplayName(givenName);
  if (displayName !== undefined) {
    values['template.customer_name'] = displayName;
    // first_name may only repeat the start of the display name, so it cannot carry a last name.
    // A first name that stays one word once cleaned can only be the display name's first word,
    // the fallback below, so only one with white space, a tag or an entity is checked again.
    const givenFirst = ownValue(template, 'first_name');
    const first = typeof givenFirst === 'string' && /[\s<>&]/.test(givenFirst) ? usableNamePart(givenFirst) : undefined;
    values['template.first_name'] = first !== undefined && (displayName === first || displayName.startsWith(`${first} `)) ? first : (displayName.split(' ')[0] as string);
    // The initial is the one the display name shows, whether or not the normalizer gave it.
    const initial = /\s(\p{L})\.$/u.exec(displayName)?.[1];
    if (initial !== undefined) values['template.last_initial'] = initial;
  } else {
    const rawName = cleanText(givenName);
    if (rawName !== undefined && containsPersonalData(rawName)) redacted.push('template.customer_name');
  }

  for (const rule of rules) rule(values, redacted, template, maxTextLength);

  let missing = '';
  for (const key of (expectedKeys[eventKind] ??= EXPECTED_FIELDS_BY_KIND[eventKind].map((field) => `template.${field}`))) {
    if (!Object.hasOwn(values, key)) missing = missing === '' ? key : `${missing},${key}`;
  }
  return { values, missing, redacted: redacted.join(','), isAnonymous: displayName === undefined };
}
