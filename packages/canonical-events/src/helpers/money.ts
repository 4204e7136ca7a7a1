/**
 * Money without float drift. Amounts are moved between minor and major units by moving the
 * decimal point in the digit string (an exponent: `"1199e-2"`), then converted once with
 * `Number()`, which rounds correctly: `minorToMajor(1199, 'USD')` is exactly the double `Number("11.99")`.
 */

/**
 * The currency list comes from the platform's ICU data (`Intl`, complete in browsers, Deno and
 * official Node builds) rather than the bundle; a widget's bundle is the smaller by a quarter of
 * a kilobyte. Where ICU answers differently from ISO 4217, in any of Node, Deno or Chromium, the
 * ISO answer is written here; tests hold all three runtimes to the written-out ISO tables.
 */

// ISO codes that `Intl.supportedValuesOf('currency')` leaves out: funds codes (BOV, CHE…),
// metals and test codes, and codes newer than some runtimes' ICU (SLE, VED, XCG, ZWG).
const NOT_LISTED_BY_ICU = 'BOV CHE CHW CLF COU MXV SLE USN UYI UYW VED XAG XAU XBA XBB XBC XBD XCG XPD XPT XTS XUA XXX ZWG';

// ISO 4217's minor unit where it is not 2. Written out rather than read from ICU, whose CLDR data
// gives a score of codes 0 decimals where ISO says 2 (and differs between Node, Deno and Chromium).
const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
// Codes without a minor unit (metals, SDR, test codes): amounts in them cannot be scaled.
const NO_MINOR_UNIT = 'XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX';

// Built on first use, so a cold start that never meets a currency never asks ICU.
let isoCodes: ReadonlySet<string> | undefined;

/** The ISO-4217 code (upper-cased, trimmed) when `value` names a known currency, else `undefined`. */
export function normalizeCurrencyCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // Three ASCII letters before upper-casing: 'ßp'.toUpperCase() is 'SSP'.
  if (!/^[a-z]{3}$/i.test(trimmed)) return undefined;
  const code = trimmed.toUpperCase();
  isoCodes ??= new Set([...Intl.supportedValuesOf('currency'), ...NOT_LISTED_BY_ICU.split(' ')]);
  return isoCodes.has(code) ? code : undefined;
}

/**
 * Number of decimals of a currency's minor unit (JPY 0, USD 2, KWD 3, CLF 4), or `undefined`
 * for unknown codes and codes without a minor unit (XAU…).
 */
export function currencyExponent(currency: unknown): number | undefined {
  const code = normalizeCurrencyCode(currency);
  if (code === undefined || NO_MINOR_UNIT.includes(code)) return undefined;
  // Three letters between spaces can only match a whole entry of these lists.
  return ZERO_DECIMALS.includes(code) ? 0 : THREE_DECIMALS.includes(code) ? 3 : FOUR_DECIMALS.includes(code) ? 4 : 2;
}

const DECIMAL = /^[+-]?\d{1,30}(?:\.\d{1,30})?$/;

/** The canonical decimal text of a finite number or a plain decimal string, else `undefined`. */
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const text = String(value);
    return text.includes('e') ? undefined : text;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return DECIMAL.test(text) ? text : undefined;
}

/**
 * A major-unit amount from a number or a plain decimal string (`"388.00"`, `"29.35"`, `12`).
 * Formatted strings (`"$11.99"`, `"1,234.50"`), placeholders and non-finite numbers give `undefined`.
 */
export function parseDecimalAmount(value: unknown): number | undefined {
  const text = decimalText(value);
  return text === undefined ? undefined : Number(text);
}

/**
 * Converts an amount in minor units (Stripe `amount`, Paddle Billing `"65215"`, Gumroad cents)
 * to major units by the currency's ISO-4217 exponent: `minorToMajor(1199, 'usd')` → 11.99,
 * `minorToMajor(500, 'JPY')` → 500, `minorToMajor(1234, 'KWD')` → 1.234. `undefined` when the
 * amount is not a number/decimal string or the currency is unknown.
 */
export function minorToMajor(amount: unknown, currency: unknown): number | undefined {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return undefined;
  // IEEE division is correctly rounded: for a safe integer (and 10 ** exponent, exact) it gives
  // exactly the double nearest the true quotient, which is what parsing the decimal text gives.
  if (Number.isSafeInteger(amount)) return (amount as number) / 10 ** exponent;
  // `Number` parses "1500.5e-2" to the double nearest 15.005, as it would the shifted "15.005":
  // the decimal point moves in the text, never through float arithmetic.
  const text = decimalText(amount);
  return text === undefined ? undefined : Number(`${text}e-${exponent}`);
}

/**
 * Sums integer minor-unit amounts exactly (e.g. unit price × quantity over line items) and
 * returns the total in minor units, or `undefined` when any part is not a safe integer.
 */
export function sumMinorUnits(parts: ReadonlyArray<{ amount: unknown; quantity?: unknown }>): number | undefined {
  let total = 0;
  for (const part of parts) {
    const amount = typeof part.amount === 'string' && /^\d{1,15}$/.test(part.amount.trim()) ? Number(part.amount) : part.amount;
    const quantity = part.quantity ?? 1;
    if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(quantity)) return undefined;
    total += (amount as number) * (quantity as number);
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return total;
}
