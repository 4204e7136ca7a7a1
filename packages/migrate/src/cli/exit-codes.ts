import type { MigrationErrorCode } from '../errors.js';

/** The CLI's exit codes; stable across versions. */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  OK: 0,
  /** The command ran but found a problem: `verify` failed, or rows could not be migrated. */
  PROBLEMS_FOUND: 1,
  /** Wrong usage: unknown command or option, bad value, unreadable resolutions file. */
  USAGE: 2,
  /** Another runner holds this migration's lease. */
  LOCKED: 3,
  /** The database adapter (or its driver) for `--db` is not installed. */
  ADAPTER_MISSING: 4,
  /**
   * The schema is not as the command needs it: the migration schema is not in place and the
   * command never creates it (run `app-migrate init`), or a table of the application (events,
   * campaigns, integrations) does not exist, which no command ever creates, or a column the
   * migrations write has a type they cannot use (`INCOMPATIBLE_COLUMN`), which no command converts.
   */
  SCHEMA_NOT_READY: 5,
  /**
   * `--resume` found a checkpoint written for another table, key column, shard or selection (the
   * config changed since): nothing was written. Run without `--resume` to start over.
   */
  CHECKPOINT_MISMATCH: 7,
  /** A feature flag changed between the command's read and its write (another admin): nothing was written. */
  FLAG_CONFLICT: 6,
  /** The database failed, or a bug. */
  FAILURE: 70,
  /**
   * The database did not answer in time (connect or statement timeout, SQLite's busy timeout), or
   * ended more batches on their timeouts than `timeoutThrottle` allows (`TIMEOUT_LIMIT`); try again.
   */
  TIMEOUT: 75,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM before the end; what was committed stays, `--resume` continues a run. */
  INTERRUPTED: 130,
  /**
   * Another run of the same migration over some of the same rows holds a live lease (a run without
   * `--shard` beside shard runs, or shards of another count): nothing was written.
   */
  RUN_OVERLAP: 8,
} as const;

// A `Record` over the code union, so a new code cannot be added without deciding its exit code.
const EXIT_CODE_OF: Record<MigrationErrorCode, number> = {
  INVALID_OPTION: EXIT_CODES.USAGE,
  INVALID_RESOLUTIONS: EXIT_CODES.USAGE,
  RUN_LOCKED: EXIT_CODES.LOCKED,
  LEASE_LOST: EXIT_CODES.LOCKED,
  ADAPTER_MISSING: EXIT_CODES.ADAPTER_MISSING,
  SCHEMA_NOT_READY: EXIT_CODES.SCHEMA_NOT_READY,
  LEGACY_TABLE_MISSING: EXIT_CODES.SCHEMA_NOT_READY,
  INCOMPATIBLE_COLUMN: EXIT_CODES.SCHEMA_NOT_READY,
  CHECKPOINT_MISMATCH: EXIT_CODES.CHECKPOINT_MISMATCH,
  FLAG_CONFLICT: EXIT_CODES.FLAG_CONFLICT,
  STORE_ERROR: EXIT_CODES.FAILURE,
  STORE_TIMEOUT: EXIT_CODES.TIMEOUT,
  INTERRUPTED: EXIT_CODES.INTERRUPTED,
  DATA_REJECTED: EXIT_CODES.FAILURE,
  BATCH_OUT_OF_ORDER: EXIT_CODES.FAILURE,
  RUN_OVERLAP: EXIT_CODES.RUN_OVERLAP,
  TIMEOUT_LIMIT: EXIT_CODES.TIMEOUT,
};

/** The exit code for an error code of `@app/migrate`. */
export function exitCodeFor(code: MigrationErrorCode | undefined): number {
  return code === undefined ? EXIT_CODES.FAILURE : EXIT_CODE_OF[code];
}

/**
 * The `code` of an error of `@app/migrate`, or `undefined` for any other error. Duck-typed on
 * the stable code and an `…Error` name rather than `instanceof`: an adapter loaded with its own
 * copy of `@app/migrate` throws errors of another `MigrationError` class, which must still get
 * their exit code. Driver errors (`ECONNREFUSED`, SQLSTATEs) have codes outside the set.
 */
export function migrationErrorCodeOf(error: unknown): MigrationErrorCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(EXIT_CODE_OF, code)) return undefined;
  if (typeof name !== 'string' || !name.endsWith('Error') || typeof message !== 'string') return undefined;
  return code as MigrationErrorCode;
}
