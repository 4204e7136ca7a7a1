import type { BatchTimeoutKind } from './batch-timeout-kind.js';
import type { AbsentColumn, IncompatibleColumn, LegacyTable } from './migration-store.js';

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
  | 'LEGACY_TABLE_MISSING'
  | 'CHECKPOINT_MISMATCH'
  | 'BATCH_OUT_OF_ORDER'
  | 'DATA_REJECTED'
  | 'FLAG_CONFLICT'
  | 'RUN_OVERLAP'
  | 'INCOMPATIBLE_COLUMN'
  | 'TIMEOUT_LIMIT';

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
  /** What is wrong with the option, without its name (the message leads with the name). */
  readonly detail: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', `${option}: ${message}`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.detail = message;
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
 * A table of the application (events, campaigns, integrations) does not exist. The migrations
 * create only their own tables (the runs table, `feature_flags`) and never the application's: a
 * misspelt name must not become an empty table that a run then reports as done. Nothing was
 * created. `tables` names each, with the option that configures it.
 */
export class LegacyTableMissingError extends MigrationError {
  readonly tables: readonly LegacyTable[];

  constructor(tables: readonly LegacyTable[]) {
    const listed = tables.map((t) => `"${t.table}" (the ${t.key} table: names.${t.key}.table in the --config file, tables.${t.key} of the adapter)`).join(', ');
    super(
      'LEGACY_TABLE_MISSING',
      `The database has no table ${listed}. app-migrate never creates the application's tables, only its own (runs, feature flags); nothing was created. ` +
        'Check the table name and the schema in the config.',
    );
    this.name = 'LegacyTableMissingError';
    this.tables = tables.map((t) => ({ ...t }));
  }
}

/**
 * A column the migrations write exists with a type they cannot use (a `canonical_event` of type
 * `text` or `json` on PostgreSQL, where the migrations need `jsonb`), found in the catalog before
 * any statement used it. Nothing was changed: `ensureSchema()` never converts a column. `columns`
 * names each, with the type found, the type needed and the option that names it.
 */
export class IncompatibleColumnError extends MigrationError {
  readonly columns: readonly IncompatibleColumn[];

  constructor(columns: readonly IncompatibleColumn[]) {
    const listed = columns
      .map(
        (c) =>
          `column ${c.table}.${c.column} is of type ${c.found}, and the migrations need ${c.expected}: convert it ` +
          `(ALTER TABLE ${c.table} ALTER COLUMN ${c.column} TYPE ${c.expected} USING ${c.column}::${c.expected}, which fails on a value that is not JSON: clear or fix those first), ` +
          `or name a ${c.expected} column with columns.${c.key} of the adapter (names.${c.key} in the --config file)`,
      )
      .join('; ');
    super('INCOMPATIBLE_COLUMN', `The database has a column of a type the migrations cannot use: ${listed}. Nothing was changed.`);
    this.name = 'IncompatibleColumnError';
    this.columns = columns.map((c) => ({ ...c }));
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
 * `resume` found a checkpoint written for something else: another table or key column (the
 * config changed), a shard range, or a re-normalizing run where this one is not (or the other way
 * round). Continuing would apply its cursor where it does not belong and skip rows. Nothing was
 * written; run without `resume` to start over on what is configured now.
 */
export class CheckpointMismatchError extends MigrationError {
  readonly runKey: string;
  /** What differs, in words: `table and key column: events.id (checkpoint) ≠ ev_b.id (now)`. */
  readonly differences: readonly string[];

  constructor(runKey: string, differences: readonly string[]) {
    super(
      'CHECKPOINT_MISMATCH',
      `The checkpoint of "${runKey}" was written for another run: ${differences.join('; ')}. ` +
        '--resume continues only the table, key column, shard and selection the checkpoint describes; nothing was written. ' +
        'Run without --resume to start over on what is configured now.',
    );
    this.name = 'CheckpointMismatchError';
    this.runKey = runKey;
    this.differences = [...differences];
  }
}

/**
 * A batch written after another one (`BatchWrite.follows`, with `writesInFlight: 2`) found the
 * run's checkpoint elsewhere than at the end of that other batch once it could lock it: the other
 * batch was rolled back (or has not committed yet), or another holder moved the checkpoint. Nothing
 * of this batch was written. The runner catches it and writes the batch again in order; a store
 * throws it only for a write that set `follows`.
 */
export class BatchOutOfOrderError extends MigrationError {
  readonly runKey: string;
  /** The cursor the batch was written after (`BatchWrite.follows.cursor`). */
  readonly follows: string | null;

  constructor(runKey: string, follows: string | null) {
    super('BATCH_OUT_OF_ORDER', `The checkpoint of "${runKey}" was not at ${follows === null ? 'its start' : `"${follows}"`}, the end of the batch this one follows; the batch was not written.`);
    this.name = 'BatchOutOfOrderError';
    this.runKey = runKey;
    this.follows = follows;
  }
}

/** Whether `error` is a {@link BatchOutOfOrderError}, by its stable code (an adapter may bundle its own copy of the class). */
export function isBatchOutOfOrder(error: unknown): error is BatchOutOfOrderError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'BATCH_OUT_OF_ORDER' && error instanceof Error;
}

/**
 * The database refused the data of a write (a value its column type cannot hold: a NUL character
 * in PostgreSQL's jsonb, a lone surrogate MariaDB's JSON functions reject, malformed JSON text, a
 * value out of range), and wrote nothing. The runners catch it: they write the batch in halves
 * until the rows the database refuses are alone, list each with its id and reason, and write the
 * rest. `cause` is the driver's error.
 */
export class DataRejectedError extends MigrationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATA_REJECTED', message, options);
    this.name = 'DataRejectedError';
  }
}

