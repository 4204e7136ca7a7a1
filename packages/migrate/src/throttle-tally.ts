import type { PauseReason, Throttle, ThrottleReport } from './throttle.js';
import { sleepUnlessAborted } from './sleep-unless-aborted.js';
import { waitForHealthyDatabase } from './wait-for-healthy-database.js';

/** What a runner does after {@link ThrottleTally.beforeBatch}: write the batch, or stop as the wait ended. */
export type AfterThrottle = 'write' | 'aborted' | 'limited';

/** A runner's throttle over a whole run: the wait before each batch, the pauses after a batch timeout, and the pauses it adds up for the report. */
export interface ThrottleTally {
  /**
   * Waits while the database is unhealthy, at most until `until` (the run's clock), renewing the
   * lease through `renewLeaseIfDue`: `write` when healthy (at once without a replica throttle),
   * `aborted` on the signal, `limited` when `until` came first (the reason is kept for the
   * report's `pausedAtEnd`).
   */
  beforeBatch(options: { until: number; onPause: (reason: string) => void }): Promise<AfterThrottle>;
  /**
   * Pauses `ms` for `code` (a batch timeout), calling `onPause` as it starts and renewing the lease
   * after: `write` once the pause is over, `aborted` when the signal ended it.
   */
  pause(ms: number, code: PauseReason, onPause: () => void): Promise<Exclude<AfterThrottle, 'limited'>>;
  /** The run ends still paused, for `reason` (the report's `pausedAtEnd`). */
  endPaused(reason: string): void;
  /** Time spent paused so far, in ms. */
  pausedMs(): number;
  /** The report's `throttle`. */
  report(): ThrottleReport;
}

/** A {@link ThrottleTally} for one run; `throttle` is the replica throttle, when the run has one. */
export function throttleTally(throttle: Throttle | null, run: { signal: AbortSignal | undefined; now: () => number; renewLeaseIfDue: () => Promise<void> }): ThrottleTally {
  const tally = { pauses: 0, pausedMs: 0 };
  const reasons: Partial<Record<PauseReason, number>> = {};
  const paused = (code: PauseReason, ms: number) => {
    tally.pauses++;
    tally.pausedMs += ms;
    reasons[code] = (reasons[code] ?? 0) + 1;
  };
  let pausedAtEnd: string | undefined;
  return {
    async beforeBatch({ until, onPause }) {
      if (throttle === null) return run.signal?.aborted ? 'aborted' : 'write';
      const waited = await waitForHealthyDatabase(throttle, {
        signal: run.signal,
        now: run.now,
        onPause,
        // A long pause must not let the lease lapse: another runner could take the run over.
        afterPause: run.renewLeaseIfDue,
        until,
      });
      if (waited.paused) paused('replication-lag', waited.pausedMs);
      if (run.signal?.aborted) return 'aborted';
      if (waited.healthy) return 'write';
      pausedAtEnd = waited.reason;
      return 'limited';
    },
    async pause(ms, code, onPause) {
      const started = run.now();
      onPause();
      await sleepUnlessAborted(ms, run.signal);
      paused(code, Math.max(0, run.now() - started));
      if (run.signal?.aborted) return 'aborted';
      await run.renewLeaseIfDue();
      return 'write';
    },
    endPaused(reason) {
      pausedAtEnd = reason;
    },
    pausedMs: () => tally.pausedMs,
    report: () => ({ ...tally, ...(tally.pauses === 0 ? {} : { reasons: { ...reasons } }), ...(pausedAtEnd === undefined ? {} : { pausedAtEnd }) }),
  };
}
