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
