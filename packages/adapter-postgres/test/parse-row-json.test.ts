import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRowJson } from '../src/parse-row-json.js';

describe('parseRowJson: a row read as json text', () => {
  it('parses what JSON.parse parses, with integer columns past 2^53 kept as their digits, and nothing inside a JSON column changed', () => {
    // A number whose JSON text is an integer past 2^53 is the integer case (kept as digits), whatever arbitrary made it.
    const parsed = (value: unknown) => ({ text: JSON.stringify(value), exact: JSON.parse(JSON.stringify(value)) as unknown });
    const notBigInteger = ({ text }: { text: string }) => !/^-?[0-9]{16,}$/.test(text) || Number.isSafeInteger(Number(text));
    const column = fc.oneof(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((value) => ({ text: value.toString(), exact: Number.isSafeInteger(Number(value)) ? Number(value) : value.toString() })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(parsed).filter(notBigInteger),
      fc.jsonValue().map(parsed).filter(notBigInteger),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), column, { minKeys: 1 }), (columns) => {
        const text = `{${Object.entries(columns).map(([name, value]) => `${JSON.stringify(name)}:${value.text}`).join(',')}}`;
        const expected = Object.fromEntries(Object.entries(columns).map(([name, value]) => [name, value.exact]));
        expect(parseRowJson(text)).toEqual(expected);
      }),
    );
  });

  it('keeps owners past 2^53 exact and a NUL escape as the character it stands for', () => {
    expect(parseRowJson('{"id":"c-1","user_id":9007199254740993,"other":-9007199254740992,"small":9007199254740991,"settings":{"n":9007199254740993,"x":"a\\u0000\\"b"}}')).toEqual({
      id: 'c-1',
      user_id: '9007199254740993',
      other: '-9007199254740992',
      small: 9007199254740991,
      settings: { n: 9007199254740992, x: 'a\u0000"b' },
    });
  });
});
