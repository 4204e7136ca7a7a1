import { describe, expect, it } from 'vitest';
import { normalizeCountryCode, normalizeCurrencyCode } from '../src/index.js';

// The tables written out as the standards list them; the source packs them to keep widget bundles small.
const ISO_3166_ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY ' +
  'BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK ' +
  'FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR ' +
  'IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ' +
  'ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
  'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF ' +
  'TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK';

const ISO_4217 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
  'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
  'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD ' +
  'NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE ' +
  'SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED ' +
  'VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('code tables', () => {
  it('accepts exactly the ISO-3166-1 alpha-2 codes (and XK) among all 676 pairs of letters', () => {
    const listed = new Set(ISO_3166_ALPHA2.split(' '));
    for (const first of LETTERS) {
      for (const second of LETTERS) {
        const code = first + second;
        expect(normalizeCountryCode(code), code).toBe(listed.has(code) ? code : code === 'UK' ? 'GB' : code === 'EL' ? 'GR' : undefined);
        expect(normalizeCountryCode(` ${code.toLowerCase()} `), code).toBe(normalizeCountryCode(code));
      }
    }
  });

  it('accepts exactly the ISO-4217 codes among all 17,576 triples of letters', () => {
    const listed = new Set(ISO_4217.split(' '));
    for (const first of LETTERS) {
      for (const second of LETTERS) {
        for (const third of LETTERS) {
          const code = first + second + third;
          if (normalizeCurrencyCode(code) !== (listed.has(code) ? code : undefined)) expect(normalizeCurrencyCode(code), code).toBe(listed.has(code) ? code : undefined);
        }
      }
    }
    expect(normalizeCurrencyCode(' usd ')).toBe('USD');
  });

  it('upper-cases only ASCII letters: ß and dotless ı do not become codes', () => {
    // 'ß'.toUpperCase() is 'SS' (South Sudan), 'ßp' gives 'SSP' (its pound), 'ıt' gives 'IT'.
    expect(normalizeCountryCode('ß')).toBeUndefined();
    expect(normalizeCountryCode('ıt')).toBeUndefined();
    expect(normalizeCurrencyCode('ßp')).toBeUndefined();
    expect(normalizeCurrencyCode('ısk')).toBeUndefined();
  });
});
