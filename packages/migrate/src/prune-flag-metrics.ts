import type { FlagMetricsStore } from './flag-metrics-store.js';

/**
 * How many days of flag telemetry `pruneFlagMetrics` and `app-migrate flags prune-metrics` keep
 * by default: long enough for the seed's slowest decision (a week at 100 %, then two weeks before
 * cleanup, with `flags stale --unused-days` looking back as far) several times over.
 */
export const DEFAULT_METRICS_RETENTION_DAYS = 90;

const DAY_MS = 86_400_000;

/** Options of {@link pruneFlagMetrics}. */
export interface PruneFlagMetricsOptions {
  /** Days of windows to keep, counted back from `now`: a whole number from 1; {@link DEFAULT_METRICS_RETENTION_DAYS} when absent. */
  keepDays?: number;
  /** The clock (an argument, so a test or a scheduler decides it). */
  now: Date;
}

/** What {@link pruneFlagMetrics} deleted: the windows that started before `before`. */
export interface PrunedFlagMetrics {
  /** ISO 8601: `now` minus `keepDays` days. */
  before: string;
  /** Stored rows deleted (one per window, flag, metric, variant and reason). */
  deleted: number;
}

/**
 * The retention of flag telemetry: deletes, through the {@link FlagMetricsStore} port, every
 * window that started more than `keepDays` days before `now`. Run it on a schedule (daily, say),
 * or `app-migrate flags prune-metrics --keep-days N`. Guardrails read only the current stage's
 * windows and `flags stale` only its `--unused-days`: keep at least as many days as those look
 * back, or an unused flag's old evaluations stop counting and it is listed as unused sooner.
 *
 * @throws TypeError when `keepDays` is not a whole number from 1 or `now` is no time.
 */
export async function pruneFlagMetrics(metrics: FlagMetricsStore, options: PruneFlagMetricsOptions): Promise<PrunedFlagMetrics> {
  const keepDays = options.keepDays ?? DEFAULT_METRICS_RETENTION_DAYS;
  if (!Number.isSafeInteger(keepDays) || keepDays < 1) throw new TypeError(`keepDays must be a whole number of days from 1, got ${keepDays}`);
  const now = options.now.getTime();
  if (Number.isNaN(now)) throw new TypeError('now must be a valid Date');
  const before = new Date(now - keepDays * DAY_MS).toISOString();
  return { before, deleted: await metrics.deleteFlagMetrics({ before }) };
}
