import { InvalidOptionError, MigrationError } from '../errors.js';
import { leaseRefusal } from '../lease-refusal.js';
import type { MigrationStore } from '../migration-store.js';
import { DEFAULT_LEASE_TTL_MS } from '../run-event-migration.js';
import { type CliIo, warn } from './cli-io.js';
import { migrationErrorCodeOf } from './exit-codes.js';

/**
 * The lease holder id of a `--takeover` run: a new id, given the run's lease. When another holder
 * has it (expired or not), the lease is taken over from that holder (`takeOverFrom`), so the old
 * runner, should it in fact be alive, stops with `LEASE_LOST` at its next batch without writing
 * another row or count: only one runner ever commits a checkpoint, and its counts add up. This
 * is what `--takeover` is for, so it warns loudly. A run of the migration that overlaps this one
 * (the whole table beside shards) is never taken over: that refuses with `RUN_OVERLAP`.
 */
export async function takeOverLease(store: MigrationStore, runKey: string, io: CliIo): Promise<string> {
  const holder = `runner-${globalThis.crypto.randomUUID()}`;
  const lease = await store.acquireLease(runKey, holder, DEFAULT_LEASE_TTL_MS);
  if (lease.acquired) return holder;
  if (lease.runKey !== undefined && lease.runKey !== runKey) throw leaseRefusal(runKey, holder, lease, false);
  const taken = await store.acquireLease(runKey, holder, DEFAULT_LEASE_TTL_MS, { takeOverFrom: lease.holder });
  if (!taken.acquired) throw leaseRefusal(runKey, holder, taken, false);
  warn(
    io,
    `WARNING: --takeover: took over the lease of "${runKey}" from ${lease.holder} (it would have expired at ${lease.expiresAt}). ` +
      'If that runner is still alive, it stops at its next batch without writing it (LEASE_LOST).',
  );
  return holder;
}

/** Refuses `--takeover` without `--apply`: a dry run takes no lease, so there is nothing to take over. */
export function checkTakeover(takeover: boolean | undefined, apply: boolean): boolean {
  if (takeover === true && !apply) throw new InvalidOptionError('--takeover', 'only applies with --apply (a dry run takes no lease)');
  return takeover === true;
}

/**
 * A `RUN_LOCKED` error with the way out added: when the lease lapses and how to take it over
 * now. Any other error is returned as it is.
 */
export function withTakeoverHint(error: unknown, now = Date.now()): unknown {
  if (migrationErrorCodeOf(error) !== 'RUN_LOCKED') return error;
  const expiresAt = Date.parse(String((error as { expiresAt?: unknown }).expiresAt));
  const wait = Number.isFinite(expiresAt) ? ` (in ${Math.max(0, Math.ceil((expiresAt - now) / 1000))} s)` : '';
  return new MigrationError(
    'RUN_LOCKED',
    `${(error as Error).message} If that runner is no longer running (killed or crashed), its lease lapses by itself${wait}; ` +
      'to continue at once, run again with --takeover (only when you are sure it is gone).',
    { cause: error },
  );
}
