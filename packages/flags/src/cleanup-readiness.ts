import { type FlagState, type FlagStateChange, exposureOf, stageEnteredAt } from './flag-state.js';
import { CLEANUP_AFTER_MS } from './rollout-plan.js';

/** Whether a flag can be removed from the code and the database (the seed's cleanup phase). */
export interface CleanupReadiness {
  ready: boolean;
  /** `on` when everyone gets the feature, `off` when nobody does, `partial` otherwise. */
  state: 'on' | 'off' | 'partial';
  /** When the flag reached its current exposure, from its history (or the fallback); `null` when unknown. */
  since: Date | null;
}

/**
 * A flag is ready for cleanup when it is fully on (or off) and its exposure has not changed for
 * 14 days ({@link CLEANUP_AFTER_MS}). `now` is the clock; `fallback` (the row's `updated_at`)
 * stands in when the history has no change.
 */
export function cleanupReadiness(flag: FlagState, history: readonly FlagStateChange[], now: Date, fallback: string | Date | null = null): CleanupReadiness {
  const exposure = exposureOf(flag);
  const state = exposure === 100 ? 'on' : exposure === 0 ? 'off' : 'partial';
  const since = stageEnteredAt(history, fallback);
  const ready = state !== 'partial' && since !== null && now.getTime() - since.getTime() >= CLEANUP_AFTER_MS;
  return { ready, state, since };
}
