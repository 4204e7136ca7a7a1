import { type FlagStateChange, EVALUATION_METRIC, exposureOf, stageEnteredAt } from '@app/flags';
import type { FlagMetricTotal } from './flag-metrics-store.js';
import type { StoredFlag } from './flag-store.js';

/** A flag that is done: fully on or off, unchanged for the period, or never evaluated. */
export interface StaleFlag {
  flagName: string;
  /** `on` (everyone has it), `off` (nobody) or `partial`. */
  state: 'on' | 'off' | 'partial';
  /** When the flag reached its current exposure (from its history, else `updated_at`). */
  since: string | null;
  /** Fully on or off and unchanged for at least the period: remove the checks from the code, then the flag. */
  settled: boolean;
  /** Not evaluated once in the telemetry window; `null` when no telemetry was given. */
  unused: boolean | null;
}

/**
 * The flags that can go (pure; the clock is an argument): those fully on (or off) and unchanged
 * for `days` days (the seed's cleanup: two weeks after a stable 100 %), and, when telemetry
 * totals of the window are given, those never evaluated in it. Other flags are left out.
 */
export function staleFlags(
  flags: readonly StoredFlag[],
  historyOf: (flagName: string) => readonly FlagStateChange[],
  now: Date,
  days: number,
  evaluations?: readonly FlagMetricTotal[],
): StaleFlag[] {
  const evaluated = evaluations === undefined ? undefined : new Set(evaluations.filter((t) => t.metric === EVALUATION_METRIC && t.count > 0).map((t) => t.flagName));
  const stale: StaleFlag[] = [];
  for (const flag of flags) {
    const exposure = exposureOf(flag);
    const state = exposure === 100 ? 'on' : exposure === 0 ? 'off' : 'partial';
    const since = stageEnteredAt(historyOf(flag.name), flag.updated_at);
    const settled = state !== 'partial' && since !== null && now.getTime() - since.getTime() >= days * 86_400_000;
    const unused = evaluated === undefined ? null : !evaluated.has(flag.name);
    if (settled || unused === true) stale.push({ flagName: flag.name, state, since: since?.toISOString() ?? null, settled, unused });
  }
  return stale;
}
