/**
 * A primary key as the runner sees it: always text, so `bigint` and UUID keys stay exact. The
 * store compares keys in its own order (the database's index order); the runner never does.
 */
export type RowKey = string;

/** The two backfills the runner performs. */
export type MigrationName = 'events' | 'campaigns';

/** A slice of the key space, `after < key <= upTo`; `null` ends are open. Shards are key ranges. */
export interface KeyRange {
  after: RowKey | null;
  upTo: RowKey | null;
}

/**
 * Which event rows need the migration. An event has a canonical event when its `canonical_event`
 * is a JSON object; any other value (NULL, JSON `null`, a number, a string, an array, text that
 * is not JSON in a text column) is none: the row is selected and counted as not migrated, on
 * every store, and a run writes it.
 */
export interface EventSelection {
  /**
   * Re-normalization: the current version of every normalizer (`meta.normalizer` →
   * `meta.normalizer_version`). When set, rows whose canonical event was written by another
   * version (or an unknown normalizer) are selected too. Rows without a canonical event are
   * always selected.
   */
  renormalize?: Readonly<Record<string, number>> | undefined;
  /** Only keys in this range (a shard); the whole table when absent. */
  range?: KeyRange | undefined;
}

/** A legacy event row as the store reads it. `id` is text whatever the column type. */
export interface EventRecord {
  id: RowKey;
  integration_type: unknown;
  event_type?: unknown;
  event_data: unknown;
  created_at?: unknown;
  /**
   * The length of `event_data`'s JSON text as the store read it (UTF-16 code units: its bytes for
   * ASCII text), when the store has it for free (every SQL store reads the payload as text). The
   * runner keeps its adaptive batches within a byte budget with it (`maxBatchBytes`); without it
   * batches are sized by rows and time only.
   */
  eventDataLength?: number;
}

/** A campaign or integration row: every column, `id` as text. */
export type StoredRow = { id: RowKey } & Record<string, unknown>;

/** A row the runner could not migrate, kept in the checkpoint and the report. */
export interface FailedItem {
  id: RowKey | null;
  code: string;
  reason: string;
}

/**
 * What a checkpoint was written for. `resume` continues a run only on the same: a cursor of one
 * table applied to another would skip its rows and report them done.
 */
export interface CheckpointScope {
  /** The table and key column the run reads, as {@link MigrationStore.sourceOf} names them (`public.events.id`). */
  source: string;
  /** The shard's key range when the run started (a resumed run keeps it); `null` for the whole table. */
  range: KeyRange | null;
  /** Whether the run re-normalizes (selects events with an outdated canonical event too). */
  renormalize: boolean;
}

/** Progress of one run, committed with every batch so a crash resumes exactly after it. */
export interface RunCheckpoint {
  /** `events`, `campaigns`, `events#2/4` (shard 2 of 4)… */
  runKey: string;
  migration: MigrationName;
  status: 'running' | 'completed' | 'aborted';
  /** The last key of the last committed batch; `null` before the first. */
  cursor: RowKey | null;
  /** Counters of the run (processed, written, failed, per outcome…), summed over batches. */
  counts: Record<string, number>;
  /** Failed rows (the first {@link MAX_STORED_FAILURES}; `counts.failed` has them all). */
  failures: FailedItem[];
  startedAt: string;
  updatedAt: string;
  /** What the checkpoint describes; absent (or `null`) on checkpoints written before checkpoints were bound. */
  scope?: CheckpointScope | null;
  /**
   * The run stopped at its limit (`limit`, `maxDurationMs`) with rows left. Its `status` stays
   * `running` (what `resume` continues), but no runner is at work: `status` says so.
   */
  limited?: boolean;
  /**
   * The earlier runs of this run key, newest first (at most {@link MAX_RUN_HISTORY}): a run that
   * does not resume starts its counts afresh, and the run it replaces is kept here, so a no-op
   * re-run or a `--takeover` that starts over does not hide the run that did the work.
   */
  history?: RunSummary[];
  /**
   * The run acknowledges its failed rows: the next runs skip the ones `failures` lists (until
   * `retryFailed`) and count only new failures.
   */
  acknowledgedFailures?: boolean;
}

/** An earlier run in a checkpoint's {@link RunCheckpoint.history}: the checkpoint without its failures and scope. */
export interface RunSummary {
  status: RunCheckpoint['status'];
  cursor: RowKey | null;
  counts: Record<string, number>;
  startedAt: string;
  updatedAt: string;
  limited?: boolean;
}

