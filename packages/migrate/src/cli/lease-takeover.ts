import { InvalidOptionError, MigrationError } from '../errors.js';
import type { MigrationStore } from '../migration-store.js';
import { DEFAULT_LEASE_TTL_MS } from '../run-event-migration.js';
import { type CliIo, warn } from './cli-io.js';
import { migrationErrorCodeOf } from './exit-codes.js';

/**
 * The lease holder id of a `--takeover` run. When the run's lease is free this is a new id, as
 * without `--takeover`. When another holder has it (expired or not), it is that holder's own id:
 * every store grants a holder its own lease, so the run continues as the runner that was killed
 * — the only way in through the port, which gives no one else a live lease. This is what
 * `--takeover` is for, so it warns loudly: if that runner is in fact alive, both now run.
 */
export async function takeOverLease(store: MigrationStore, runKey: string, io: CliIo): Promise<string> {
  const holder = `runner-${globalThis.crypto.randomUUID()}`;
  const lease = await store.acquireLease(runKey, holder, DEFAULT_LEASE_TTL_MS);
  if (lease.acquired) return holder;
  warn(
    io,
    `WARNING: --takeover: taking over the lease of "${runKey}" from ${lease.holder} (it would have expired at ${lease.expiresAt}). ` +
      'If that runner is still alive, stop it now: both would be migrating the same rows.',
  );
  return lease.holder;
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
