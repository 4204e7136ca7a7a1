import type { FlagMetricRow } from '@app/flags';

/** Which telemetry rows {@link FlagMetricsStore.readFlagMetrics} sums. */
export interface FlagMetricsQuery {
  /** Only this flag; every flag when absent. */
  flagName?: string;
  /** Windows starting at or after this time (ISO 8601). */
  since?: string;
  /** Windows starting before this time (ISO 8601). */
  until?: string;
}

/** Counts summed over the windows a query selects. */
export type FlagMetricTotal = Omit<FlagMetricRow, 'windowStart'>;

/**
 * Flag telemetry (evaluations and tracked metrics per window, flag, variant and reason): a port of
 * its own, beside the flag store, so an application can keep metrics elsewhere. A flush of the
 * in-memory aggregator (`createFlagTelemetry` of `@app/flags`) is one `writeFlagMetrics` call.
 */
export interface FlagMetricsStore {
  /**
   * Adds the rows' counts to the stored ones (rows of the same window and key add up, also across
   * concurrent writers). All rows or none are written: a row that fails `invalidMetricRow`
   * throws a `TypeError` naming it, and nothing of the write is stored.
   */
  writeFlagMetrics(rows: readonly FlagMetricRow[]): Promise<void>;
  /** The counts of the selected windows, summed per flag, metric, variant and reason, in that order; a query that fails `invalidMetricsQuery` throws a `TypeError`. */
  readFlagMetrics(query?: FlagMetricsQuery): Promise<FlagMetricTotal[]>;
  /**
   * Deletes every window that started before `before` (ISO 8601), of every flag, and returns how
   * many stored rows it deleted: the retention of telemetry (see `pruneFlagMetrics`). A `before`
   * that is no time throws a `TypeError` and deletes nothing.
   */
  deleteFlagMetrics(query: FlagMetricsDeletion): Promise<number>;
}

/** Which telemetry rows {@link FlagMetricsStore.deleteFlagMetrics} deletes. */
export interface FlagMetricsDeletion {
  /** Windows starting before this time (ISO 8601). */
  before: string;
}

/** Checks a deletion the same way for every store: the problem, or `null`. */
export function invalidMetricsDeletion(query: FlagMetricsDeletion): string | null {
  const before = (query as Partial<FlagMetricsDeletion> | null)?.before;
  return typeof before === 'string' && !Number.isNaN(Date.parse(before)) ? null : `before must be an ISO 8601 time, got ${JSON.stringify(before)}`;
}

/** Whether `store` keeps flag telemetry: every SQL adapter's store and the memory store do; an application's own store may not. */
export function isFlagMetricsStore(store: object): store is FlagMetricsStore {
  return typeof (store as Partial<FlagMetricsStore>).readFlagMetrics === 'function' && typeof (store as Partial<FlagMetricsStore>).writeFlagMetrics === 'function';
}

// Every database holds these (MySQL's DATETIME stops at 9999), and ISO text of them sorts as time.
const EARLIEST_WINDOW = Date.parse('1970-01-01T00:00:00.000Z');
const LATEST_WINDOW = Date.parse('9999-12-31T23:59:59.999Z');

const inWindowRange = (time: unknown) => {
  const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return at >= EARLIEST_WINDOW && at <= LATEST_WINDOW;
};

/**
 * Checks telemetry rows before a store writes them, the same way for every store; the first
 * problem, naming the row and the field, or `null`. A store writes none of the rows when one has
 * a problem.
 */
export function invalidMetricRow(rows: readonly FlagMetricRow[]): string | null {
  for (const [index, row] of rows.entries()) {
    const problem =
      typeof row !== 'object' || row === null ? 'must be an object'
      : !inWindowRange(row.windowStart) ? 'windowStart must be an ISO 8601 time from 1970 to 9999'
      : typeof row.flagName !== 'string' || row.flagName === '' || row.flagName.length > 191 ? 'flagName must be a name of 1 to 191 characters'
      : typeof row.metric !== 'string' || row.metric === '' || row.metric.length > 100 ? 'metric must be a name of 1 to 100 characters'
      : row.variant !== 'on' && row.variant !== 'off' ? 'variant must be "on" or "off"'
      : typeof row.reason !== 'string' || row.reason.length > 32 ? 'reason must be a string of at most 32 characters'
      : !Number.isSafeInteger(row.count) || row.count < 1 ? 'count must be a positive integer'
      : null;
    if (problem !== null) return `telemetry row ${index}: ${problem}`;
  }
  return null;
}

