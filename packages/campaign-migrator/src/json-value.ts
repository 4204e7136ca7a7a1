import { isPlainObject } from './own-property.js';

/** A JSON value, as stored in a `jsonb` column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * A deep copy of a JSON value. Objects are rebuilt with `Object.fromEntries`, which defines own
 * properties, so a `__proto__` key stays a plain key instead of replacing the copy's prototype
 * (plain assignment would).
 */
export function cloneJsonValue<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJsonValue(item)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneJsonValue(item as JsonValue)])) as T;
  }
  return value;
}

/**
 * JSON text of `value` with object keys sorted, so two values that differ only in key order (as
 * a `jsonb` round trip reorders them) have the same text. Values JSON cannot hold are written the
 * way `JSON.stringify` treats them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return `${item.toString()}n`;
    if (!isPlainObject(item)) return item;
    const sorted: [string, unknown][] = Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(sorted);
  }) ?? 'undefined';
}

/**
 * Whether two values are the same JSON (keys in any order). Values JSON cannot write (cycles) are
 * compared by identity instead, so the comparison never throws.
 */
export function isSameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return Object.is(a, b);
  }
}
