import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import { currencyExponent, normalizeCountryCode, normalizeCurrencyCode } from '../src/index.js';
import { CODE_ANSWERS_BODY, expectedCodeAnswers, ISO_3166_ALPHA2, ISO_4217, LETTERS } from './code-tables.js';


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

  it('gives every ISO-4217 code its minor unit, and none to metals and test codes', () => {
    const expected = expectedCodeAnswers().currencies;
    expect(ISO_4217.split(' ').map((code) => `${code}:${currencyExponent(code)}`)).toEqual(expected);
    expect(ISO_4217.split(' ').map((code) => `${code}:${currencyExponent(` ${code.toLowerCase()} `)}`)).toEqual(expected);
  });

  it('answers for every pair and triple of letters as the written-out tables do (the check Deno and Chromium run too)', () => {
    const answers = new Function('core', CODE_ANSWERS_BODY)(core) as { countries: string[]; currencies: string[] };
    expect(answers).toEqual(expectedCodeAnswers());
  });

  it('upper-cases only ASCII letters: ß and dotless ı do not become codes', () => {
    // 'ß'.toUpperCase() is 'SS' (South Sudan), 'ßp' gives 'SSP' (its pound), 'ıt' gives 'IT'.
    expect(normalizeCountryCode('ß')).toBeUndefined();
    expect(normalizeCountryCode('ıt')).toBeUndefined();
    expect(normalizeCurrencyCode('ßp')).toBeUndefined();
    expect(normalizeCurrencyCode('ısk')).toBeUndefined();
  });
});