/** Whether `error` is a {@link DataRejectedError}, by its stable code (an adapter may bundle its own copy of the class). */
export function isDataRejected(error: unknown): error is DataRejectedError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'DATA_REJECTED' && error instanceof Error;
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

/**
 * Another run of the same migration that covers some of the same rows holds a live lease: a run
 * over the whole table beside a shard run, or shards of different counts (`--shard 1/2` beside
 * `--shard 1/3`). Both would write and count the same rows, so the second refuses before writing
 * anything. Wait for the other run to finish, or run with the same `--shard i/n` count.
 */
export class RunOverlapError extends MigrationError {
  readonly runKey: string;
  /** The run that holds the overlapping lease (`events#1/2`). */
  readonly otherRunKey: string;
  readonly holder: string;
  readonly expiresAt: string;

  constructor(runKey: string, otherRunKey: string, holder: string, expiresAt: string) {
    super(
      'RUN_OVERLAP',
      `Run "${otherRunKey}" (runner ${holder}, lease until ${expiresAt}) is migrating rows that "${runKey}" covers too; nothing was written. ` +
        'Wait for it to finish, or split the work with the same --shard i/n count as it.',
    );
    this.name = 'RunOverlapError';
    this.runKey = runKey;
    this.otherRunKey = otherRunKey;
    this.holder = holder;
    this.expiresAt = expiresAt;
  }
}

/**
 * A run with a `timeoutThrottle` met more batch timeouts within its window than it allows: the
 * database kept ending batches on their lock or statement timeout, each rolled back with its
 * checkpoint. The run stopped at its last committed batch; `resume` continues it. `kind` is the
 * last timeout's, `timeouts` how many came within `windowMs` (this one included), and `cause` the
 * store's error.
 */
export class TimeoutLimitError extends MigrationError {
  readonly kind: BatchTimeoutKind;
  readonly timeouts: number;
  readonly maxTimeouts: number;
  readonly windowMs: number;

  constructor(kind: BatchTimeoutKind, timeouts: number, limits: { maxTimeouts: number; windowMs: number }, options?: { cause?: unknown }) {
    super(
      'TIMEOUT_LIMIT',
      `The database ended ${timeouts} batches on their lock or statement timeout within ${limits.windowMs / 1000} s, more than timeoutThrottle.maxTimeouts (${limits.maxTimeouts}) allows; ` +
        `the last on its ${kind} timeout. The run stopped at its last committed batch (resume continues it): ${
          kind === 'lock' ? 'a transaction of the application holds rows the batches need' : 'batches run longer than their statement timeout'
        }.`,
      options,
    );
    this.name = 'TimeoutLimitError';
    this.kind = kind;
    this.timeouts = timeouts;
    this.maxTimeouts = limits.maxTimeouts;
    this.windowMs = limits.windowMs;
  }
}
