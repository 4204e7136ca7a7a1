import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../src/index.js';

describe('parseTimestamp', () => {
  it('reads unix seconds and milliseconds, as numbers or numeric strings', () => {
    expect(parseTimestamp(1677834000)).toBe('2023-03-03T09:00:00.000Z');
    expect(parseTimestamp(1325613278742)).toBe('2012-01-03T17:54:38.742Z');
    expect(parseTimestamp('1680448099688')).toBe('2023-04-02T15:08:19.688Z');
    expect(parseTimestamp('1561479335')).toBe('2019-06-25T16:15:35.000Z');
    expect(parseTimestamp(1677834000.5)).toBe('2023-03-03T09:00:00.500Z');
  });

  it('reads ISO 8601 with offsets, Z, and 6 or 7 fractional digits', () => {
    expect(parseTimestamp('2021-12-31T19:00:00-05:00')).toBe('2022-01-01T00:00:00.000Z');
    expect(parseTimestamp('2021-08-17T09:45:53.000000Z')).toBe('2021-08-17T09:45:53.000Z');
    expect(parseTimestamp('2022-06-12T08:28:02.5786831+00:00')).toBe('2022-06-12T08:28:02.578Z');
    expect(parseTimestamp('2023-05-01T12:00:00+0530')).toBe('2023-05-01T06:30:00.000Z');
    expect(parseTimestamp('2018-04-05T17:31:00Z')).toBe('2018-04-05T17:31:00.000Z');
  });

  it('reads times without a zone and Y-m-d H:i:s as UTC', () => {
    expect(parseTimestamp('2017-03-22T19:28:02')).toBe('2017-03-22T19:28:02.000Z');
    expect(parseTimestamp('2023-03-08 09:32:47')).toBe('2023-03-08T09:32:47.000Z');
    expect(parseTimestamp('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('rejects human strings, impossible dates, small numbers and junk', () => {
    for (const value of ['about 1 month ago', ' 5 Jan 2021 11:38 AM', 'yesterday', '2023-02-29T00:00:00Z', '2023-13-01', '0000-00-00 00:00:00', '2023-01-01T25:00:00Z', '', 'null']) {
      expect(parseTimestamp(value), value).toBeUndefined();
    }
    expect(parseTimestamp(27)).toBeUndefined();
    expect(parseTimestamp(Number.NaN)).toBeUndefined();
    expect(parseTimestamp(null)).toBeUndefined();
    expect(parseTimestamp({ seconds: 1 })).toBeUndefined();
    expect(parseTimestamp(1e20)).toBeUndefined();
  });

  it('law: any instant round-trips through its ISO string, unix seconds and unix ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e11, max: 253_402_300_799_999 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseTimestamp(iso)).toBe(iso);
        expect(parseTimestamp(ms)).toBe(iso);
        expect(parseTimestamp(String(ms))).toBe(iso);
        const seconds = Math.floor(ms / 1000);
        // From 1e11 on a unix value is read as milliseconds, by design.
        if (seconds < 1e11) expect(parseTimestamp(seconds)).toBe(new Date(seconds * 1000).toISOString());
      }),
    );
  });
});

describe('timestamp formatting', () => {
  it('law: formats every instant from 1973 to 9999 exactly like Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e11, max: 253_402_300_799_999 }), (ms) => {
        expect(parseTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    for (const iso of ['2000-02-29T23:59:59.999Z', '2100-03-01T00:00:00.000Z', '1973-03-03T09:46:40.000Z', '9999-12-31T23:59:59.999Z', '2024-12-31T00:00:00.001Z']) {
      expect(parseTimestamp(iso)).toBe(iso);
    }
  });
});

describe('offsets', () => {
  it('law: a local time with any offset names the same instant as its UTC form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2e11, max: 253_000_000_000_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.boolean(), (ms, offset, colon) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${colon ? ':' : ''}${String(abs % 60).padStart(2, '0')}`;
        expect(parseTimestamp(`${local}${zone}`)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    expect(parseTimestamp('2023-05-01T12:00:00+05')).toBe('2023-05-01T07:00:00.000Z');
    expect(parseTimestamp('2023-05-01T12:00:00 UTC')).toBe('2023-05-01T12:00:00.000Z');
    expect(parseTimestamp('2023-05-01T12:00:00+24:00')).toBeUndefined();
  });
});

