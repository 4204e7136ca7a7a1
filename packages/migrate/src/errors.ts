import type { AbsentColumn } from './migration-store.js';

/** Stable codes of the errors of `@app/migrate`; the CLI maps them to exit codes. */
export type MigrationErrorCode =
  | 'RUN_LOCKED'
  | 'LEASE_LOST'
  | 'INVALID_OPTION'
  | 'INVALID_RESOLUTIONS'
  | 'STORE_ERROR'
  | 'ADAPTER_MISSING'
  | 'SCHEMA_NOT_READY'
  | 'STORE_TIMEOUT'
  | 'INTERRUPTED'
  | 'FLAG_CONFLICT';

/** Base class of every error the runner, the stores and the CLI throw. Match on `code`. */
export class MigrationError extends Error {
  readonly code: MigrationErrorCode;

  constructor(code: MigrationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.code = code;
  }
}

/** Another runner holds the lease of this run; the second one refuses rather than double-process. */
export class RunLockedError extends MigrationError {
  readonly runKey: string;
  readonly holder: string;
  readonly expiresAt: string;

  constructor(runKey: string, holder: string, expiresAt: string) {
    super(
      'RUN_LOCKED',
      `Another runner (${holder}) is already migrating "${runKey}"; its lease expires at ${expiresAt}. ` +
        'Wait for it to finish, or use --shard i/n to split the work between runners.',
    );
    this.name = 'RunLockedError';
    this.runKey = runKey;
    this.holder = holder;
    this.expiresAt = expiresAt;
  }
}

/** The runner's lease expired and another runner took it; the batch was not written. */
export class LeaseLostError extends MigrationError {
  readonly runKey: string;

  constructor(runKey: string, holder: string) {
    super('LEASE_LOST', `Runner ${holder} no longer holds the lease of "${runKey}"; the batch was not written.`);
    this.name = 'LeaseLostError';
    this.runKey = runKey;
  }
}

/** An option of the runner or the CLI is wrong; `option` names it. */
export class InvalidOptionError extends MigrationError {
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', `${option}: ${message}`);
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** How a message names the naming option of an absent column: the adapters' option, or the CLI's config key. */
export type AbsentColumnWording = 'library' | 'cli';

const CLI_OWNER_OPTIONS: Record<string, string> = {
  ownerKey: '--owner-key (or ownerKey in the --config file)',
  integrationOwnerKey: 'integrationOwnerKey in the --config file',
};

/**
 * What to do about absent legacy columns, one sentence each, naming the option that names the
 * column: the adapters' `columns.<key>` or the runner's owner option for the library, the
 * `--config` file's `names.<key>` or the owner flag for the CLI.
 */
export function describeAbsentColumns(absent: readonly AbsentColumn[], wording: AbsentColumnWording): string {
  return absent
    .map((item) => {
      const owner = !item.key.includes('.');
      const option = owner
        ? wording === 'cli'
          ? (CLI_OWNER_OPTIONS[item.key] ?? item.key)
          : `the ${item.key} option`
        : wording === 'cli'
          ? `names.${item.key} in the --config file`
          : `the adapter option columns.${item.key}`;
      const absentWay = owner ? (wording === 'cli' ? ', or use --single-owner (ownerKey null in the --config file) when every row has one owner' : ', or pass singleOwner: true when every row has one owner') : ', or to null when the table has none';
      return `column ${item.table}.${item.column} does not exist: set ${option} to the column that holds it${item.optional ? absentWay : ''}`;
    })
    .join('; ');
}

/**
 * The database lacks tables or columns the migrations need, and the operation does not create
 * them. `missing` lists what `app-migrate init` (`store.ensureSchema()`) adds, which dry runs
 * and read-only commands never do; `absent` the legacy columns it never adds, which the naming
 * options must point at (or declare absent).
 */
export class SchemaNotReadyError extends MigrationError {
  readonly missing: readonly string[];
  readonly absent: readonly AbsentColumn[];

  constructor(missing: readonly string[], absent: readonly AbsentColumn[] = []) {
    super(
      'SCHEMA_NOT_READY',
      absent.length > 0
        ? `The database lacks legacy columns the migrations read: ${describeAbsentColumns(absent, 'library')}.`
        : `The database lacks what the migrations need: ${missing.join(', ')}. Dry runs and read-only commands never change the schema: ` +
            'create it with `app-migrate init` (store.ensureSchema() in code), or run with --apply, which creates it before writing.',
    );
    this.name = 'SchemaNotReadyError';
    this.missing = [...missing];
    this.absent = [...absent];
  }
}

/**
 * The database did not answer in time: the connection was not made within the connect timeout,
 * or a statement did not finish within the statement timeout (or SQLite's busy timeout). Nothing
 * is half-written: a statement that timed out is rolled back.
 */
export class StoreTimeoutError extends MigrationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_TIMEOUT', message, options);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * A command stopped by a signal (Ctrl-C, SIGTERM) before it finished. What it had committed stays
 * (a run's checkpoint); a statement in flight is rolled back when its connection closes.
 */
export class InterruptedError extends MigrationError {
  /** `SIGINT`, `SIGTERM`, or `a signal` when the abort gave no name. */
  readonly signal: string;

  constructor(signal: string) {
    super('INTERRUPTED', `stopped by ${signal} before the end; what was committed stays, and nothing is half-written`);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/**
 * A feature flag changed between the moment a writer read it and its write (another admin, another
 * CLI run): nothing was written. `fields` are the ones that differ; read the flag again and decide.
 */
export class FlagConflictError extends MigrationError {
  readonly flagName: string;
  readonly fields: readonly string[];

  constructor(flagName: string, fields: readonly string[], now: string) {
    super('FLAG_CONFLICT', `Feature flag "${flagName}" changed meanwhile (${fields.join(', ')}); it is now ${now}. Nothing was written: check it and run the command again.`);
    this.name = 'FlagConflictError';
    this.flagName = flagName;
    this.fields = [...fields];
  }
}
