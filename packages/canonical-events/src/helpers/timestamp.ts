/**
 * Timestamps from provider payloads, returned as ISO 8601 UTC with milliseconds
 * (`2022-01-01T00:00:00.000Z`): one fixed-width format, so strings sort in time order.
 */

// Unix values below this are not plausible event times (1973-03-03 in seconds): they are ages,
// counts or ids, not timestamps.
const MIN_UNIX_SECONDS = 1e8;
// At or above this a unix value is read as milliseconds (1e11 s would be the year 5138).
const MILLISECONDS_FROM = 1e11;
const MAX_EPOCH_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

const NUMERIC = /^\d{9,16}(?:\.\d{1,9})?$/;
const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:Z|z|UTC|GMT|([+-])(\d{2})(?::?(\d{2}))?)?$/;

// `YYYY-MM-DDT` by day number, for the days met so far: events cluster on few days, so most
// times need only arithmetic on the time of day, and no Date. Bounded: cleared when full.
const dayPrefixes = new Map<number, string>();

/** `new Date(ms).toISOString()` for a time from 1973 to 9999. */
function formatIso(ms: number): string {
  const time = ms % 86_400_000;
  const day = ms - time;
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day).toISOString().slice(0, 11);
    if (dayPrefixes.size > 4095) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  // 1HHMMSSmmm as digits, then cut into its fields.
  const clock = `${1e9 + Math.floor(time / 3_600_000) * 1e7 + (Math.floor(time / 60_000) % 60) * 1e5 + (time % 60_000)}`;
  return `${prefix}${clock.slice(1, 3)}:${clock.slice(3, 5)}:${clock.slice(5, 7)}.${clock.slice(7)}Z`;
}

function fromEpochMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_UNIX_SECONDS * 1000 || ms > MAX_EPOCH_MS) return undefined;
  return formatIso(Math.trunc(ms));
}

function fromUnix(value: number): string | undefined {
  return fromEpochMs(Math.abs(value) >= MILLISECONDS_FROM ? value : value * 1000);
}

function fromIsoLike(text: string): string | undefined {
  const match = ISO_LIKE.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  const offsetHours = Number(match[9] ?? 0);
  const offsetMins = Number(match[10] ?? 0);
  // Date.UTC would roll 31 April over to 1 May; a date that does not exist is not a timestamp.
  // February has 28 days, 29 in leap years; the others 31 on odd months up to July and on even
  // ones from August, else 30.
  const days = month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : 30 + ((month + (month >> 3)) & 1);
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMins > 59) return undefined;
  const ms = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  return fromEpochMs(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000);
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

