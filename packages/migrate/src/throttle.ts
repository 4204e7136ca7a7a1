import type { DatabaseHealth } from './database-health.js';
import { InvalidOptionError } from './errors.js';

/** How long a paused runner waits before it reads the database's health again, in ms. */
export const DEFAULT_THROTTLE_PAUSE_MS = 5_000;

/**
 * A runner's throttle: before every batch it writes, the runner reads `health` and, while a
 * replica is further behind than a limit, waits `pauseMs` and reads again (renewing its lease, and
 * stopping at once on its signal). At least one limit is required.
 */
export interface ThrottleOptions {
  /** Where the replicas' lag is read: the store itself when it implements {@link DatabaseHealth}. */
  health: DatabaseHealth;
  /** Pause while a replica is more than this many seconds behind. */
  maxReplicationLagSeconds?: number | undefined;
  /** Pause while a replica (or replication slot) has more than this many bytes of log to apply. */
  maxReplicationLagBytes?: number | undefined;
  /** The wait between two readings while paused; {@link DEFAULT_THROTTLE_PAUSE_MS} by default. */
  pauseMs?: number | undefined;
}

/**
 * Why a runner paused: a replica behind (`throttle`), or a batch the database ended on its lock
 * or statement timeout (`timeoutThrottle`).
 */
export type PauseReason = 'replication-lag' | 'lock-timeouts' | 'statement-timeouts';

/** What a throttled run reports of its pauses. */
export interface ThrottleReport {
  /** How many times it paused (once per stretch of waiting for lagging replicas, once per batch timeout). */
  pauses: number;
  /** How long it waited in all, in ms. */
  pausedMs: number;
  /** The pauses by reason; absent when it did not pause. */
  reasons?: Partial<Record<PauseReason, number>>;
  /** The reason it was still waiting for when its time box or its `maxWaitMs` ended the run (status `limited`). */
  pausedAtEnd?: string;
}

/** {@link ThrottleOptions} with its limits checked. */
export interface Throttle {
  health: DatabaseHealth;
  maxReplicationLagSeconds: number;
  maxReplicationLagBytes: number;
  pauseMs: number;
}

const nonNegative = (option: string, value: number | undefined): number => {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidOptionError(option, `must be a finite number of at least 0, got ${String(value)}`);
  return value;
};

/**
 * Checks a runner's `throttle` option.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the option: no `health` to read, no limit, or a
 *   limit or `pauseMs` that is not a finite non-negative number (`pauseMs` positive).
 */
export function throttleOf(options: ThrottleOptions | undefined): Throttle | null {
  if (options === undefined) return null;
  if (typeof options.health?.readDatabaseHealth !== 'function') throw new InvalidOptionError('throttle.health', 'must be a store or object with readDatabaseHealth()');
  const maxReplicationLagSeconds = nonNegative('throttle.maxReplicationLagSeconds', options.maxReplicationLagSeconds);
  const maxReplicationLagBytes = nonNegative('throttle.maxReplicationLagBytes', options.maxReplicationLagBytes);
  if (maxReplicationLagSeconds === Number.POSITIVE_INFINITY && maxReplicationLagBytes === Number.POSITIVE_INFINITY) {
    throw new InvalidOptionError('throttle', 'needs maxReplicationLagSeconds or maxReplicationLagBytes');
  }
  const pauseMs = options.pauseMs ?? DEFAULT_THROTTLE_PAUSE_MS;
  if (!Number.isFinite(pauseMs) || pauseMs <= 0) throw new InvalidOptionError('throttle.pauseMs', `must be a positive number of milliseconds, got ${String(pauseMs)}`);
  return { health: options.health, maxReplicationLagSeconds, maxReplicationLagBytes, pauseMs };
}
