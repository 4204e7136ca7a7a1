import { InvalidOptionError } from './errors.js';
import type { MigrationStore } from './migration-store.js';

/**
 * Rows per batch when none is given. Measured on PostgreSQL 15 with 50k real-payload events
 * (`pnpm bench` in `@app/adapter-postgres`): 100 → 8.3k events/s, 250 → 1.14x, 500 → 1.23x,
 * 1,000 → 1.25x (the peak), 2,000 → 1.22x, 5,000 → 1.17x. Past 1,000 nothing is gained while
 * memory and the time a batch holds its row locks keep growing.
 */
export const DEFAULT_BATCH_SIZE = 1_000;

/**
 * The largest `batchSize` (and `--batch-size`): one batch is one UPDATE with about three
 * parameters per row, which stays under SQLite's 32,766 and MySQL's 65,535 parameter limits up to
 * 10,000 rows (see `@app/sql-store`). Past 1,000 rows a batch gains no speed anyway.
 */
export const MAX_BATCH_SIZE = 10_000;

/** A positive safe integer option of the runners, `fallback` when absent. */
export function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidOptionError(option, `must be a positive integer, got ${value}`);
  return value;
}

/**
 * `batchSize`: a positive integer up to {@link MAX_BATCH_SIZE}, {@link DEFAULT_BATCH_SIZE} when
 * absent. `option` names it in the error (the CLI passes `--batch-size`).
 */
export function batchSizeOf(value: number | undefined, option = 'batchSize'): number {
  const batchSize = positiveInteger(option, value, DEFAULT_BATCH_SIZE);
  if (batchSize > MAX_BATCH_SIZE) {
    throw new InvalidOptionError(option, `must be at most ${MAX_BATCH_SIZE.toLocaleString('en-US')} (the largest batch every database accepts in one statement), got ${value}`);
  }
  return batchSize;
}

/**
 * Resolves on a later turn of the event loop. A synchronous driver (better-sqlite3) makes every
 * store call a settled promise, so a run would otherwise never let a timer or a signal handler
 * run — nor see the abort they cause. `setTimeout` rather than `setImmediate`: edge runtimes and
 * browsers have only the former.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * `writesInFlight`: 1 (the default) or 2, and 2 only with a store that can have two batch writes
 * in flight ({@link MigrationStore.maxWritesInFlight}): over one connection the second write
 * would only queue behind the first.
 */
export function writesInFlightOf(value: number | undefined, store: MigrationStore): 1 | 2 {
  if (value === undefined || value === 1) return 1;
  if (value !== 2) throw new InvalidOptionError('writesInFlight', `must be 1 or 2, got ${value}`);
  if ((store.maxWritesInFlight ?? 1) < 2) {
    throw new InvalidOptionError(
      'writesInFlight',
      `the ${store.kind} store writes one batch at a time (one connection, or a database that writes one transaction at a time): 2 needs a store over a connection pool (PostgreSQL or MySQL/MariaDB)`,
    );
  }
  return 2;
}
