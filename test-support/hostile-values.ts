/**
 * Hostile values for "never throws" properties: objects whose getters throw, Proxies whose traps
 * throw, revoked Proxies, and values that throw when turned into a string or a number.
 *
 * The arbitraries generate plain recipes (fast-check inspects and prints what it generates, which
 * a hostile value would break); {@link build} turns a recipe into the hostile value inside the
 * property.
 */
import fc from 'fast-check';

const TRAPS = ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'set', 'defineProperty', 'deleteProperty'] as const;

/** How to make an object hostile. */
export type Hostility = { kind: 'getter'; key: string } | { kind: 'trap'; trap: (typeof TRAPS)[number] } | { kind: 'revoked' };

/** A recipe for a value: plain JSON, a hostile wrapper around a target, or an unprintable object. */
export type Recipe =
  | { kind: 'json'; value: unknown }
  | { kind: 'unprintable'; variant: 0 | 1 }
  | { kind: 'hostile'; hostility: Hostility; target: Recipe }
  | { kind: 'record'; entries: Array<[string, Recipe]>; hostility: Hostility | null };

function boom(): never {
  throw new Error('hostile value');
}

function makeHostile(target: object, hostility: Hostility): object {
  if (hostility.kind === 'getter') {
    const copy: Record<string, unknown> = Array.isArray(target) ? ([...target] as unknown as Record<string, unknown>) : { ...target };
    Object.defineProperty(copy, hostility.key, { get: boom, enumerable: true, configurable: true });
    return copy;
  }
  if (hostility.kind === 'trap') return new Proxy(target, { [hostility.trap]: boom });
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

/** The value a recipe describes, built fresh on every call. */
export function build(recipe: Recipe): unknown {
  switch (recipe.kind) {
    case 'json':
      return structuredClone(recipe.value);
    case 'unprintable':
      return recipe.variant === 0 ? { toString: boom, valueOf: boom } : { [Symbol.toPrimitive]: boom };
    case 'hostile': {
      const target = build(recipe.target);
      return makeHostile(typeof target === 'object' && target !== null ? target : { value: target }, recipe.hostility);
    }
    case 'record': {
      const record = Object.fromEntries(recipe.entries.map(([key, value]) => [key, build(value)]));
      return recipe.hostility === null ? record : makeHostile(record, recipe.hostility);
    }
  }
}

/** One way of making an object hostile, reading `keys` (the ones the code under test reads). */
export function hostility(keys: readonly string[]): fc.Arbitrary<Hostility> {
  return fc.oneof(
    fc.constantFrom(...keys).map((key): Hostility => ({ kind: 'getter', key })),
    fc.constantFrom(...TRAPS).map((trap): Hostility => ({ kind: 'trap', trap })),
    fc.constant<Hostility>({ kind: 'revoked' }),
  );
}

/** A value that is hostile itself. */
export function hostileValue(keys: readonly string[]): fc.Arbitrary<Recipe> {
  const target = fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  );
  return fc.oneof(
    fc.tuple(hostility(keys), target).map(([how, value]): Recipe => ({ kind: 'hostile', hostility: how, target: { kind: 'json', value } })),
    fc.constantFrom<0 | 1>(0, 1).map((variant): Recipe => ({ kind: 'unprintable', variant })),
  );
}

/** `base` with some of its values (and maybe itself) made hostile. */
export function hostileRecord(base: Record<string, unknown>, keys: readonly string[]): fc.Arbitrary<Recipe> {
  const names = Object.keys(base);
  const entries = names.map((key) => fc.oneof({ weight: 2, arbitrary: fc.constant<Recipe>({ kind: 'json', value: base[key] }) }, { weight: 1, arbitrary: hostileValue(keys) }));
  return fc
    .tuple(fc.tuple(...entries), fc.option(hostility([...names, ...keys]), { freq: 2 }))
    .map(([values, how]): Recipe => ({ kind: 'record', entries: names.map((key, index) => [key, values[index] as Recipe]), hostility: how }));
}
