import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, minorToMajor, normalizeCurrencyCode, parseDecimalAmount, sumMinorUnits } from '../src/index.js';

describe('money', () => {
  it('knows ISO-4217 exponents: zero-decimal, three-decimal, four-decimal, default two', () => {
    for (const code of ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'XOF', 'XAF', 'UGX']) expect(currencyExponent(code)).toBe(0);
    for (const code of ['BHD', 'KWD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD']) expect(currencyExponent(code)).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
    for (const code of ['USD', 'eur', ' gbp ', 'CAD']) expect(currencyExponent(code)).toBe(2);
    expect(currencyExponent('XAU')).toBeUndefined();
    expect(currencyExponent('ABC')).toBeUndefined();
    expect(currencyExponent('$')).toBeUndefined();
  });

  it('upper-cases and validates currency codes', () => {
    expect(normalizeCurrencyCode('usd')).toBe('USD');
    expect(normalizeCurrencyCode(' Eur ')).toBe('EUR');
    expect(normalizeCurrencyCode('CFA')).toBeUndefined();
    expect(normalizeCurrencyCode('US Dollar')).toBeUndefined();
    expect(normalizeCurrencyCode(840)).toBeUndefined();
  });

  it('converts minor units by exponent, from numbers and digit strings', () => {
    expect(minorToMajor(1199, 'usd')).toBe(11.99);
    expect(minorToMajor('65215', 'USD')).toBe(652.15);
    expect(minorToMajor(500, 'JPY')).toBe(500);
    expect(minorToMajor(1234, 'KWD')).toBe(1.234);
    expect(minorToMajor(5, 'BHD')).toBe(0.005);
    expect(minorToMajor(7, 'USD')).toBe(0.07);
    expect(minorToMajor(0, 'USD')).toBe(0);
    expect(minorToMajor(-250, 'USD')).toBe(-2.5);
    expect(minorToMajor('1500.5', 'USD')).toBe(15.005);
    expect(minorToMajor(1199, 'ZZZ')).toBeUndefined();
    expect(minorToMajor('12,00', 'USD')).toBeUndefined();
    expect(minorToMajor(Number.NaN, 'USD')).toBeUndefined();
  });

  it('parses decimal strings exactly as written (no float drift)', () => {
    expect(parseDecimalAmount('388.00')).toBe(388);
    expect(parseDecimalAmount('29.35')).toBe(29.35);
    expect(parseDecimalAmount('0.1')).toBe(0.1);
    expect(parseDecimalAmount(' 912.59 ')).toBe(912.59);
    expect(parseDecimalAmount(12)).toBe(12);
    expect(parseDecimalAmount('$11.99')).toBeUndefined();
    expect(parseDecimalAmount('1,234.50')).toBeUndefined();
    expect(parseDecimalAmount('unit_price')).toBeUndefined();
    expect(parseDecimalAmount('')).toBeUndefined();
    expect(parseDecimalAmount(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('law: minor → major equals parsing the decimal text written by hand', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('USD', 'JPY', 'KWD'), (minor, currency) => {
        const exponent = currencyExponent(currency) as number;
        const digits = String(minor).padStart(exponent + 1, '0');
        const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
        expect(minorToMajor(minor, currency)).toBe(Number(text));
        expect(minorToMajor(String(minor), currency)).toBe(Number(text));
      }),
    );
  });

  it('sums unit amount × quantity in integers', () => {
    expect(sumMinorUnits([{ amount: 700, quantity: 10 }])).toBe(7000);
    expect(sumMinorUnits([{ amount: 10, quantity: 3 }, { amount: 20 }])).toBe(50);
    expect(sumMinorUnits([{ amount: '65215' }])).toBe(65215);
    expect(sumMinorUnits([{ amount: 1.5 }])).toBeUndefined();
    expect(sumMinorUnits([{ amount: Number.MAX_SAFE_INTEGER, quantity: 2 }])).toBeUndefined();
  });
});

describe('minorToMajor on integers', () => {
  it('gives exactly what shifting the decimal point of the digits gives, for every safe integer and exponent', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', 'eur'), (amount, currency) => {
        // A numeric string takes the decimal-string path: the oracle for the integer fast path.
        expect(minorToMajor(amount, currency)).toBe(minorToMajor(String(amount), currency));
      }),
      { numRuns: 5_000 },
    );
  });

  it('moves the decimal point of a decimal string, fraction and sign included, as writing the shifted text by hand does', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits(30), fc.option(digits(30)), fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (sign, whole, fraction, currency) => {
        const exponent = currencyExponent(currency) as number;
        const padded = whole.padStart(exponent + 1, '0');
        const point = padded.length - exponent;
        const byHand = `${sign === '-' ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}${fraction ?? ''}0`;
        expect(minorToMajor(`${sign}${whole}${fraction === null ? '' : `.${fraction}`}`, currency)).toBe(Number(byHand));
      }),
      { numRuns: 5_000 },
    );
  });
});
