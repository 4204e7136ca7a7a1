/** Parses a timestamp column: `Date` or date-time string to a new `Date`, nullish to `null`, else `undefined` (invalid). */
export function toTimestamp(value: unknown): Date | null | undefined {
  if (value == null) return null;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' && value.trim() ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}
