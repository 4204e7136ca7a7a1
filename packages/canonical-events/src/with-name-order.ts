import type { EventNormalizer, NormalizeContext } from './define-normalizer.js';
import { NAME_READINGS } from './helpers/person-name.js';
import { isJsonObject, ownValue } from './helpers/json-access.js';

/**
 * The order of the words in a full name: `'given-first'` (`John Smith`, the default) or
 * `'family-first'` (Hungarian `Nagy Péter`, Vietnamese `Nguyễn Văn An`, and Japanese, Korean or
 * Chinese names written in Latin letters: `Yamada Taro`, `Kim Min-jun`). The order cannot be told
 * from the letters of a Latin-script name; names in Chinese, Japanese or Korean script are read
 * family name first either way, and separate first and last name fields say the order themselves.
 */
export type NameOrder = 'given-first' | 'family-first';

/**
 * The normalizer with full names read in `nameOrder`. With `'family-first'`, a full name that
 * `personName` split (`"Nagy Péter"`, `"Nguyễn Văn An"`) shows its last word alone (`Péter`,
 * `An`) instead of `Nagy P.`, which would show the family name; names from separate first and last
 * fields, `"Nagy, Péter"`, one-word names and names the normalizer built without `personName` are
 * left as they are. With `'given-first'` it returns `normalizer` itself. In a widget:
 * `createRegistry([withNameOrder(stripeNormalizer, 'family-first')])`; `normalizeEvent` does it
 * for you with its `nameOrder` option. Kept out of the core, so a widget that does not use it
 * does not carry it.
 */
export function withNameOrder(normalizer: EventNormalizer, nameOrder: NameOrder): EventNormalizer {
  if (nameOrder !== 'family-first') return normalizer;
  return Object.freeze(
    Object.assign({}, normalizer, {
      normalize: (payload: unknown, context: NormalizeContext) => {
        const output = normalizer.normalize(payload, context);
        const template = isJsonObject(output) ? ownValue(output, 'template') : undefined;
        const given = isJsonObject(template) ? ownValue(template, NAME_READINGS) : undefined;
        if (typeof given !== 'string') return output;
        // The reading vouches for itself (the core shows a customer_name equal to it), and no field
        // may keep the family name or its initial. Copied by Object.assign into new objects, not by
        // literals that open with a spread, which V8 builds through a slow path (microseconds each).
        return Object.assign({}, output, { template: Object.assign({}, template, { customer_name: given, first_name: given, last_initial: undefined, [NAME_READINGS]: given }) });
      },
    }),
  );
}
