import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALIZERS, type EventNormalizer } from '../src/index.js';
import { sanitizeTemplate } from '../src/sanitize-template.js';
import { TEMPLATE_FIELD_RULES } from '../src/template-field-rules.js';
import { loadPayload } from './fixture-rows.js';
import { publishedPayloads } from './published-payloads.js';

/**
 * Each provider file carries only the rules of the template fields it fills (so a widget bundles
 * no check it never needs). Whatever it returns must come out of the core exactly as it would with
 * every rule: a field it fills but forgot to list would silently vanish from its events.
 */
function expectNothingLost(normalizer: EventNormalizer, payload: unknown, eventType: string | undefined) {
  let output;
  try {
    output = normalizer.normalize(payload, { rowId: 'rules', eventType, maxTextLength: 500 });
  } catch {
    return; // a payload the normalizer cannot read is reported by the core, with any rules
  }
  const template = (output.template ?? {}) as object;
  expect(sanitizeTemplate(template, 40, normalizer.fields), normalizer.provider).toEqual(sanitizeTemplate(template, 40, TEMPLATE_FIELD_RULES));
}

describe('provider field rules', () => {
  it('every published payload keeps every field with its provider’s rules alone', () => {
    for (const { file } of publishedPayloads()) {
      const payload = loadPayload(file);
      for (const normalizer of DEFAULT_NORMALIZERS) {
        expectNothingLost(normalizer, payload, undefined);
        expectNothingLost(normalizer, payload, normalizer.detectEventType(payload));
      }
    }
  });

  it('law: any template a provider returns for arbitrary JSON keeps every field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEFAULT_NORMALIZERS), fc.jsonValue({ maxDepth: 4 }), fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), (normalizer, payload, eventType) => {
        expectNothingLost(normalizer, payload, eventType);
      }),
      { numRuns: 2000 },
    );
  });

  it('lists each rule once, in vocabulary order (the order of the keys in `normalized`)', () => {
    for (const normalizer of DEFAULT_NORMALIZERS) {
      const positions = normalizer.fields.map((rule) => TEMPLATE_FIELD_RULES.indexOf(rule));
      expect(positions.every((position, index) => position >= 0 && (index === 0 || position > (positions[index - 1] as number))), normalizer.provider).toBe(true);
    }
  });
});
