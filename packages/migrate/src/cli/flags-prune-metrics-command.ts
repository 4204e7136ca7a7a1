import { InvalidOptionError } from '../errors.js';
import type { FlagMetricsStore } from '../flag-metrics-store.js';
import { DEFAULT_METRICS_RETENTION_DAYS, pruneFlagMetrics } from '../prune-flag-metrics.js';
import { type CliIo, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';
import { positiveIntegerOption } from './option-values.js';

/** Options of `app-migrate flags prune-metrics`. */
export interface FlagsPruneMetricsOptions {
  db?: string | undefined;
  config?: string | undefined;
  'keep-days'?: string | undefined;
}

const hasMetrics = (store: object): store is FlagMetricsStore => typeof (store as Partial<FlagMetricsStore>).deleteFlagMetrics === 'function';

/**
 * `app-migrate flags prune-metrics [--keep-days 90]`: the retention of flag telemetry. Deletes
 * the windows that started more than `--keep-days` days ago (`pruneFlagMetrics`), so the
 * telemetry table stops growing; run it on a schedule.
 */
export async function flagsPruneMetricsCommand(positionals: string[], options: FlagsPruneMetricsOptions, io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new InvalidOptionError('flags prune-metrics', `unexpected argument "${positionals[0]}"`);
  const keepDays = positiveIntegerOption('--keep-days', options['keep-days']) ?? DEFAULT_METRICS_RETENTION_DAYS;
  const now = new Date(io.now?.() ?? Date.now());
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    if (!hasMetrics(store)) throw new InvalidOptionError('flags prune-metrics', 'this store keeps no flag telemetry');
    await store.ensureSchema();
    const pruned = await pruneFlagMetrics(store, { keepDays, now });
    say(io, `Deleted ${pruned.deleted} flag telemetry row${pruned.deleted === 1 ? '' : 's'} of windows before ${pruned.before} (kept ${keepDays} days).`);
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
