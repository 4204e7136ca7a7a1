/** ISO-3166-1 alpha-2 country codes, with the common non-ISO spellings providers send. */

// The regions ICU names (English display names, from the platform, not the bundle) that are not
// ISO-3166-1 alpha-2 codes: exceptionally reserved (AC, EU…), withdrawn (AN, SU, YU…), private
// use (QO, XA, XB, ZZ). XK, Kosovo's user-assigned code, is named by ICU and kept.
const NOT_ISO_3166 = 'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ';

let regionNames: Intl.DisplayNames | undefined;
// Each code asked once: a display-name lookup costs more than a Map hit, on every event.
const assigned = new Map<string, boolean>();


function isAssigned(code: string): boolean {
  let known = assigned.get(code);
  if (known === undefined) {
    regionNames ??= new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });
    // Two letters between spaces can only match a whole entry of the list.
    known = regionNames.of(code) !== undefined && !NOT_ISO_3166.includes(code);
    assigned.set(code, known);
  }
  return known;
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
  // Codes used in the wild that are not ISO-3166 alpha-2: UK, and the EU's EL for Greece.
  const resolved = code === 'UK' ? 'GB' : code === 'EL' ? 'GR' : code;
  return isAssigned(resolved) ? resolved : undefined;
}
