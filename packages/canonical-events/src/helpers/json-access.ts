/**
 * Read-only access to untrusted JSON. Every read goes through an own-property check, so keys such
 * as `__proto__`, `constructor` or `toString` in a payload never resolve to `Object.prototype`
 * members, and nothing here ever writes into a payload.
 */

/** A JSON object as `JSON.parse` returns it: a non-null, non-array object. */
export type JsonObject = { readonly [key: string]: unknown };

/** True for a non-null object that is not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of an object (or the element at index `key` of an array), else `undefined`. */
export function getOwn(value: unknown, key: string | number): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    return Number.isInteger(key) && (key as number) >= 0 && (key as number) < value.length ? (value[key as number] as unknown) : undefined;
  }
  if (typeof key !== 'string') return undefined;
  // Ownership first: a miss is then one look at the object's own keys, where a read would also
  // search Object.prototype.
  return Object.hasOwn(value, key) ? (value as JsonObject)[key] : undefined;
}

/** Follows `path` through objects and arrays with {@link getOwn}; `undefined` as soon as a step is missing. */
export function getPath(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) {
    current = getOwn(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The object at `path`, or `undefined` when the value there is not a JSON object. */
export function getObject(value: unknown, ...path: ReadonlyArray<string | number>): JsonObject | undefined {
  const found = getPath(value, ...path);
  return isJsonObject(found) ? found : undefined;
}

/** The array at `path`, or an empty array when the value there is not an array. */
export function getArray(value: unknown, ...path: ReadonlyArray<string | number>): readonly unknown[] {
  const found = getPath(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** The trimmed, non-empty string at `path`, else `undefined` (numbers are not converted). */
export function getString(value: unknown, ...path: ReadonlyArray<string | number>): string | undefined {
  const found = getPath(value, ...path);
  if (typeof found !== 'string') return undefined;
  const trimmed = found.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** The first of `values` that is neither `undefined`, `null` nor an empty/blank string. */
export function firstPresent(...values: unknown[]): unknown {
  for (const value of values) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    return value;
  }
  return undefined;
}

/**
 * An identifier as a string, never through a lossy JS number: strings are kept (trimmed), safe
 * integers are printed, and integers beyond 2^53 (already rounded by `JSON.parse`) are refused.
 */
export function idToString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed.length > 0 && trimmed.length <= 256 ? trimmed : undefined;
  }
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** True when `value` is a JSON object with exactly one own key (an envelope such as `{"order": {...}}`); O(1) on large objects. */
export function isSingleKeyObject(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++count > 1) return false;
  return count === 1;
}

const isEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * The own enumerable property `key` of an object (what a copy of its `Object.keys` would hold),
 * else `undefined`: a key inherited from a polluted `Object.prototype` never counts, and a getter
 * runs once. Reads one key without copying the object, for the core's hot path.
 */
export function ownValue(object: object, key: PropertyKey): unknown {
  // Read first: what normalizers return names most fields, often as undefined, so the costly
  // enumerability check (a call into the engine's runtime) runs only for a value that is there.
  const value = (object as Record<PropertyKey, unknown>)[key];
  return value !== undefined && isEnumerable.call(object, key) ? value : undefined;
}

/**
 * A null-prototype copy of an object's own enumerable properties (`{}` for anything else), so
 * reading a key it lacks gives `undefined` even when `Object.prototype` is polluted, and each
 * getter runs once. Used on what normalizers and callers hand to the core.
 */
export function ownFields(value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}