/** How many earlier runs a checkpoint's history keeps. */
export const MAX_RUN_HISTORY = 20;

/** How many failed items a checkpoint keeps; the count keeps going. */
export const MAX_STORED_FAILURES = 10_000;

/**
 * The answer to a lease request: granted, or who holds it and until when. `runKey` is set when
 * the holder is another run that overlaps this one (`runsOverlap`), absent when it is this
 * run's own lease.
 */
export type LeaseResult = { acquired: true } | { acquired: false; holder: string; expiresAt: string; runKey?: string };

/** How a lease is requested. */
export interface LeaseOptions {
  /**
   * Take the lease over from this holder, live or not (`--takeover` after a runner was killed):
   * granted when it is still the holder. The old holder's next batch and checkpoint then fail with
   * `LeaseLostError`, so only the new holder counts rows from then on.
   */
  takeOverFrom?: string;
}

/** One canonical event to write. */
export interface EventUpdate {
  id: RowKey;
  canonicalEvent: unknown;
}

/** One campaign's new `data_sources_v2` to write; no other column is touched. */
export interface CampaignUpdate {
  id: RowKey;
  dataSourcesV2: unknown[];
}

/**
 * The limits a run sets on each batch it writes (`batchTimeouts` of `runEventMigration`), apart
 * from the connection's own: the store applies them to the batch's transaction only, so the
 * run's other statements (the counts at its start, `status`, `verify`) keep the connection's.
 * Each store applies what its database has (see the adapters): PostgreSQL `lock_timeout` and
 * `statement_timeout`, MariaDB `innodb_lock_wait_timeout`, `lock_wait_timeout` and
 * `max_statement_time`, SQLite `busy_timeout`; a store without a database (memory) has nothing to
 * bound.
 */
export interface BatchTimeouts {
  /**
   * How long a statement of the batch waits for a lock the application holds, in ms; past it the
   * database gives up and rolls the batch back with an error the store marks `retryable`, so the
   * runner tries it again after a growing wait (`retries` in the report). Keep it short (a second
   * or two): the application's transactions then never queue behind the backfill for longer.
   */
  lockTimeoutMs?: number | undefined;
  /**
   * How long the batch may run, in ms; past it the database cancels it and rolls it back with its
   * checkpoint. Not retried (the same batch would take as long again): the run stops with the
   * store's error, its checkpoint at the last committed batch, and `resume` continues (the CLI
   * exits 75, a temporary failure). A bound on how long one batch holds its row locks.
   */
  statementTimeoutMs?: number | undefined;
}

/** A batch and its checkpoint, written in one transaction by a lease holder. */
export interface BatchWrite<U> {
  holder: string;
  updates: readonly U[];
  checkpoint: RunCheckpoint;
  /** The run's limits on this batch's transaction, when it sets any ({@link BatchTimeouts}). */
  timeouts?: BatchTimeouts | undefined;
  /**
   * Events only: the batch follows another one that may still be being written
   * (`writesInFlight: 2` of the runner), whose checkpoint ends at `cursor` (`null`: at the run's
   * start) and whose write `committed` settles with. In one transaction the store checks the lease
   * without locking the run's row and writes the rows, then waits for `committed`: when it
   * rejects, it rolls back and throws `BatchOutOfOrderError`; when it resolves, it writes the
   * checkpoint only where the stored one's cursor is `cursor` and `holder` still holds the lease,
   * read as committed (otherwise it rolls back, rows included, with `BatchOutOfOrderError`, or
   * `LeaseLostError` when the lease is gone). So the rows of two batches are written at once, and
   * the checkpoint only moves from one batch's end to the next's. Only for a store whose
   * {@link MigrationStore.maxWritesInFlight} is 2 or more.
   */
  follows?: { cursor: RowKey | null; committed: Promise<unknown> } | undefined;
}

/** A migrated event read back for verification. */
export interface StoredEvent {
  id: RowKey;
  event_data: unknown;
  canonical_event: unknown;
  /**
   * Whether `canonical_event.payload` equals `event_data` as the store keeps them, compared by the
   * store itself (in SQL by the database adapters): damage that parsing would hide — integers past
   * 2^53, keys reordered where the column keeps key order — counts as a difference. `false` when
   * the canonical event has no payload.
   */
  payloadMatches: boolean;
}

