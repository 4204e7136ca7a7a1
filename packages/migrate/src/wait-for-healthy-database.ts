import type { Throttle } from './throttle.js';
import { throttleReason } from './throttle-reason.js';
import { sleepUnlessAborted } from './sleep-unless-aborted.js';

/** What {@link waitForHealthyDatabase} needs besides the throttle. */
export interface HealthWaitOptions {
  /** Ends the wait at once, unpaused or not. */
  signal?: AbortSignal | undefined;
  /** Called once per reading that pauses, with the reason (for progress). */
  onPause?: (reason: string) => void;
  /** Called after each wait before the next reading, e.g. to renew a lease; a throw ends the wait. */
  afterPause?: () => Promise<void> | void;
  /** Waits `ms` or until the signal aborts; a timer by default (tests pass a fake clock). */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** The clock, for the time paused; `Date.now` by default. */
  now?: () => number;
  /**
   * Stop waiting at this time (of `now`), the database still unhealthy: a runner with a time box
   * (`maxDurationMs`, the admin's slices) ends its run when the box ends rather than outlast it.
   */
  until?: number | undefined;
}

/** How {@link waitForHealthyDatabase} ended. */
export interface HealthWait {
  /** It waited at least once. */
  paused: boolean;
  /** The time spent waiting, in ms (0 when it did not pause). */
  pausedMs: number;
  /** The last reading gave no reason to pause; `false` when it stopped on the signal or at `until`. */
  healthy: boolean;
  /** The reason of the last reading that paused, when it stopped unhealthy. */
  reason?: string;
}

/**
 * Reads the database's health and, while {@link throttleReason} gives a reason to pause, waits
 * `throttle.pauseMs` and reads again. Resolves when the database is healthy, the signal aborted or
 * `until` came: whether it paused, the time spent paused, and whether it ended healthy.
 */
export async function waitForHealthyDatabase(throttle: Throttle, options: HealthWaitOptions = {}): Promise<HealthWait> {
  const sleep = options.sleep ?? sleepUnlessAborted;
  const now = options.now ?? Date.now;
  // No time (undefined, or NaN from an invalid clock) means no end: never a busy loop of readings.
  const until = options.until === undefined || Number.isNaN(options.until) ? Number.POSITIVE_INFINITY : options.until;
  const started = now();
  const aborted = () => options.signal?.aborted === true;
  let paused = false;
  let reason: string | null = null;
  while (!aborted()) {
    reason = throttleReason(await throttle.health.readDatabaseHealth(), throttle);
    if (reason === null) break;
    paused = true;
    options.onPause?.(reason);
    const left = until - now();
    if (left <= 0) break;
    await sleep(Math.max(0, Math.min(throttle.pauseMs, left)), options.signal);
    if (aborted()) break;
    await options.afterPause?.();
  }
  const healthy = reason === null && !aborted();
  return { paused, pausedMs: paused ? Math.max(0, now() - started) : 0, healthy, ...(healthy || reason === null ? {} : { reason }) };
}
