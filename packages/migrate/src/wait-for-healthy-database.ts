import type { Throttle } from './throttle.js';
import { throttleReason } from './throttle-reason.js';

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
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads the database's health and, while {@link throttleReason} gives a reason to pause, waits
 * `throttle.pauseMs` and reads again. Resolves when the database is healthy or the signal aborted,
 * whether it paused, and the time spent paused.
 */
export async function waitForHealthyDatabase(throttle: Throttle, options: HealthWaitOptions = {}): Promise<{ paused: boolean; pausedMs: number }> {
  const sleep = options.sleep ?? sleepUnlessAborted;
  const now = options.now ?? Date.now;
  const started = now();
  const aborted = () => options.signal?.aborted === true;
  let paused = false;
  while (!aborted()) {
    const reason = throttleReason(await throttle.health.readDatabaseHealth(), throttle);
    if (reason === null) break;
    paused = true;
    options.onPause?.(reason);
    await sleep(throttle.pauseMs, options.signal);
    if (aborted()) break;
    await options.afterPause?.();
  }
  return { paused, pausedMs: paused ? Math.max(0, now() - started) : 0 };
}