/**
 * A column of the legacy tables that the migrations read and the database lacks. `init` never
 * adds one (the data would be missing, not the column): either name the column that holds it,
 * or, for an `optional` one, declare it absent (`null`).
 */
export interface AbsentColumn {
  /** The table, as the store names it (`events`, `legacy.events`). */
  table: string;
  /** The column looked for. */
  column: string;
  /**
   * The option that names it: `<table>.<column key>` for the stores' naming options
   * (`events.eventType` is the adapters' `columns.events.eventType` and the `--config` file's
   * `names.events.eventType`), or the campaign runner's `ownerKey` / `integrationOwnerKey`.
   */
  key: string;
  /** Whether it may be declared absent: `events.eventType`, `events.createdAt` (`null`), the owner columns (`singleOwner`). */
  optional: boolean;
}

/**
 * A column the migrations write that exists with a type they cannot use (a `canonical_event` of
 * type `text` or `json` on PostgreSQL, whose JSON functions need `jsonb`). `ensureSchema()` never
 * changes an existing column's type (converting it rewrites the table, and fails on a value that
 * is not JSON): the team converts it, or names another column.
 */
export interface IncompatibleColumn {
  /** The table, as the store names it (`events`, `legacy.events`). */
  table: string;
  /** The column. */
  column: string;
  /** The naming option of the column: `events.canonicalEvent` (`columns.events.canonicalEvent` of the adapters, `names.events.canonicalEvent` of the `--config` file), `campaigns.dataSourcesV2`. */
  key: string;
  /** Its type in the database (`text`, `json`). */
  found: string;
  /** The type the migrations need (`jsonb`). */
  expected: string;
}

/** What {@link MigrationStore.inspectSchema} found. */
export interface SchemaInspection {
  /** Every table and column the migrations read or write exists: every command can run. */
  ready: boolean;
  /**
   * The legacy tables and every legacy column the migrations read exist, so dry runs and
   * read-only commands can run, even before `ensureSchema()`: a missing `canonical_event` or
   * `data_sources_v2` column, runs table or flags table then reads as "nothing migrated yet".
   */
  readable: boolean;
  /** Legacy columns the migrations read and the database lacks; `ensureSchema()` adds none of them. */
  absent: AbsentColumn[];
  /**
   * What the migrations need and the database lacks, one readable item each (`table migration_runs`,
   * `column events.canonical_event`); empty exactly when `ready`.
   */
  missing: string[];
  /**
   * What `ensureSchema()` would still add or change that the migrations can run without (row-level
   * security, policies, grants, system flags, WAL mode…). Empty when the schema is complete, so
   * `ensureSchema()` would change nothing.
   */
  pending: string[];
  /**
   * The application's tables (events, campaigns, integrations) that do not exist. No port method
   * creates them: `ensureSchema()` and the runners refuse with `LegacyTableMissingError` instead.
   * Each is listed in `missing` too. Absent means none is missing.
   */
  missingLegacyTables?: LegacyTable[];
  /**
   * Columns the migrations write that exist with a type they cannot use: no command can run
   * (`ready` and `readable` are `false`), and `ensureSchema()` and every run refuse with
   * `IncompatibleColumnError`, changing nothing. Absent means none.
   */
  incompatible?: IncompatibleColumn[];
}

/** How {@link MigrationStore.shardBoundaries} answers. */
export interface ShardBoundariesOptions {
  /** Record the boundaries when none are recorded yet (a run that writes, after `ensureSchema()`); `false` by default. */
  record?: boolean;
}

/** Counts for `verify` and `status`. */
export interface TableStatus {
  total: number;
  migrated: number;
  remaining: number;
  /**
   * `checkpoint` when the counts were taken from the last whole-table checkpoint
   * (`fromCheckpoint`) rather than counted over every row; absent when counted.
   */
  basis?: 'checkpoint';
}

/** How {@link MigrationStore.eventStatus} counts. */
export interface EventStatusOptions {
  /**
   * Count from the last whole-table checkpoint when there is one bound to this table: `total` is
   * the events at or behind its cursor, as counted with the checkpoint (every checkpoint write
   * adds the rows its cursor passed, in the same statement or transaction as the batch, so a
   * crash cannot make the count drift from the cursor), plus the events past the cursor;
   * `remaining` is the rows past the cursor that lack a canonical event, plus the rows it listed
   * as failed that still lack one (its failed count beyond the listed ones). All are key ranges
   * and key lookups, so the cost grows with the work left, not with the table (`status` on a
   * finished table). Rows inserted, deleted or changed behind the cursor since the checkpoint are
   * not seen (a run that starts over counts them again), so the answer says `basis: 'checkpoint'`.
   * Without such a checkpoint, or when `false` (the default, and what `verify` uses), every row
   * is counted. Every store answers the same (the memory store too), as the conformance suite checks.
   */
  fromCheckpoint?: boolean;
}

