import type { FlagMetrics } from './check-guardrails.js';
import type { FlagEvaluation } from './evaluation.js';

/** The metric under which evaluations are counted; tracked metrics must not start with `$`. */
export const EVALUATION_METRIC = '$evaluation';

/**
 * One row of flag telemetry: how many times, in the window starting at `windowStart`, `flagName`
 * was evaluated (`metric` {@link EVALUATION_METRIC}, with the evaluation's `reason`) or a tracked
 * metric was reported (`reason` `''`) for subjects who had the `on` or `off` variant.
 */
export interface FlagMetricRow {
  /** ISO 8601, a multiple of the window length since the epoch. */
  windowStart: string;
  flagName: string;
  metric: string;
  variant: 'on' | 'off';
  reason: string;
  count: number;
}

/** Options of {@link createFlagTelemetry}. */
export interface FlagTelemetryOptions {
  /** The length of a window, in milliseconds (default 60,000). */
  windowMs?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * Counts evaluations and tracked metrics in memory, per window, flag, metric, variant and reason,
 * so thousands of evaluations a second become a few rows a minute. Counting is synchronous and
 * `drain` takes every count at once, so no count is lost or counted twice however evaluations and
 * flushes interleave.
 */
export interface FlagTelemetry {
  /** Counts one evaluation (an evaluation hook): its flag, value and reason. */
  recordEvaluation(evaluation: Pick<FlagEvaluation, 'flagName' | 'value' | 'reason'>): void;
  /** Counts `count` of `metric` (`error`, `checkout`…) for a subject who had `variant` of `flagName`. */
  track(flagName: string, variant: 'on' | 'off', metric: string, count?: number): void;
  /** Takes every count so far as rows, leaving none. */
  drain(): FlagMetricRow[];
  /** Puts rows back (a flush that failed), added to what was counted since. */
  restore(rows: readonly FlagMetricRow[]): void;
  /** How many rows a drain would return now. */
  readonly pendingRows: number;
}

const SEPARATOR = '\u0000';

/** An in-memory {@link FlagTelemetry}. */
export function createFlagTelemetry(options: FlagTelemetryOptions = {}): FlagTelemetry {
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`);
  const now = options.now ?? Date.now;
  let counts = new Map<string, FlagMetricRow>();
  const add = (row: Omit<FlagMetricRow, 'count'>, count: number) => {
    const key = [row.windowStart, row.flagName, row.metric, row.variant, row.reason].join(SEPARATOR);
    const existing = counts.get(key);
    if (existing) existing.count += count;
    else counts.set(key, { ...row, count });
  };
  const windowStart = () => {
    const time = now();
    return new Date(time - (time % windowMs)).toISOString();
  };
  return {
    recordEvaluation(evaluation) {
      add({ windowStart: windowStart(), flagName: evaluation.flagName, metric: EVALUATION_METRIC, variant: evaluation.value ? 'on' : 'off', reason: evaluation.reason }, 1);
    },
    track(flagName, variant, metric, count = 1) {
      if (typeof metric !== 'string' || metric === '' || metric.startsWith('$')) throw new TypeError(`a tracked metric is a non-empty name not starting with $, got ${JSON.stringify(metric)}`);
      if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
      add({ windowStart: windowStart(), flagName, metric, variant: variant === 'on' ? 'on' : 'off', reason: '' }, count);
    },
    drain() {
      const rows = [...counts.values()];
      counts = new Map();
      return rows;
    },
    restore(rows) {
      for (const { count, ...row } of rows) add(row, count);
    },
    get pendingRows() {
      return counts.size;
    },
  };
}

/**
 * Drains `telemetry` and writes the rows through `write` (a metrics store's `writeFlagMetrics`).
 * When the write fails the rows go back into `telemetry` (nothing is lost) and the error is
 * rethrown. Returns the number of rows written.
 */
export async function flushFlagTelemetry(telemetry: FlagTelemetry, write: (rows: FlagMetricRow[]) => Promise<unknown>): Promise<number> {
  const rows = telemetry.drain();
  if (rows.length === 0) return 0;
  try {
    await write(rows);
  } catch (error) {
    telemetry.restore(rows);
    throw error;
  }
  return rows.length;
}

/** Rows summed into one flag's {@link FlagMetrics} (what `checkGuardrails` reads). */
export function flagMetricsOf(rows: readonly Pick<FlagMetricRow, 'flagName' | 'metric' | 'variant' | 'count'>[], flagName: string): FlagMetrics {
  const evaluations = { on: 0, off: 0 };
  // A Map, then own entries: a metric named "__proto__" or "constructor" is a metric like any other.
  const tracked = new Map<string, { on: number; off: number }>();
  for (const row of rows) {
    if (row.flagName !== flagName) continue;
    let counts = evaluations;
    if (row.metric !== EVALUATION_METRIC) {
      counts = tracked.get(row.metric) ?? { on: 0, off: 0 };
      tracked.set(row.metric, counts);
    }
    counts[row.variant] += row.count;
  }
  return { evaluations, metrics: Object.fromEntries(tracked) };
}
