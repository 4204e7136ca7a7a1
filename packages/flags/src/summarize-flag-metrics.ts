import type { VariantCounts } from './check-guardrails.js';
import { EVALUATION_METRIC, type FlagMetricRow } from './flag-telemetry.js';

/** One tracked metric of a flag: its counts per variant and its rate per evaluation of each. */
export interface TrackedMetricSummary {
  metric: string;
  counts: VariantCounts;
  /** `counts.on` per `on` evaluation; `null` when no subject was evaluated `on` (no rate to tell). */
  onRate: number | null;
  /** `counts.off` per `off` evaluation; `null` when no subject was evaluated `off`. */
  offRate: number | null;
}

/**
 * The numbers of the seed's monitoring checklist for one flag over the rows' windows: how often it
 * was evaluated, the share of evaluations that gave the feature (adoption), how many evaluations
 * failed (reason `ERROR`), and each tracked metric's rate with the feature on against off.
 *
 * Telemetry counts evaluations, not distinct subjects: a subject evaluated ten times counts ten
 * times, so `enabledShare` is the share of evaluations, which matches the share of subjects when
 * subjects are evaluated alike.
 */
export interface FlagMetricsSummary {
  flagName: string;
  evaluations: VariantCounts & { total: number };
  /** `evaluations.on / evaluations.total`; `null` without evaluations. */
  enabledShare: number | null;
  /** Evaluations whose reason was `ERROR` (a row that could not be read, a bucketing that threw): always `off`. */
  evaluationErrors: number;
  /** Tracked metrics in name order. */
  metrics: TrackedMetricSummary[];
}

const rateOf = (count: number, evaluations: number) => (evaluations > 0 ? count / evaluations : null);

/**
 * Sums telemetry rows (as `readFlagMetrics` of a store or `drain` of a telemetry return them)
 * into one flag's {@link FlagMetricsSummary}; rows of other flags are ignored. Pure.
 */
export function summarizeFlagMetrics(rows: readonly Omit<FlagMetricRow, 'windowStart'>[], flagName: string): FlagMetricsSummary {
  const evaluations = { on: 0, off: 0, total: 0 };
  let evaluationErrors = 0;
  // A Map: a metric named "__proto__" is a metric like any other.
  const tracked = new Map<string, VariantCounts>();
  for (const row of rows) {
    if (row.flagName !== flagName) continue;
    if (row.metric === EVALUATION_METRIC) {
      evaluations[row.variant] += row.count;
      evaluations.total += row.count;
      if (row.reason === 'ERROR') evaluationErrors += row.count;
      continue;
    }
    const counts = tracked.get(row.metric) ?? { on: 0, off: 0 };
    counts[row.variant] += row.count;
    tracked.set(row.metric, counts);
  }
  const metrics = [...tracked.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([metric, counts]) => ({ metric, counts, onRate: rateOf(counts.on, evaluations.on), offRate: rateOf(counts.off, evaluations.off) }));
  return { flagName, evaluations, enabledShare: rateOf(evaluations.on, evaluations.total), evaluationErrors, metrics };
}