/** Checks a query the same way for every store: the problem, or `null`. */
export function invalidMetricsQuery(query: FlagMetricsQuery = {}): string | null {
  for (const bound of ['since', 'until'] as const) {
    if (query[bound] !== undefined && Number.isNaN(Date.parse(query[bound]))) return `${bound} must be an ISO 8601 time, got ${JSON.stringify(query[bound])}`;
  }
  if (query.flagName !== undefined && typeof query.flagName !== 'string') return 'flagName must be a string';
  return null;
}

/**
 * The rows of one write as a store adds them: rows of the same window and key summed into one,
 * `windowStart` as `Date#toISOString` text, sorted by key (so concurrent writers lock rows in the
 * same order). Call it after {@link invalidMetricRow}.
 */
export function mergedMetricRows(rows: readonly FlagMetricRow[]): FlagMetricRow[] {
  const merged = new Map<string, FlagMetricRow>();
  for (const row of rows) {
    const windowStart = new Date(row.windowStart).toISOString();
    const key = JSON.stringify([row.flagName, windowStart, row.metric, row.variant, row.reason]);
    const existing = merged.get(key);
    if (existing) existing.count += row.count;
    else merged.set(key, { windowStart, flagName: row.flagName, metric: row.metric, variant: row.variant, reason: row.reason, count: row.count });
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

const totalKey = (total: Omit<FlagMetricTotal, 'count'>) => JSON.stringify([total.flagName, total.metric, total.variant, total.reason]);

/** Totals in the order every store returns them: by flag, metric, variant and reason, as JavaScript compares strings. */
export function sortMetricTotals(totals: FlagMetricTotal[]): FlagMetricTotal[] {
  return totals.map((total) => [totalKey(total), total] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
}

/** Sums rows per flag, metric, variant and reason, in that order (what every store returns). */
export function totalMetrics(rows: Iterable<FlagMetricRow>, query: FlagMetricsQuery = {}): FlagMetricTotal[] {
  const since = query.since === undefined ? -Infinity : Date.parse(query.since);
  const until = query.until === undefined ? Infinity : Date.parse(query.until);
  const totals = new Map<string, FlagMetricTotal>();
  for (const row of rows) {
    const at = Date.parse(row.windowStart);
    if ((query.flagName !== undefined && row.flagName !== query.flagName) || at < since || at >= until) continue;
    const key = totalKey(row);
    const total = totals.get(key);
    if (total) total.count += row.count;
    else totals.set(key, { flagName: row.flagName, metric: row.metric, variant: row.variant, reason: row.reason, count: row.count });
  }
  return sortMetricTotals([...totals.values()]);
}

/** An in-memory {@link FlagMetricsStore}, for tests, examples and a single process. */
export function createMemoryFlagMetricsStore(): FlagMetricsStore & { rows(): FlagMetricRow[] } {
  const stored: FlagMetricRow[] = [];
  return {
    async writeFlagMetrics(rows) {
      const problem = invalidMetricRow(rows);
      if (problem !== null) throw new TypeError(problem);
      stored.push(...rows.map((row) => ({ ...row })));
    },
    async readFlagMetrics(query) {
      const problem = invalidMetricsQuery(query);
      if (problem !== null) throw new TypeError(problem);
      return totalMetrics(stored, query);
    },
    async deleteFlagMetrics(query) {
      const problem = invalidMetricsDeletion(query);
      if (problem !== null) throw new TypeError(problem);
      const before = Date.parse(query.before);
      const kept = stored.filter((row) => Date.parse(row.windowStart) >= before);
      // Rows of one key written apart are one stored row in SQL: count deleted keys as they do.
      const deleted = new Set(stored.filter((row) => Date.parse(row.windowStart) < before).map((row) => JSON.stringify([row.flagName, new Date(row.windowStart).toISOString(), row.metric, row.variant, row.reason]))).size;
      stored.splice(0, stored.length, ...kept);
      return deleted;
    },
    rows: () => stored.map((row) => ({ ...row })),
  };
}
