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
  /** The database failed, or a bug. */
  FAILURE: 70,
} as const;

/** The exit code for an error code of `@app/migrate`. */
export function exitCodeFor(code: MigrationErrorCode | undefined): number {
  switch (code) {
    case 'INVALID_OPTION':
    case 'INVALID_RESOLUTIONS':
      return EXIT_CODES.USAGE;
    case 'RUN_LOCKED':
    case 'LEASE_LOST':
      return EXIT_CODES.LOCKED;
    case 'ADAPTER_MISSING':
      return EXIT_CODES.ADAPTER_MISSING;
    default:
      return EXIT_CODES.FAILURE;
  }
}
