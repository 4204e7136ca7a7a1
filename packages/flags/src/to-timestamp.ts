// ISO 8601 / RFC 3339 as drivers and JSON APIs print timestamps: a date, optionally a time after
// `T` or a space (PostgreSQL's text output, MySQL, SQLite), seconds, a fraction of any length
// (PostgreSQL prints microseconds) and an offset (`Z`, `+01`, `+0100`, `+01:00`). Years may be
// expanded (`+275760`), as `Date.prototype.toISOString` prints them. Nothing else is a timestamp:
// `Date.parse` also takes `"1"` or `"Tue, 10 Jan 2025"`, each engine in its own way.
const ISO_8601 =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Parses a timestamp column: a valid `Date` is copied, an ISO 8601 date or date-time string
 * becomes a new `Date`, nullish becomes `null`; anything else — another string, an impossible
 * date such as `2025-02-30` or `24:00`, an invalid `Date` — is `undefined` (invalid).
 *
 * As in ECMAScript, a date without a time is midnight UTC and a date-time without an offset is
 * local time. Digits beyond milliseconds are truncated.
 */
export function toTimestamp(value: unknown): Date | null | undefined {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : new Date(value.getTime());
  const match = typeof value === 'string' ? ISO_8601.exec(value) : null;
  // ECMAScript rejects the year -000000 (minus zero has no sign to carry); so does ISO 8601.
  if (!match || match[1] === '-000000') return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', utc, sign, offsetH = '0', offsetM = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const milliseconds = Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59 || Number(offsetH) > 23 || Number(offsetM) > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read the years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milliseconds);
  // Date rolls 2025-02-30 over into March; reading the fields back catches impossible dates.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (h !== undefined && utc === undefined && sign === undefined) {
    date.setFullYear(year, month - 1, day);
    date.setHours(hour, minute, second, milliseconds);
  } else if (sign !== undefined) {
    date.setTime(date.getTime() - (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM)) * 60_000);
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}