/**
 * What parseTimestamp did for a string before its fast path: every ISO-like text checked through a
 * Date round trip (Date.parse, then toISOString must give back the fields it was read from) and
 * formatted by toISOString. The fast path must give the same answer for every input.
 */
function roundTripReference(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:Z|z|UTC|GMT|([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(value.trim());
  if (match === null) return undefined;
  const [, date, hour = '00', minute = '00', second = '00', fraction = '', sign, offsetHours = '00', offsetMinutes = '00'] = match as unknown as string[];
  const local = `${date}T${hour}:${minute}:${second}`;
  const ms = Date.parse(`${local}Z`);
  if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(local) || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const instant = ms + Number(fraction.slice(0, 3).padEnd(3, '0')) - offset * 60_000;
  return instant < 1e11 || instant > 253_402_300_799_999 ? undefined : new Date(instant).toISOString();
}

const digits = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));

/** ISO-like text from fields in and out of range (day 0 to 39, hour 0 to 29, offsets to 29:69…), in every accepted shape. */
const isoLikeText = fc
  .record({
    year: fc.oneof(digits(9999, 4), fc.constantFrom('1969', '1970', '1973', '1974', '2000', '2023', '2024', '2100', '9999')),
    month: fc.oneof(digits(19, 2), fc.constantFrom('01', '02', '04', '12')),
    day: fc.oneof(digits(39, 2), fc.constantFrom('28', '29', '30', '31')),
    separator: fc.constantFrom('T', ' '),
    hour: fc.oneof(digits(29, 2), fc.constantFrom('00', '23', '24')),
    minute: fc.oneof(digits(69, 2), fc.constantFrom('00', '59', '60')),
    second: fc.oneof(digits(69, 2), fc.constantFrom('00', '59', '60')),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^[.,]\d{1,9}$/)),
    precision: fc.constantFrom('date', 'minute', 'second', 'fraction'),
    zone: fc.oneof(
      fc.constantFrom('', 'Z', 'z', 'UTC', 'GMT', ' Z', '  UTC'),
      fc.tuple(fc.constantFrom('+', '-'), digits(29, 2), fc.constantFrom('', ':'), fc.oneof(fc.constant(''), digits(69, 2))).map(([sign, hours, colon, minutes]) => `${sign}${hours}${minutes === '' ? '' : colon}${minutes}`),
    ),
  })
  .map(({ year, month, day, separator, hour, minute, second, fraction, precision, zone }) => {
    const date = `${year}-${month}-${day}`;
    const time =
      precision === 'date' ? ''
      : precision === 'minute' ? `${separator}${hour}:${minute}`
      : precision === 'second' ? `${separator}${hour}:${minute}:${second}`
      : `${separator}${hour}:${minute}:${second}${fraction}`;
    return `${date}${time}${zone}`;
  });

describe('the fast path (no Date for valid fields, one for a 29th to 31st or a time before 1974)', () => {
  it('law: gives what the Date round trip gives for any ISO-like text, valid or not', () => {
    fc.assert(
      fc.property(isoLikeText, (text) => {
        expect(parseTimestamp(text)).toBe(roundTripReference(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('law: gives what the Date round trip gives for any instant written in UTC, with or without milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), fc.boolean(), fc.constantFrom('Z', '', '+00:00', '-00:00', ' UTC'), (ms, withMillis, zone) => {
        const iso = new Date(ms).toISOString();
        const text = `${withMillis ? iso.slice(0, 23) : iso.slice(0, 19)}${zone}`;
        expect(parseTimestamp(text)).toBe(roundTripReference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the edges: the 29th to 31st, the earliest instant, the last one', () => {
    for (const text of ['2024-02-29T12:00:00Z', '2023-02-29T12:00:00Z', '2023-04-31T00:00:00Z', '2023-01-31T23:59:59.999Z', '1973-03-03T09:46:40Z', '1973-03-03T09:46:39.999Z', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999-00:01', '1974-01-01T00:00:00+23:59']) {
      expect(parseTimestamp(text), text).toBe(roundTripReference(text));
    }
  });
});