/**
 * The only way the runner touches storage. An adapter implements it over one database and passes
 * the conformance suite of `@app/migrate/testing`. Every method is one round trip or one
 * transaction; the runner holds no connection between calls. Feature flags have their own port,
 * {@link FlagStore}, which the adapters' stores implement too.
 */
export interface MigrationStore {
  /** Names the backend in messages: `memory`, `postgres`, `pglite`, `mysql`, `sqlite`. */
  readonly kind: string;
  /**
   * How many event batch writes the runner may have in flight at once (`writesInFlight` of
   * `runEventMigration`): 2 or more when the store writes them on connections of their own (a
   * pool) and honours `BatchWrite.follows`; 1 when absent (one connection, or a store that
   * writes one transaction at a time).
   */
  readonly maxWritesInFlight?: number;

  /**
   * The table and key column a migration reads, as configured (`public.events.id`,
   * `legacy_events.event_id`): checkpoints record it, and a run resumes only on the same.
   */
  sourceOf(migration: MigrationName): Promise<string>;

  /**
   * Creates the tables, columns and seed rows the migrations need, if absent. Idempotent: it looks
   * at the catalog first and changes only what is missing, so on a complete schema it runs no DDL.
   * It never creates the application's tables (events, campaigns, integrations): when one is
   * missing it throws `LegacyTableMissingError` and changes nothing.
   * The only port method that changes the schema; `app-migrate init` and `--apply` runs call it.
   */
  ensureSchema(): Promise<void>;
  /**
   * Reports what `ensureSchema()` would create, and which legacy columns are absent, by reading
   * the catalog only: no DDL, no writes, no lock beyond a plain read's. Dry runs and read-only
   * commands call it instead of `ensureSchema()` and refuse (`SchemaNotReadyError`) when the
   * schema is not `readable`; writing runs, when it is not `ready`.
   *
   * Reads before `ensureSchema()` treat what it would add as empty: without `canonical_event`
   * every event is selected and none is migrated, without the runs table there is no checkpoint.
   */
  inspectSchema(): Promise<SchemaInspection>;

  /**
   * Takes the run's lease for `ttlMs` when it is free, expired or already `holder`'s (or
   * `options.takeOverFrom`'s). A second runner of the same run gets `acquired: false` with the
   * current holder. So does a run while another run of the same migration that overlaps it
   * (`runsOverlap`: the whole table beside a shard, shards of different counts) holds a live
   * lease, with that run's `runKey`; the check and the grant are atomic (lease requests of one
   * migration are serialized), so two overlapping runs never both hold a lease.
   */
  acquireLease(runKey: string, holder: string, ttlMs: number, options?: LeaseOptions): Promise<LeaseResult>;
  /** Gives the lease up (only `holder` can). */
  releaseLease(runKey: string, holder: string): Promise<void>;

  /** The run's last committed checkpoint, or `null`. */
  readCheckpoint(runKey: string): Promise<RunCheckpoint | null>;
  /**
   * The last committed checkpoints of several runs (the shards of a sharded run: `events#1/4`…),
   * read together in one statement, so `status --shards 1000` costs one round trip, not a
   * thousand. One answer per key, in the order given: what {@link readCheckpoint} gives for it
   * (`null` for a run without a checkpoint; a key given twice is answered twice).
   */
  readCheckpoints(runKeys: readonly string[]): Promise<(RunCheckpoint | null)[]>;
  /**
   * Saves a checkpoint on its own (start, completion, abort). Throws `LeaseLostError` when
   * `holder` no longer holds the lease. With a whole-table events checkpoint (run key `events`),
   * this and {@link writeEventBatch} also keep the count of events at or behind its cursor that
   * `eventStatus({ fromCheckpoint: true })` reads, in the same transaction.
   */
  writeCheckpoint(checkpoint: RunCheckpoint, holder: string): Promise<void>;

