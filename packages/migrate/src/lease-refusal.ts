import { LeaseLostError, type MigrationError, RunLockedError, RunOverlapError } from './errors.js';
import type { LeaseResult } from './migration-store.js';

/**
 * The error for a lease a runner did not get: another run that overlaps this one holds a live
 * lease ({@link RunOverlapError}), or another runner holds this run's — at the start, a
 * {@link RunLockedError}; on renewal (`renewing`), the runner had it and lost it, taken over
 * (`--takeover`) or lapsed, so a {@link LeaseLostError}: it must stop before writing another row
 * or count.
 */
export function leaseRefusal(runKey: string, holder: string, refused: Extract<LeaseResult, { acquired: false }>, renewing: boolean): MigrationError {
  if (refused.runKey !== undefined && refused.runKey !== runKey) return new RunOverlapError(runKey, refused.runKey, refused.holder, refused.expiresAt);
  return renewing ? new LeaseLostError(runKey, holder) : new RunLockedError(runKey, refused.holder, refused.expiresAt);
}
