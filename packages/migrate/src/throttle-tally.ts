import type { Throttle, ThrottleReport } from './throttle.js';
import { waitForHealthyDatabase } from './wait-for-healthy-database.js';

/** What a runner does after {@link ThrottleTally.beforeBatch}: write the batch, or stop as the wait ended. */
export type AfterThrottle = 'write' | 'aborted' | 'limited';

/** A runner's throttle over a whole run: the wait before each batch, and the pauses it adds up for the report. */
export interface ThrottleTally {
  /**
   * Waits while the database is unhealthy, at most until `until` (the run's clock), renewing the
   * lease through `renewLeaseIfDue`: `write` when healthy, `aborted` on the signal, `limited`
   * when `until` came first (the reason is kept for the report's `pausedAtEnd`).
   */
  beforeBatch(options: { until: number; onPause: (reason: string) => void }): Promise<AfterThrottle>;
  /** Time spent paused so far, in ms. */
  pausedMs(): number;
  /** The report's `throttle`. */
  report(): ThrottleReport;
}

/** A {@link ThrottleTally} for one run. */
export function throttleTally(throttle: Throttle, run: { signal: AbortSignal | undefined; now: () => number; renewLeaseIfDue: () => Promise<void> }): ThrottleTally {
  const tally = { pauses: 0, pausedMs: 0 };
  let pausedAtEnd: string | undefined;
  return {
    async beforeBatch({ until, onPause }) {
      const waited = await waitForHealthyDatabase(throttle, {
        signal: run.signal,
        now: run.now,
        onPause,
        // A long pause must not let the lease lapse: another runner could take the run over.
        afterPause: run.renewLeaseIfDue,
        until,
      });
      if (waited.paused) {
        tally.pauses++;
        tally.pausedMs += waited.pausedMs;
      }
      if (run.signal?.aborted) return 'aborted';
      if (waited.healthy) return 'write';
      pausedAtEnd = waited.reason;
      return 'limited';
    },
    pausedMs: () => tally.pausedMs,
    report: () => ({ ...tally, ...(pausedAtEnd === undefined ? {} : { pausedAtEnd }) }),
  };
}
