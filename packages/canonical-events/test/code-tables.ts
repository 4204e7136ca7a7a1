/**
 * The code tables written out as the standards list them, and the answers the core must give
 * over every pair and triple of letters. The source derives them from the platform's ICU data
 * (`Intl`) with a few pinned entries; Node, Deno and Chromium each check their answers here.
 */

export const ISO_3166_ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY ' +
  'BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK ' +
  'FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR ' +
  'IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ' +
  'ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
  'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF ' +
  'TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK';

export const ISO_4217 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
  'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
  'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD ' +
  'NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE ' +
  'SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED ' +
  'VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL';

/** ISO 4217's minor unit of each code whose minor unit is not 2; `N.A.` codes (metals, funds of account, tests) have none. */
const ISO_4217_MINOR_UNITS: Readonly<Record<string, number | undefined>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
  XAG: undefined, XAU: undefined, XBA: undefined, XBB: undefined, XBC: undefined, XBD: undefined, XDR: undefined, XPD: undefined,
  XPT: undefined, XSU: undefined, XTS: undefined, XUA: undefined, XXX: undefined,
};

/** What the core must answer, from the written-out tables: `code>resolved` per country, `code:exponent` per currency. */
export function expectedCodeAnswers(): { countries: string[]; currencies: string[] } {
  const listed = new Set(ISO_3166_ALPHA2.split(' '));
  const aliases: Record<string, string> = { UK: 'GB', EL: 'GR' };
  const countries: string[] = [];
  for (const first of LETTERS) for (const second of LETTERS) {
    const code = first + second;
    const resolved = aliases[code] ?? (listed.has(code) ? code : undefined);
    if (resolved !== undefined) countries.push(`${code}>${resolved}`);
  }
  const currencies = ISO_4217.split(' ').map((code) => `${code}:${Object.hasOwn(ISO_4217_MINOR_UNITS, code) ? ISO_4217_MINOR_UNITS[code] : 2}`);
  return { countries, currencies };
}

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The body of a function of the core module (`normalizeCountryCode`, `normalizeCurrencyCode`,
 * `currencyExponent`) that asks it about every pair and triple of letters: a string, so Deno and
 * Chromium run the same code as Node.
 */
export const CODE_ANSWERS_BODY = `
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const countries = [];
  const currencies = [];
  for (const a of letters) for (const b of letters) {
    const resolved = core.normalizeCountryCode(a + b);
    if (resolved !== undefined) countries.push(a + b + '>' + resolved);
    for (const c of letters) if (core.normalizeCurrencyCode(a + b + c) !== undefined) currencies.push(a + b + c + ':' + core.currencyExponent(a + b + c));
  }
  return { countries, currencies };`;
