/**
 * Timestamps from provider payloads, returned as ISO 8601 UTC with milliseconds
 * (`2022-01-01T00:00:00.000Z`): one fixed-width format, so strings sort in time order.
 */

// Times before this are not plausible event times (1973-03-03, 1e8 unix seconds): they are ages,
// counts or ids, not timestamps.
const MIN_EPOCH_MS = 1e11;
// At or above this a unix value is read as milliseconds (1e11 s would be the year 5138).
const MILLISECONDS_FROM = 1e11;
const MAX_EPOCH_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

const NUMERIC = /^\d{9,16}(?:\.\d{1,9})?$/;
// Months, days, hours, minutes, seconds and offsets out of range never match: none is a time.
const ISO_LIKE =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,](\d{1,9}))?)?)?\s*(?:Z|z|UTC|GMT|([+-])([01]\d|2[0-3])(?::?([0-5]\d))?)?$/;

function fromEpochMs(ms: number): string | undefined {
  // NaN and the infinities fail both comparisons; the Date drops a fraction of a millisecond.
  return ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS ? new Date(ms).toISOString() : undefined;
}

function fromUnix(value: number): string | undefined {
  return fromEpochMs(Math.abs(value) >= MILLISECONDS_FROM ? value : value * 1000);
}

function fromIsoLike(text: string): string | undefined {
  const match = ISO_LIKE.exec(text);
  if (match === null) return undefined;
  // The date and the day are always there when the pattern matched.
  const [, date, day, hour = '00', minute = '00', second = '00', fraction = '', sign, offsetHours = '00', offsetMinutes = '00'] = match as unknown as [string, string, string, ...Array<string | undefined>];
  const local = `${date}T${hour}:${minute}:${second}`;
  const millis = `${fraction}000`.slice(0, 3);
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  // Every month has days 1 to 28: from 1974 on (past the earliest accepted instant, in any zone)
  // such a date exists and needs no Date, and in UTC it is already the canonical text.
  const plain = date > '1974' && day < '29';
  if (plain && offset === 0) return `${local}.${millis}Z`;
  // A 29th to 31st may not exist (31 April, 29 February 2023): an engine may refuse it or roll it
  // over, so the instant must fall on the very day it was read from (the pattern has already
  // refused every other field out of range, so only the day can roll over; its UTC day is read
  // without formatting a text, which costs several times more). `YYYY-MM-DDTHH:mm:ssZ` is the one
  // format every engine must parse alike. (An instant before 1970 is no timestamp.)
  const ms = Date.parse(`${local}Z`);
  if (!plain && !(ms >= 0 && new Date(ms).getUTCDate() === +day)) return undefined;
  return fromEpochMs(ms + Number(millis) - offset * 60_000);
}

/**
 * Parses an event time and returns it as ISO 8601 UTC (`YYYY-MM-DDTHH:mm:ss.sssZ`), or
 * `undefined` when the value is not a timestamp.
 *
 * Accepted: unix seconds and milliseconds (numbers or numeric strings, told apart by size),
 * ISO 8601 with `Z`, offsets (`-05:00`, `+0000`) or up to 9 fractional digits (truncated to
 * milliseconds), `Y-m-d H:i:s`, date-only `Y-m-d`, and `Date` objects. A time without a time zone
 * is read as UTC, so prefer a provider's GMT field (`date_created_gmt`) when it has one.
 * Rejected: human strings (`"about 1 month ago"`, `" 5 Jan 2021 11:38 AM"`), impossible dates,
 * and numbers before 1973 (ages, counts) or after year 9999.
 */
export function parseTimestamp(value: unknown): string | undefined {
  if (typeof value === 'number') return fromUnix(value);
  if (value instanceof Date) return fromEpochMs(value.getTime());
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const text = value.trim();
  if (NUMERIC.test(text)) return fromUnix(Number(text));
  return fromIsoLike(text);
}
