import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, decodeHtmlEntities, stripHtmlTags, truncateText } from '../src/index.js';

describe('text', () => {
  it('strips tags and decodes entities, including &ndash;', () => {
    expect(cleanText('<p>Nice album!</p>\n')).toBe('Nice album!');
    expect(cleanText('Ship Your Idea &ndash; Color: Black')).toBe('Ship Your Idea – Color: Black');
    expect(cleanText('Tom &amp; Jerry&#39;s &#x1F600;')).toBe("Tom & Jerry's 😀");
    expect(cleanText('<script>alert(1)</script>Hello <b>world</b>')).toBe('Hello world');
    expect(decodeHtmlEntities('&unknown; &lt;')).toBe('&unknown; <');
    expect(stripHtmlTags('a<br/>b')).toBe('a b');
    // Inline elements sit inside words and sentences: no space is left where they were.
    expect(cleanText('took <em>five minutes</em>. <a href="/x">Docs</a>, <strong>really</strong>!')).toBe('took five minutes. Docs, really!');
    expect(cleanText('<p>one</p><p>two</p><li>three</li>')).toBe('one two three');
  });

  it('decodes each named reference it knows to its character, and no other name', () => {
    // The table is stored compactly in the source (steps between code points); this is its meaning.
    const expected: Record<string, string> = {
      amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
      lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
      copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢', deg: '°', times: '×',
      divide: '÷', bull: '•', middot: '·', prime: '′', Prime: '″', dagger: '†', sect: '§', para: '¶',
      iexcl: '¡', iquest: '¿', shy: '', zwj: '', zwnj: '', thinsp: ' ', ensp: ' ', emsp: ' ',
      auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é',
      egrave: 'è', ecirc: 'ê', aacute: 'á', agrave: 'à', acirc: 'â', iacute: 'í', oacute: 'ó',
      uacute: 'ú', ntilde: 'ñ', ccedil: 'ç', Eacute: 'É', aring: 'å', Aring: 'Å', oslash: 'ø', aelig: 'æ',
    };
    for (const [name, character] of Object.entries(expected)) expect(decodeHtmlEntities(`[&${name};]`), name).toBe(`[${character}]`);
    // Names that are not references, including object members and parts of the stored table.
    for (const name of ['AMP', 'Amp', 'Ccedil', 'iuml', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'shy0zwj', 'amp4', 'zwj0zwnj']) {
      expect(decodeHtmlEntities(`&${name};`), name).toBe(`&${name};`);
    }
  });

  it('lets no markup survive, even when encoded', () => {
    expect(cleanText('&lt;img src=x onerror=alert(1)&gt;hi')).toBe('hi');
    expect(cleanText('5 < 6 and 7 > 3')).toBe('5 6 and 7 3');
    expect(cleanText('<<b>b>x')).not.toMatch(/[<>]/);
    // A lone `>` (no `<` or `&` beside it) is removed too: the fuzzer found `A>` in a name.
    expect(cleanText('A>')).toBe('A');
    expect(cleanText('7 > 3')).toBe('7 3');
  });

  it('collapses whitespace, drops control characters and caps length on a code point boundary', () => {
    expect(cleanText('  a \n\t b\u0000 ')).toBe('a b');
    expect(cleanText('   ')).toBeUndefined();
    expect(cleanText(42)).toBeUndefined();
    expect(cleanText('abcdef', 4)).toBe('abc…');
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
  });

  it('law: output never holds < or >, never exceeds the cap, and cleaning is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (input, cap) => {
        const once = cleanText(input, cap);
        if (once === undefined) return;
        expect(once).not.toMatch(/[<>]/);
        expect(Array.from(once).length).toBeLessThanOrEqual(cap);
        expect(cleanText(once, cap)).toBe(once);
      }),
    );
  });
});
