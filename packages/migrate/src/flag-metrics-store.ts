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
  /** Adds the rows' counts (rows of the same window and key add up). All rows or none are written. */
  writeFlagMetrics(rows: readonly FlagMetricRow[]): Promise<void>;
  /** The counts of the selected windows, summed per flag, metric, variant and reason. */
  readFlagMetrics(query?: FlagMetricsQuery): Promise<FlagMetricTotal[]>;
}

/** Checks telemetry rows before a store writes them, the same way for every store; the first problem, or `null`. */
export function invalidMetricRow(rows: readonly FlagMetricRow[]): string | null {
  for (const [index, row] of rows.entries()) {
    const problem =
      Number.isNaN(Date.parse(row?.windowStart)) ? 'windowStart must be an ISO 8601 time'
      : typeof row.flagName !== 'string' || row.flagName === '' ? 'flagName must be a non-empty string'
      : typeof row.metric !== 'string' || row.metric === '' || row.metric.length > 100 ? 'metric must be a name of 1 to 100 characters'
      : row.variant !== 'on' && row.variant !== 'off' ? 'variant must be "on" or "off"'
      : typeof row.reason !== 'string' || row.reason.length > 32 ? 'reason must be a string of at most 32 characters'
      : !Number.isSafeInteger(row.count) || row.count < 1 ? 'count must be a positive integer'
      : null;
    if (problem !== null) return `telemetry row ${index}: ${problem}`;
  }
  return null;
}

/** Sums rows per flag, metric, variant and reason, in that order (what every store returns). */
export function totalMetrics(rows: Iterable<FlagMetricRow>, query: FlagMetricsQuery = {}): FlagMetricTotal[] {
  const since = query.since === undefined ? -Infinity : Date.parse(query.since);
  const until = query.until === undefined ? Infinity : Date.parse(query.until);
  const totals = new Map<string, FlagMetricTotal>();
  for (const row of rows) {
    const at = Date.parse(row.windowStart);
    if ((query.flagName !== undefined && row.flagName !== query.flagName) || at < since || at >= until) continue;
    const key = JSON.stringify([row.flagName, row.metric, row.variant, row.reason]);
    const total = totals.get(key);
    if (total) total.count += row.count;
    else totals.set(key, { flagName: row.flagName, metric: row.metric, variant: row.variant, reason: row.reason, count: row.count });
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
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
      return totalMetrics(stored, query);
    },
    rows: () => stored.map((row) => ({ ...row })),
  };
}
