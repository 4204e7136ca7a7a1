/**
 * Detectors for personal data that must never reach a popup (`template.*`): emails, phone
 * numbers, IP addresses and street addresses. They are deliberately eager, because showing a
 * visitor someone's address is worse than hiding a harmless string.
 */

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[^\s@<>()[\]"',;:]{2,}|\[email(?:\s|&#160;|&nbsp;)*protected\]/i;
const EMAIL_GLOBAL = new RegExp(EMAIL.source, 'gi');
const PHONE_RUN = /\+?\(?\d[\d\s().\-/]{5,}\d/g;
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?::[0-9a-f]{1,4})*/gi;
const STREET_SUFFIX =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|parkway|pkwy|highway|hwy|square|sq|strasse|straße|weg|gasse|allee|platz|rue|calle|via';
const STREET_ADDRESS = new RegExp(
  `\\b\\d{1,5}[a-z]?\\s+(?:[\\p{L}.'-]+\\s+){0,3}(?:${STREET_SUFFIX})\\b\\.?|\\b[\\p{L}'-]+(?:\\s+[\\p{L}'-]+)?\\s+(?:${STREET_SUFFIX})\\.?\\s+\\d{1,5}[a-z]?\\b|\\b[\\p{L}'-]*(?:strasse|straße|weg|gasse)\\s+\\d{1,5}[a-z]?\\b|\\bp\\.?\\s?o\\.?\\s+box\\s+\\d+`,
  'giu',
);

// A cheap test that must pass before the costly address pattern runs: a street word or a PO box.
const STREET_WORD = new RegExp(`(?:${STREET_SUFFIX})\\b|box\\s`, 'i');

function isPhoneRun(run: string): boolean {
  let digits = 0;
  for (const char of run) if (char >= '0' && char <= '9') digits++;
  return digits >= 9 && digits <= 15;
}

function isIpv6(candidate: string): boolean {
  return candidate.includes('::') ? /[0-9a-f]/i.test(candidate.replace(/::/g, '')) : candidate.split(':').length >= 6;
}

/** True when `text` contains an email address (including Cloudflare's `[email protected]`). */
export function containsEmail(text: string): boolean {
  // Both forms need an `@` or a `[`: one scan spares the pattern, which backtracks on long words.
  return (text.includes('@') || text.includes('[')) && EMAIL.test(text);
}

/** True when `text` contains a run of 9 to 15 digits written like a phone number. */
export function containsPhoneNumber(text: string): boolean {
  for (const run of text.match(PHONE_RUN) ?? []) if (isPhoneRun(run)) return true;
  return false;
}

/** True when `text` contains an IPv4 or IPv6 address. */
export function containsIpAddress(text: string): boolean {
  if (text.match(IPV4) !== null) return true;
  // An IPv6 address has colons: most text has none, and the pattern is costly on hex-like words.
  if (!text.includes(':')) return false;
  for (const candidate of text.match(IPV6) ?? []) if (isIpv6(candidate)) return true;
  return false;
}

/** True when `text` looks like it contains a street address (`123 Elm St.`, `Chestnut Street 92`). */
export function containsStreetAddress(text: string): boolean {
  if (!STREET_WORD.test(text)) return false;
  STREET_ADDRESS.lastIndex = 0;
  return STREET_ADDRESS.test(text);
}

// Every detector needs a digit, an `@`, a `:` (IPv6) or the `[` of `[email protected]`; most names and
// places have none, so one scan answers for them.
const MAYBE_PERSONAL = /[\d@[:]/;

/** True when `text` contains any personal data this module detects. */
export function containsPersonalData(text: string): boolean {
  if (!MAYBE_PERSONAL.test(text)) return false;
  return containsEmail(text) || containsPhoneNumber(text) || containsIpAddress(text) || containsStreetAddress(text);
}

/** Placeholder put where {@link redactPersonalData} removed something. */
export const REDACTED = '[…]';

/** `text` with every email, phone number, IP and street address replaced by {@link REDACTED}. */
export function redactPersonalData(text: string): string {
  if (!MAYBE_PERSONAL.test(text)) return text;
  let result = text.includes('@') || text.includes('[') ? text.replace(EMAIL_GLOBAL, REDACTED) : text;
  result = result.replace(IPV4, REDACTED);
  if (result.includes(':')) result = result.replace(IPV6, (candidate) => (isIpv6(candidate) ? REDACTED : candidate));
  result = result.replace(PHONE_RUN, (run) => (isPhoneRun(run) ? REDACTED : run));
  if (!STREET_WORD.test(result)) return result;
  STREET_ADDRESS.lastIndex = 0;
  return result.replace(STREET_ADDRESS, REDACTED);
}
