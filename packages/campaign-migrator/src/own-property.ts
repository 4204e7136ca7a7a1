/**
 * Reads `key` only when it is an own property of `value`. Rows come from JSON and databases, so
 * an inherited property (`constructor`, `toString`, or whatever a `__proto__` key smuggled into a
 * prototype) must never be taken for a column.
 */
export function readOwnProperty(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** True for `{}`-style objects (plain or null-prototype), false for arrays, dates, maps, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
