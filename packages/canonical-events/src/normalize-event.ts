import { createRegistry, NO_FALLBACK, type NormalizeEventOptions, type NormalizeEventResult, type NormalizerRegistry } from './create-registry.js';
import { defaultRegistry } from './default-registry.js';
import { EventNormalizationError } from './errors.js';
import { getOwn } from './helpers/json-access.js';
import { type NameOrder, withNameOrder } from './with-name-order.js';

/** Options of {@link normalizeEvent}: the registry's options plus the registry itself. */
export interface NormalizeEventWithRegistryOptions extends NormalizeEventOptions {
  /** Registry to use instead of {@link defaultRegistry} (e.g. one extended with your providers). */
  registry?: NormalizerRegistry;
  /**
   * How to read full names that come as one string (`"Nagy Péter"`): `'given-first'` (the
   * default: `Nagy P.`, which shows the family name when it came first) or `'family-first'` (the
   * last word is the given name, shown alone: `Péter`). Set it for audiences whose names are
   * written family name first (Hungarian, Vietnamese, and Chinese, Japanese or Korean names in
   * Latin letters); see {@link withNameOrder}, which does the same for a registry from `/core`.
   */
  nameOrder?: NameOrder | undefined;
}

// The registry with every normalizer wrapped by withNameOrder, built once per registry.
const familyFirstRegistries = new WeakMap<NormalizerRegistry, NormalizerRegistry>();

function familyFirst(registry: NormalizerRegistry): NormalizerRegistry {
  let found = familyFirstRegistries.get(registry);
  if (found === undefined) {
    // An integration_type no normalizer claims resolves to the registry's fallback.
    const fallback = registry.resolve(undefined);
    found = createRegistry(
      registry.normalizers.map((normalizer) => withNameOrder(normalizer, 'family-first')),
      fallback === NO_FALLBACK ? {} : { fallback: withNameOrder(fallback, 'family-first') },
    );
    familyFirstRegistries.set(registry, found);
  }
  return found;
}

/**
 * Turns one legacy event row into a canonical event. Never throws: the result is
 * `{ success: true, data }` or `{ success: false, error }` where `error` is an
 * `EventNormalizationError` naming the row id and the reason (no id, `event_data` not an
 * object or array, no timestamp anywhere). A known provider whose payload lacks fields still
 * gives an event, with those fields in `meta.missing`.
 *
 * @example
 * ```ts
 * const result = normalizeEvent({ id: 'evt-1', integration_type: 'shopify', event_data: body, created_at });
 * if (result.success) save(result.data);
 * else log(result.error.code, result.error.message);
 * ```
 */
export function normalizeEvent(row: unknown, options: NormalizeEventWithRegistryOptions = {}): NormalizeEventResult {
  try {
    // An own `registry` only: a polluted Object.prototype must not reroute every event.
    const registry = (getOwn(options, 'registry') as NormalizerRegistry | undefined) ?? defaultRegistry;
    return (getOwn(options, 'nameOrder') === 'family-first' ? familyFirst(registry) : registry).normalizeEvent(row, options);
  } catch (cause) {
    // Only a hostile options object or a registry that is not one gets here: registries never throw.
    return { success: false, error: new EventNormalizationError('INVALID_ROW', { rowId: undefined, field: '(options)', reason: 'could not be used: options.registry must be a registry from createRegistry' }, { cause }) };
  }
}
