import { type FlagMetricsSummary, parseHold, summarizeFlagMetrics } from '@app/flags';
import { assertSchemaReady } from '../assert-schema-ready.js';
import { InvalidOptionError } from '../errors.js';
import { isFlagMetricsStore } from '../flag-metrics-store.js';
import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';

/** Options of `app-migrate flags metrics`. */
export interface FlagsMetricsOptions {
  db?: string | undefined;
  config?: string | undefined;
  window?: string | undefined;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** A metric's rate under one variant in words: `5.0 % on (6 of 120)`, or why there is none. */
const rateOf = (rate: number | null, metricCount: number, evaluations: number, variant: 'on' | 'off') =>
  rate === null ? `no ${variant} evaluations` : `${percent(rate)} ${variant} (${count(metricCount)} of ${count(evaluations)})`;

/** One flag's summary as lines: evaluations and adoption, then each tracked metric on against off. */
function describeSummary(summary: FlagMetricsSummary, window: string, known: boolean): string[] {
  const { evaluations } = summary;
  const name = known ? summary.flagName : `${summary.flagName} (no stored flag of this name)`;
  const head =
    summary.enabledShare === null
      ? `${name}: no evaluations in ${window}`
      : `${name}: ${count(evaluations.total)} evaluations in ${window}, ${percent(summary.enabledShare)} on (${count(evaluations.on)}), ${count(evaluations.off)} off` +
        (summary.evaluationErrors === 0 ? '' : `; ${count(summary.evaluationErrors)} could not be evaluated (reason ERROR)`);
  return [head, ...summary.metrics.map((metric) => `  ${metric.metric}: ${rateOf(metric.onRate, metric.counts.on, evaluations.on, 'on')} vs ${rateOf(metric.offRate, metric.counts.off, evaluations.off, 'off')}`)];
}

/**
 * `app-migrate flags metrics [name] [--window 24h] [--json]`: the numbers of the seed's
 * monitoring checklist from the stored telemetry of the last `--window` (default 24 hours): per
 * flag, its evaluations and the share that gave the feature (adoption), the evaluations that
 * failed, and each tracked metric's rate with the feature on against off. Every stored flag is
 * listed (a flag without evaluations is a cleanup candidate), and telemetry of a name no stored
 * flag has. Only reads.
 */
export async function flagsMetricsCommand(positionals: string[], options: FlagsMetricsOptions, io: CliIo): Promise<number> {
  if (positionals.length > 1) throw new InvalidOptionError('flags metrics', `unexpected argument "${positionals[1]}"`);
  const flagName = positionals[0];
  const window = options.window ?? '24h';
  const windowMs = parseHold(window);
  if (windowMs === undefined) throw new InvalidOptionError('--window', `expected a whole number and a unit m, h, d or w (90m, 24h, 7d, 2w), got "${window}"`);
  const now = io.now?.() ?? Date.now();
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    await assertSchemaReady(store);
    if (!isFlagMetricsStore(store)) {
      say(io, 'This store keeps no flag telemetry (a FlagMetricsStore): nothing to show.');
      return EXIT_CODES.OK;
    }
    const stored = new Set((await store.listFlags()).map((flag) => flag.name));
    if (flagName !== undefined && !stored.has(flagName)) say(io, `No stored flag is named "${flagName}"; its telemetry, if any:`);
    const totals = await store.readFlagMetrics({ ...(flagName === undefined ? {} : { flagName }), since: new Date(now - windowMs).toISOString(), until: new Date(now + 1).toISOString() });
    const names = flagName !== undefined ? [flagName] : [...new Set([...stored, ...totals.map((total) => total.flagName)])].sort();
    const summaries = names.map((name) => summarizeFlagMetrics(totals, name));
    for (const summary of summaries) for (const line of describeSummary(summary, window, stored.has(summary.flagName))) say(io, line);
    io.report?.({ window, since: new Date(now - windowMs).toISOString(), until: new Date(now).toISOString(), flags: summaries });
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
