import type { BatchTimeouts } from './migration-store.js';
import { positiveInteger } from './run-options.js';

/**
 * A runner's `batchTimeouts` checked: each limit a positive integer of milliseconds, absent
 * limits left out; `undefined` when it sets none, so a store gets nothing to apply.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the limit (`batchTimeouts.lockTimeoutMs`).
 */
export function batchTimeoutsOf(options: BatchTimeouts | undefined): BatchTimeouts | undefined {
  if (options === undefined) return undefined;
  const timeouts: BatchTimeouts = {};
  if (options.lockTimeoutMs !== undefined) timeouts.lockTimeoutMs = positiveInteger('batchTimeouts.lockTimeoutMs', options.lockTimeoutMs, 1);
  if (options.statementTimeoutMs !== undefined) timeouts.statementTimeoutMs = positiveInteger('batchTimeouts.statementTimeoutMs', options.statementTimeoutMs, 1);
  return timeouts.lockTimeoutMs === undefined && timeouts.statementTimeoutMs === undefined ? undefined : timeouts;
}
