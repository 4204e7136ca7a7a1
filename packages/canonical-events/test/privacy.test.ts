import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsEmail,
  containsIpAddress,
  containsPersonalData,
  containsPhoneNumber,
  containsStreetAddress,
  isMissingName,
  normalizeCountryCode,
  normalizeEvent,
  personName,
  redactPersonalData,
  toDisplayName,
} from '../src/index.js';

describe('names', () => {
  it('builds first name + last initial', () => {
    expect(personName({ first: 'John', last: 'Smith' })).toEqual({ customer_name: 'John S.', first_name: 'John', last_initial: 'S' });
    expect(personName({ full: 'Steve Shipper' })?.customer_name).toBe('Steve S.');
    expect(personName({ full: 'Martin' })).toMatchObject({ customer_name: 'Martin', first_name: 'Martin', last_initial: undefined });
    expect(personName({ first: 'ÜÄÅåÖÜÄÅåÖ' })?.customer_name).toBe('ÜÄÅåÖÜÄÅåÖ');
    expect(personName({ first: 'Mary Ann', last: 'van der Berg' })?.customer_name).toBe('Mary Ann V.');
    expect(personName({ first: 'John Doe' })?.customer_name).toBe('John D.');
    expect(personName({ first: 'élodie', last: 'éclair' })?.customer_name).toBe('élodie É.');
  });

  it('treats empty, "null", "Anonymous", emails and placeholders as missing', () => {
    for (const value of ['', '  ', 'null', 'NULL', 'undefined', 'Anonymous', 'anonymous', 'customer_name', 'Customer', 'first_name', 'N/A', 'john@example.com', '[email protected]', '555-555-5555', 'https://x.io', null, 42, {}]) {
      expect(isMissingName(value), String(value)).toBe(true);
      expect(personName({ first: value, full: value }), String(value)).toBeUndefined();
    }
    expect(personName({ last: 'Smith' })).toBeUndefined();
    expect(isMissingName('Avery')).toBe(false);
  });

  it('never keeps a last name typed twice, and reads "Last, First"', () => {
    expect(personName({ first: 'John Smith', last: 'Smith' })).toEqual({ customer_name: 'John S.', first_name: 'John', last_initial: 'S' });
    expect(personName({ first: 'JOHN SMITH', last: 'smith' })?.customer_name).toBe('JOHN S.');
    expect(personName({ full: 'Smith, John' })).toEqual({ customer_name: 'John S.', first_name: 'John', last_initial: 'S' });
    expect(personName({ full: 'Jane Doe, CEO at Acme' })?.customer_name).toBe('Jane D.');
    expect(toDisplayName('Smith, John')).toBe('John S.');
    // A double first name beside a different last name is a first name.
    expect(personName({ first: 'Mary Ann', last: 'Smith' })?.customer_name).toBe('Mary Ann S.');
    // Trailing punctuation is not a last name (found by the law below, 1 case in 100k).
    expect(personName({ full: 'John Smith -' })?.customer_name).toBe('John S.');
    expect(personName({ full: 'Aa aA ÷×' })?.customer_name).toBe('Aa A.');
  });

  it('reduces a full name given as a display name', () => {
    expect(toDisplayName('Bob Norman')).toBe('Bob N.');
    expect(toDisplayName('Mary Ann S.')).toBe('Mary Ann S.');
    expect(toDisplayName('Laura')).toBe('Laura');
    expect(toDisplayName('anonymous')).toBeUndefined();
  });

  it('law: a display name is the first word and one initial, never the last name', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ]{2,12}$/);
    fc.assert(
      fc.property(word, word, word, (first, middle, last) => {
        const name = personName({ full: `${first} ${middle} ${last}` });
        if (name === undefined) return;
        expect(name.first_name).toBe(first);
        expect(Array.from(name.last_initial ?? '')).toHaveLength(1);
        expect(name.customer_name).toBe(`${first} ${name.last_initial}.`);
      }),
      { numRuns: 1000 },
    );
    expect(personName({ first: 'Anna', last: 'ßtraße' })?.customer_name).toBe('Anna ß.');
  });
});

describe('personal data', () => {
  it('detects emails, phones, IPs and street addresses', () => {
    expect(containsEmail('write to bob.norman@hostmail.com')).toBe(true);
    expect(containsPhoneNumber('(555) 555-5555')).toBe(true);
    expect(containsPhoneNumber('+44 20 7946 0958')).toBe(true);
    expect(containsPhoneNumber('iPod 2008-2009 edition')).toBe(false);
    expect(containsIpAddress('132.12.45.103')).toBe(true);
    expect(containsIpAddress('2001:db8::8a2e:370:7334')).toBe(true);
    expect(containsIpAddress('at 10:30:00')).toBe(false);
    expect(containsStreetAddress('123 Elm St.')).toBe(true);
    expect(containsStreetAddress('510 Townsend St')).toBe(true);
    expect(containsStreetAddress('Chestnut Street 92')).toBe(true);
    expect(containsStreetAddress('Hauptstraße 5')).toBe(true);
    expect(containsPersonalData('San Francisco')).toBe(false);
    expect(containsPersonalData('IPod Nano - 8GB')).toBe(false);
  });

  it('redacts personal data inside free text', () => {
    expect(redactPersonalData('Great! Mail me at a@b.co or call 555 555 5555.')).toBe('Great! Mail me at […] or call […].');
  });

  it('corrects country codes to ISO-3166 alpha-2', () => {
    expect(normalizeCountryCode('UK')).toBe('GB');
    expect(normalizeCountryCode('us')).toBe('US');
    expect(normalizeCountryCode('United Kingdom')).toBeUndefined();
    expect(normalizeCountryCode('ZZ')).toBeUndefined();
  });
});

describe('family-name-first names (Chinese, Japanese, Korean)', () => {
  it.each([
    [{ full: '山田 太郎' }, '太郎'],
    [{ full: '山田　太郎' }, '太郎'],
    [{ full: '王 伟' }, '伟'],
    [{ full: '김 민준' }, '민준'],
    [{ first: '太郎', last: '山田' }, '太郎'],
    [{ first: '山田 太郎' }, '太郎'],
    [{ full: '山田太郎' }, undefined],
  ])('%o shows %s and never the family name', (parts, shown) => {
    const name = personName(parts);
    expect(name?.customer_name).toBe(shown);
    expect(name?.last_initial).toBeUndefined();
    for (const family of ['山', '田', '王', '김']) expect(name?.customer_name ?? '').not.toContain(family);
  });

  it('holds through normalizeEvent for every name field a provider fills', () => {
    for (const customer of [{ first_name: '太郎', last_name: '山田' }, { first_name: '山田 太郎' }, { name: '山田 太郎' }, { name: '山田太郎' }]) {
      const result = normalizeEvent({ id: 'cjk', integration_type: 'shopify', event_data: { id: 1, customer, line_items: [] }, event_type: 'orders/create', created_at: '2025-01-15T10:30:00Z' });
      if (!result.success) throw result.error;
      expect(JSON.stringify(result.data.normalized)).not.toMatch(/山|田/);
    }
  });
});