  /** How many events the selection holds now (may be an estimate for very large tables). */
  countEvents(selection: EventSelection): Promise<number>;
  /** The next `limit` selected events with key `> after`, in key order (keyset pagination). */
  readEventBatch(selection: EventSelection, after: RowKey | null, limit: number): Promise<EventRecord[]>;
  /**
   * Writes every canonical event of the batch and the checkpoint in one transaction, only to rows
   * the selection still selects (a row is never written twice). Throws `LeaseLostError`, writing
   * nothing, when `holder` no longer holds the lease, and `DataRejectedError`, writing nothing,
   * when the database refuses the data of a row (the runner then finds the row by writing smaller
   * parts). Returns the number of rows written.
   */
  writeEventBatch(write: BatchWrite<EventUpdate>, selection: EventSelection): Promise<number>;
  /**
   * Optional: makes what {@link writeEventBatch} sends for `updates` (a statement's parameter)
   * ready ahead of the write. The runner calls it as soon as the next batch is normalized, while
   * the current one is being written, so one write follows another without a batch's parameter
   * built between them. Writes and reads nothing, and never throws: whatever it cannot prepare,
   * the write builds (and reports) itself.
   *
   * It may return the updates to write in place of `updates`: the same rows in the same order
   * (each with its `id`), in a form of its own that {@link writeEventBatch} of this store writes,
   * whole or in parts, without their `canonicalEvent` objects (the SQL stores keep each event's
   * JSON text). The runner then writes those and lets go of the canonical events and their parsed
   * payloads at once, most of a batch's memory, rather than keeping them until the write. A
   * store that returns nothing gets this very array, unchanged, as `write.updates`.
   */
  prepareEventBatch?(updates: readonly EventUpdate[]): readonly EventUpdate[] | void;

  /** Keys that cut the table into `parts` ranges of about equal size (`parts - 1` keys, ascending), as the table is now. */
  keyBoundaries(migration: MigrationName, parts: number): Promise<RowKey[]>;
  /**
   * The boundaries of `parts` shards of the migration, fixed once for its table: the first call
   * with `record: true` computes them ({@link keyBoundaries}) and records them in the runs table,
   * atomically (calls of one migration are serialized with its lease requests), and every later
   * call returns the recorded ones, however the table changed since. So shards started at
   * different times cut the key space at the same keys: their ranges never overlap and leave no
   * gap. Without `record` (dry runs, read-only) it returns the recorded boundaries, or computes
   * them without recording anything. Boundaries recorded for another table (`sourceOf`) are not
   * used; `parts` below 2 gives none.
   */
  shardBoundaries(migration: MigrationName, parts: number, options?: ShardBoundariesOptions): Promise<RowKey[]>;

  /** The next `limit` campaigns with key `> after`, in key order, every column. */
  readCampaignBatch(after: RowKey | null, limit: number, range?: KeyRange): Promise<StoredRow[]>;
  /** Every integration, every column. */
  readIntegrations(): Promise<StoredRow[]>;
  /** Writes `data_sources_v2` of the batch and the checkpoint in one transaction (as events, `DataRejectedError` included). */
  writeCampaignBatch(write: BatchWrite<CampaignUpdate>): Promise<number>;

  /**
   * Migrated events, read back for verification: up to `limit` of them, spread over the table,
   * each with the store's own comparison of its payload (`payloadMatches`). Every event with a
   * `canonical_event` value (not NULL nor JSON `null`) is one, whether that value is an event or
   * not (a number, an array, text that is not JSON: read as the text), so verify reports such a
   * value as `not_an_event`, while the counts and the runs take it as not migrated.
   */
  sampleMigratedEvents(limit: number): Promise<StoredEvent[]>;
  /** Totals of the events table: counted over every row, or, when asked, from the checkpoint (`options.fromCheckpoint`). */
  eventStatus(options?: EventStatusOptions): Promise<TableStatus>;
  /** Totals of the campaigns table (`migrated` = has a non-empty `data_sources_v2`). */
  campaignStatus(): Promise<TableStatus>;

  /** Releases connections the store opened itself (not ones it was given). */
  close(): Promise<void>;
}

/** One of the application's own tables the migrations read (never create): its key in the names options and its name. */
export interface LegacyTable {
  /** `events`, `campaigns` or `integrations`: the key of `names` in the CLI config and of `tables` in the adapter options. */
  key: 'events' | 'campaigns' | 'integrations';
  /** The table's name as configured (schema-qualified when a schema is set). */
  table: string;
}
