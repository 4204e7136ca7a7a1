import { InvalidOptionError } from './errors.js';
import { DEFAULT_THROTTLE_PAUSE_MS } from './throttle.js';

/** How many batch timeouts a run with a timeout throttle takes within {@link DEFAULT_TIMEOUT_WINDOW_MS}; one more stops it. */
export const DEFAULT_MAX_TIMEOUTS = 5;

/**
 * The window the timeouts are counted in, in ms: 10 minutes, so that a run whose batches keep
 * timing out stops even when each timeout is as long as a batch's statement limit (30 s, say) and
 * is followed by its pause.
 */
export const DEFAULT_TIMEOUT_WINDOW_MS = 600_000;

/**
 * What a runner does when the database ends a batch on one of its limits (`lock_timeout`,
 * `statement_timeout`: `batchTimeouts`, or the connection's own): the batch is rolled back with
 * its checkpoint, and instead of ending the run (a statement timeout) or trying the same batch
 * again at once (a lock timeout), the runner pauses `pauseMs`, halves the batch and reads it
 * again; past `maxTimeouts` within `windowMs` it stops with a `TimeoutLimitError`.
 */
export interface TimeoutThrottleOptions {
  /** The most timeouts the run takes within `windowMs`; one more stops it. {@link DEFAULT_MAX_TIMEOUTS} (5) by default; 0 stops at the first. */
  maxTimeouts?: number | undefined;
  /** The window the timeouts are counted in, in ms; {@link DEFAULT_TIMEOUT_WINDOW_MS} (10 min) by default. */
  windowMs?: number | undefined;
  /** The pause after each timeout, in ms; {@link DEFAULT_THROTTLE_PAUSE_MS} (5 s) by default. */
  pauseMs?: number | undefined;
}

/** {@link TimeoutThrottleOptions} checked, with the defaults in place. */
export interface TimeoutThrottle {
  maxTimeouts: number;
  windowMs: number;
  pauseMs: number;
}

/**
 * Checks a runner's `timeoutThrottle` option: `null` without one.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the field: a `maxTimeouts` that is not an
 *   integer of at least 0, or a `windowMs` or `pauseMs` that is not a positive integer.
 */
export function timeoutThrottleOf(options: TimeoutThrottleOptions | undefined): TimeoutThrottle | null {
  if (options === undefined) return null;
  const maxTimeouts = options.maxTimeouts ?? DEFAULT_MAX_TIMEOUTS;
  if (!Number.isSafeInteger(maxTimeouts) || maxTimeouts < 0) throw new InvalidOptionError('timeoutThrottle.maxTimeouts', `must be an integer of at least 0, got ${String(maxTimeouts)}`);
  const positive = (option: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 1) throw new InvalidOptionError(`timeoutThrottle.${option}`, `must be a positive integer of milliseconds, got ${String(value)}`);
    return value;
  };
  return {
    maxTimeouts,
    windowMs: positive('windowMs', options.windowMs ?? DEFAULT_TIMEOUT_WINDOW_MS),
    pauseMs: positive('pauseMs', options.pauseMs ?? DEFAULT_THROTTLE_PAUSE_MS),
  };
}
