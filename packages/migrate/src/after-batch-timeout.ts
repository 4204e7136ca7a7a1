import type { BatchTimeoutKind } from './batch-timeout-kind.js';
import type { PauseReason } from './throttle.js';
import type { TimeoutThrottle } from './timeout-throttle.js';

/**
 * What a runner does after a batch the database ended on a limit: `pause` `ms` and read the
 * batch again, smaller; `limited`, end the run now (status `limited`, resumable), the pause not
 * fitting in the wait it has left; `stop`, fail the run, `recent` timeouts (this one included)
 * having come within the window, more than allowed.
 */
export type TimeoutDecision =
  | { action: 'pause'; ms: number; reason: string; code: PauseReason; recent: number }
  | { action: 'limited'; reason: string; code: PauseReason; recent: number }
  | { action: 'stop'; recent: number };

const seconds = (ms: number) => `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;

/**
 * The decision after a `kind` timeout at `now`, `earlier` being the times of the run's earlier
 * timeouts and `until` the latest time a pause may end (the run's time box, or what is left of its
 * `maxWaitMs`). Pure: the clock is its argument. A run never pauses past `until`, so its pauses add
 * up to `maxWaitMs` at most, and it stops once more than `maxTimeouts` timeouts came within
 * `windowMs` (a timeout exactly `windowMs` old is out of the window).
 */
export function afterBatchTimeout(kind: BatchTimeoutKind, earlier: readonly number[], now: number, until: number, throttle: TimeoutThrottle): TimeoutDecision {
  let recent = 1;
  for (const at of earlier) if (now - at < throttle.windowMs) recent++;
  if (recent > throttle.maxTimeouts) return { action: 'stop', recent };
  const code: PauseReason = kind === 'lock' ? 'lock-timeouts' : 'statement-timeouts';
  const reason = `the database ended a batch on its ${kind === 'lock' ? 'lock' : 'statement'} timeout (${recent} of ${throttle.maxTimeouts} allowed within ${seconds(throttle.windowMs)}): rolled back, read again at half the size after ${seconds(throttle.pauseMs)}`;
  if (now + throttle.pauseMs > until) return { action: 'limited', reason, code, recent };
  return { action: 'pause', ms: throttle.pauseMs, reason, code, recent };
}
