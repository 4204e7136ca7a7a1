import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRegistry, defineNormalizer, personName, withNameOrder } from '../src/core.js';
import { fallbackNormalizer, normalizeEvent } from '../src/index.js';
import { stripeNormalizer } from '../src/providers/stripe.js';
import { stripeSessionRow } from './stripe-session-row.js';

// Issue 13: "Nagy Péter" read given name first shows the family name (`Nagy P.`). The order of a
// Latin-script name cannot be told from its letters, so the caller says it: normalizeEvent's
// nameOrder option, or withNameOrder around the normalizers of a /core registry.
const stripeSession = stripeSessionRow;
const familyFirstCore = createRegistry([withNameOrder(stripeNormalizer, 'family-first')]);

/** customer_name, first_name and last_initial through the root entry and through /core. */
function shownName(row: unknown, nameOrder?: 'given-first' | 'family-first'): unknown[] {
  const core = nameOrder === 'family-first' ? familyFirstCore : createRegistry([withNameOrder(stripeNormalizer, nameOrder ?? 'given-first')]);
  return [normalizeEvent(row, { nameOrder }), core.normalizeEvent(row)].map((result) => {
    if (!result.success) throw result.error;
    return [result.data.normalized['template.customer_name'], result.data.normalized['template.first_name'], result.data.normalized['template.last_initial']];
  });
}

describe('nameOrder', () => {
  it.each([
    ['Nagy Péter', 'Péter'],
    ['Nguyễn Văn An', 'An'],
    ['Kim Min-jun', 'Min-jun'],
    ['Yamada Taro', 'Taro'],
  ])('family-first: the full name %s shows %s alone, through the root and /core', (name, given) => {
    expect(shownName(stripeSession(name), 'family-first')).toEqual([
      [given, given, undefined],
      [given, given, undefined],
    ]);
  });

  it('given-first (the default) keeps First L.', () => {
    const expected = [
      ['Nagy P.', 'Nagy', 'P'],
      ['Nagy P.', 'Nagy', 'P'],
    ];
    expect(shownName(stripeSession('Nagy Péter'))).toEqual(expected);
    expect(shownName(stripeSession('Nagy Péter'), 'given-first')).toEqual(expected);
    expect(withNameOrder(stripeNormalizer, 'given-first')).toBe(stripeNormalizer);
  });

  it('separate first and last names, "Family, Given" and one-word names read the same in either order', () => {
    const row = { id: 'c', integration_type: 'shopify', event_data: { id: 1, customer: { first_name: 'Péter', last_name: 'Nagy' } }, created_at: '2025-01-15T10:30:00Z' };
    for (const result of [normalizeEvent(row), normalizeEvent(row, { nameOrder: 'family-first' })]) {
      if (!result.success) throw result.error;
      expect(result.data.normalized['template.customer_name']).toBe('Péter N.');
    }
    expect(shownName(stripeSession('Nagy, Péter'), 'family-first')).toEqual(shownName(stripeSession('Nagy, Péter')));
    expect(shownName(stripeSession('Péter'), 'family-first')).toEqual(shownName(stripeSession('Péter')));
  });

  it("the fallback and your own normalizers follow it when they build the name with personName", () => {
    const acme = defineNormalizer({ provider: 'acme', normalize: (payload) => ({ template: { event_kind: 'purchase', ...personName({ full: (payload as { buyer: string }).buyer }) } }) });
    const registry = createRegistry([acme], { fallback: fallbackNormalizer });
    const rows = [
      { id: 'a', integration_type: 'acme', event_data: { buyer: 'Nagy Péter' }, created_at: '2025-01-15T10:30:00Z' },
      { id: 'b', integration_type: 'somewhere', event_data: { customer_name: 'Nagy Péter', product: 'Mug' }, created_at: '2025-01-15T10:30:00Z' },
    ];
    for (const row of rows) {
      const names = [normalizeEvent(row, { registry }), normalizeEvent(row, { registry, nameOrder: 'family-first' })].map((result) => (result.success ? result.data.normalized['template.customer_name'] : result.error));
      expect(names).toEqual(['Nagy P.', 'Péter']);
    }
  });

  it('the fallback keeps the given name of a family-name-first name', () => {
    const result = normalizeEvent({ id: 'f', integration_type: 'somewhere', event_data: { customer_name: '山田 太郎', product: 'Mug' }, created_at: '2025-01-15T10:30:00Z' });
    if (!result.success) throw result.error;
    expect(result.data.normalized['template.customer_name']).toBe('太郎');
  });

  it('a one-word name in Chinese, Japanese or Korean script is shown only when personName split it', () => {
    const plain = createRegistry([defineNormalizer({ provider: 'plain', normalize: (payload) => ({ template: { event_kind: 'purchase', customer_name: (payload as { name: string }).name } }) })]);
    for (const name of ['王明', '山田太郎', '太郎']) {
      const result = plain.normalizeEvent({ id: 'cjk', integration_type: 'plain', event_data: { name }, created_at: '2025-01-15T10:30:00Z' });
      if (!result.success) throw result.error;
      expect(result.data.normalized['template.customer_name']).toBeUndefined();
    }
    expect(shownName(stripeSession('王明'), 'family-first')).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    expect(shownName(stripeSession('王 小明'), 'family-first')).toEqual(shownName(stripeSession('王 小明')));
    // One word in the first-name box is a given name only beside a last name.
    expect(personName({ first: '王明' })).toBeUndefined();
    expect(personName({ first: '小明', last: '王' })?.customer_name).toBe('小明');
    for (const [customer, shown] of [
      [{ first_name: '王明' }, undefined],
      [{ first_name: '小明', last_name: '王' }, '小明'],
    ] as const) {
      const result = normalizeEvent({ id: 's', integration_type: 'shopify', event_data: { id: 1, customer }, created_at: '2025-01-15T10:30:00Z' });
      if (!result.success) throw result.error;
      expect(result.data.normalized['template.customer_name']).toBe(shown);
    }
  });

  it('family-first never shows the family name or its initial, for arbitrary names', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž]{1,12}(-[A-Za-zÀ-ÖØ-öø-ÿ]{1,8})?$/);
    fc.assert(
      fc.property(word, fc.array(word, { minLength: 1, maxLength: 3 }), (family, given) => {
        fc.pre(!given.some((part) => part.toLowerCase() === family.toLowerCase()));
        const row = stripeSession(`${family} ${given.join(' ')}`);
        for (const result of [normalizeEvent(row, { nameOrder: 'family-first' }), familyFirstCore.normalizeEvent(row)]) {
          if (!result.success) throw result.error;
          const normalized = result.data.normalized;
          expect(normalized['template.last_initial']).toBeUndefined();
          for (const shown of [normalized['template.customer_name'], normalized['template.first_name']]) {
            if (shown === undefined) continue;
            expect(shown.toLowerCase().split(/[\s.]+/u)).not.toContain(family.toLowerCase());
            expect(shown).not.toMatch(/\s\p{L}\.$/u);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
