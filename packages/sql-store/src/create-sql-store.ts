import {
  BatchOutOfOrderError,
  type BatchTimeouts,
  type BatchWrite,
  type CampaignUpdate,
  DataRejectedError,
  IncompatibleColumnError,
  InvalidOptionError,
  type EventRecord,
  type EventSelection,
  type EventUpdate,
  type FlagMetricsStore,
  type FlagStore,
  type KeyRange,
  LeaseLostError,
  type LeaseResult,
  LegacyTableMissingError,
  MigrationError,
  type MigrationName,
  compareRunKeys,
  isRunOf,
  migrationOfRunKey,
  runsOverlap,
  type MigrationStore,
  type RunListing,
  type RowKey,
  type RunCheckpoint,
  type SchemaInspection,
  type StoredEvent,
  type StoredRow,
  type TableStatus,
} from '@app/migrate/core';
import { CHECKPOINT_COLUMNS, checkpointFromRow, checkpointValues, toIsoTime } from './checkpoint-row.js';
import { decodeJsonText } from './decode-json-text.js';
import { knownJsonColumns } from './known-json-columns.js';
import { OriginalPayloads } from './original-payloads.js';
import { batchRecordsJson } from './batch-records.js';
import { PreparedEventUpdate } from './prepared-event-update.js';
import { BatchRecordsText } from './batch-records-text.js';
import type { SqlBatch, SqlBatchRows, SqlJoinedRows } from './sql-batch.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqlFlagMetricsStore } from './sql-flag-metrics-store.js';
import { sqlFlagStore } from './sql-flag-store.js';
import { SqlParameters } from './sql-parameters.js';
import type { SqlExecutor, SqlRow, SqlSession } from './sql-session.js';
import { SqlStoreError } from './sql-store-error.js';
import type { StoreTable } from './store-table.js';
import { storedRow } from './stored-row.js';
import { type ColumnLookup, absentLegacyColumns } from './legacy-columns.js';
import { RUNS_ROWS_BEHIND_COLUMN, TABLES } from './schema-inspection.js';
import type { ResolvedNames, TableNames } from './table-names.js';

/** What an adapter gives {@link createSqlStore}: its dialect, its driver session, and the parts that differ per database. */
export interface SqlStoreConfig {
  dialect: SqlDialect;
  session: SqlSession;
  names: ResolvedNames;
  /**
   * Creates what the schema lacks (DDL is where databases differ most: idempotence, locks, types).
   * It should look at the catalog first and run only the statements it needs.
   */
  ensureSchema(session: SqlSession): Promise<void>;
  /**
   * Let `ensureSchema` create the application's tables (events, campaigns, integrations) when
   * absent, with the product's columns: for a new database (tests, demos), never for a user's.
   * When `false` (the default) a missing one makes `ensureSchema` throw `LegacyTableMissingError`
   * before any DDL, so a misspelt table name never becomes an empty table.
   */
  createLegacyTables?: boolean;
  /**
   * What `ensureSchema` would create, read from the catalog only: no DDL, no writes, no lock
   * beyond a plain read's (dry runs rely on it). `missingSchemaObjects` and
   * `missingSystemFlags` name the items the same way for every adapter.
   */
  inspectSchema(session: SqlSession): Promise<Omit<SchemaInspection, 'readable' | 'absent'>>;
  /**
   * Which columns a table has, read from the catalog (no lock beyond a plain read's): a test that
   * compares names as the database does, or `null` when the table does not exist. With it the
   * store checks every legacy column it reads (`inspectSchema().absent`), and reads a database
   * that has only the legacy tables as one where nothing is migrated yet. Without it every table
   * and column is taken to exist.
   */
  tableColumns?(session: SqlSession, table: keyof TableNames): Promise<ColumnLookup>;
  /**
   * The JSON columns of a table (unquoted names), so rows read with `SELECT *` are decoded by
   * column, never by guessing from content. Called once per table and cached; the product's
   * ({@link knownJsonColumns}) when absent, and never called when the dialect has `rowAsJson`.
   */
  jsonColumns?(session: SqlSession, table: StoreTable): Promise<ReadonlySet<string>>;
  /**
   * Builds each batch — lease check, rows, checkpoint — as ONE statement returning one row with
   * `leased` (0 when the lease is lost: the statement must then write nothing) and `written`
   * (rows updated). PostgreSQL does it with data-modifying CTEs, in one round trip and without a
   * transaction. When absent, a batch is a transaction: `SELECT … FOR UPDATE` on the run's row,
   * one `UPDATE … CASE` for the rows, the checkpoint's `UPDATE`.
   */
  batchStatement?(batch: SqlBatch): Promise<string>;
  /**
   * Builds the `UPDATE` of a batch's rows for the transaction a batch is without
   * {@link batchStatement} (run between the lease check and the checkpoint; built before the
   * transaction starts, so it may query the session): the rows joined as a
   * table `u` from one JSON parameter ({@link SqlJoinedRows}; MariaDB's `JSON_TABLE`, SQLite's
   * `json_each`), whose cost grows with the rows, where the shared `UPDATE … CASE` (a branch and
   * two parameters per row) grows with their square. Its count is the rows updated. When absent,
   * the shared `UPDATE … CASE`.
   */
  rowsStatement?(rows: SqlJoinedRows): Promise<string>;
  /**
   * The session a batch with the run's batch timeouts (`BatchWrite.timeouts`, only when the run
   * sets some) runs on: its `query` for the adapter's one statement ({@link batchStatement}, which
   * gets them too, as `SqlBatch.timeouts`, to set what can ride in the statement), its
   * `transaction` for the others. The adapter applies what its database has to that batch alone
   * (PostgreSQL a transaction of its own with `set_config(…, true)`, MariaDB `SET STATEMENT … FOR`
   * on each statement, SQLite the busy timeout around `BEGIN IMMEDIATE`). When absent, a batch
   * runs on the store's session, the timeouts unapplied.
   */
  timedSession?(timeouts: BatchTimeouts): SqlSession;
  /**
   * How many event batch writes may be in flight at once (`MigrationStore.maxWritesInFlight`): 2
   * when the adapter's session runs each transaction on a connection of its own (a pool), so a
   * batch that follows another (`BatchWrite.follows`) writes its rows while that one is still
   * being written. 1 when absent: the store still honours `follows`, one write after the other.
   */
  maxWritesInFlight?: number;
  /** The error a failed operation throws; a {@link SqlStoreError} naming the dialect when absent. */
  storeError?(operation: string, cause: unknown): SqlStoreError;
  /** Releases what the adapter opened itself; nothing for a client it was given. */
  close?(): Promise<void>;
}

/** How a batch writes its rows: for the adapter's single statement or rows statement, or as the shared `UPDATE … CASE`. */
interface BatchRowsWriter {
  rows(p: SqlParameters): SqlBatchRows;
  update(p: SqlParameters): string;
  joined(p: SqlParameters): SqlJoinedRows;
}

/** The shard boundaries of a migration and shard count, as the runs table records them (in `scope`). */
interface ShardLayout {
  /** The table and key column they cut (`sourceOf`): boundaries of another table are not used. */
  source: string;
  parts: number;
  boundaries: string[];
}

const ROW = '__store_row';
const ROWS_BEHIND = RUNS_ROWS_BEHIND_COLUMN;
const MIGRATIONS: readonly MigrationName[] = ['events', 'campaigns'];
const PATH_NORMALIZER = ['normalized', 'meta.normalizer'] as const;
const PATH_VERSION = ['normalized', 'meta.normalizer_version'] as const;

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`limit must be a non-negative safe integer, got ${limit}`);
  return limit;
}

/**
 * A complete {@link @app/migrate!MigrationStore | MigrationStore},
 * {@link @app/migrate!FlagStore | FlagStore} and
 * {@link @app/migrate!FlagMetricsStore | FlagMetricsStore} from a dialect and a session: the
 * statements of every adapter, written once.
 *
 * - Keyset pagination on the key column (`WHERE id > ? ORDER BY id LIMIT n`); keys leave the
 *   database as text.
 * - A batch is one transaction: the run's row is locked and the lease checked, the rows are
 *   updated by one statement that repeats the selection (a row is never written twice), and the
 *   checkpoint is saved. The statement joins the rows from one JSON parameter where the adapter
 *   has `rowsStatement`, else it is `UPDATE … SET col = CASE id WHEN ? THEN ? … END WHERE id IN (…)`.
 *   An adapter with `batchStatement` writes the same three parts as one statement instead.
 * - Leases live in the runs table, timed by the database clock.
 * - A canonical event whose payload is the row's own `event_data` gets it set in SQL from the
 *   stored column ({@link OriginalPayloads}).
 */
export function createSqlStore(config: SqlStoreConfig): MigrationStore & RunListing & FlagStore & FlagMetricsStore {
  const { dialect: d, session, names: n } = config;
  const storeSession = session;
  const e = n.event;
  const q = (name: string) => d.quoteIdentifier(name);
  const placeholder = d.placeholder?.bind(d);
  const parameters = () => new SqlParameters(placeholder);
  const leaseNow = d.leaseNow ?? d.nowMs;
  const leaseExpiresIn = (ms: string) => (d.leaseExpiresIn === undefined ? `${d.nowMs} + ${ms}` : d.leaseExpiresIn(ms));
  const insertIgnore = (table: string, column: string, value: string) =>
    `${d.insertIgnoreInto} ${table} (${column}) VALUES (${value})${d.insertIgnoreSuffix === undefined ? '' : ` ${d.insertIgnoreSuffix}`}`;
  const storeError = config.storeError ?? ((operation: string, cause: unknown) => new SqlStoreError(d.name, operation, cause));
  const originals = new OriginalPayloads();
  const jsonColumnCache = new Map<StoreTable, Promise<ReadonlySet<string>>>();

  /** The tables and columns that exist, read when first needed, again by every inspectSchema(), and after ensureSchema(). */
  let presenceCache: Promise<Presence> | undefined;
  interface Presence {
    lookup(table: keyof TableNames): ColumnLookup;
    canonicalEvent: boolean;
    dataSourcesV2: boolean;
    runs: boolean;
  }
  async function readPresence(): Promise<Presence> {
    const lookups = new Map<keyof TableNames, ColumnLookup>();
    for (const table of TABLES) lookups.set(table, config.tableColumns === undefined ? () => true : await config.tableColumns(session, table));
    const lookup = (table: keyof TableNames) => lookups.get(table) ?? null;
    return {
      lookup,
      canonicalEvent: lookup('events')?.(n.rawColumns.canonicalEvent) === true,
      dataSourcesV2: lookup('campaigns')?.(n.rawColumns.campaignDataSourcesV2) === true,
      runs: lookup('runs') !== null,
    };
  }
  const presence = (): Promise<Presence> => {
    if (presenceCache === undefined) {
      const reading = readPresence();
      presenceCache = reading;
      reading.catch(() => {
        if (presenceCache === reading) presenceCache = undefined;
      });
    }
    return presenceCache;
  };

  /** Runs `work`, turning driver errors into the store's; `rows`: it writes rows, whose refused data is a `DataRejectedError`. */
  async function guard<T>(operation: string, work: () => Promise<T>, rows = false): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      if (rows && d.isDataError?.(error) === true) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new DataRejectedError(`${d.name} store: ${operation}: the database refused the data: ${detail}`, { cause: error });
      }
      throw storeError(operation, error);
    }
  }

  const jsonColumnsOf = (table: StoreTable) => {
    let known = jsonColumnCache.get(table);
    if (known === undefined) {
      known = config.jsonColumns === undefined ? Promise.resolve(knownJsonColumns(n, table)) : config.jsonColumns(session, table);
      known.catch(() => jsonColumnCache.delete(table));
      jsonColumnCache.set(table, known);
    }
    return known;
  };

  const decodeRow = (row: SqlRow, json: ReadonlySet<string>): SqlRow => {
    const decoded: SqlRow = {};
    for (const [column, value] of Object.entries(row)) decoded[column] = json.has(column) ? d.decodeJson(value) : value;
    return decoded;
  };

  /** The columns of a whole row of `alias`, and how to decode one read with them: one JSON object, or by column. */
  async function wholeRows(table: StoreTable, alias: string): Promise<{ columns: string; decode(row: SqlRow): SqlRow }> {
    if (d.rowAsJson !== undefined) {
      const decodeRowJson = d.decodeRowJson ?? ((value: unknown) => d.decodeJson(value) as SqlRow);
      return { columns: `${d.rowAsJson(alias)} AS ${q(ROW)}`, decode: (row) => decodeRowJson(row[ROW]) };
    }
    const json = await jsonColumnsOf(table);
    return { columns: `${alias}.*`, decode: (row) => decodeRow(row, json) };
  }

  /**
   * `CASE` branches testing that `column` holds JSON the dialect's functions read (`jsonValid`),
   * before any JSON function touches it: text that is not JSON in a text column would fail the
   * statement (SQLite) or read as NULL (MariaDB). None where the column holds only valid JSON.
   */
  const unlessValid = (column: string, then: 0 | 1) => (d.jsonValid === undefined ? '' : `WHEN NOT ${d.jsonValid(column)} THEN ${then} `);
  /**
   * A condition: the event has no canonical event. Only a JSON object is one; NULL, JSON `null`,
   * another JSON value or text that is not JSON is none (verify reports such a value as
   * `not_an_event`), so the row counts as not migrated and the next run writes it.
   */
  // `IS NULL OR …` rather than one CASE: the planner estimates IS NULL from the column's statistics,
  // and keeps the key-order index scan of a batch read; a CASE alone reads as rare, and PostgreSQL
  // sorted the whole table for every batch (half the runner's rate at 30k rows). The CASE still
  // guards its JSON functions, and on NULL every branch is NULL-safe, whatever the order.
  const missing = (column: string) => `(${column} IS NULL OR CASE ${unlessValid(column, 1)}WHEN ${d.jsonTypeIs(column, [], 'object')} THEN 0 ELSE 1 END = 1)`;
  /** A condition: the event has a `canonical_event` value other than NULL and JSON `null`, an event or not: what verify samples. */
  const present = (column: string) => `(CASE WHEN ${column} IS NULL THEN 0 ${unlessValid(column, 1)}WHEN ${d.jsonTypeIs(column, [], 'null')} THEN 0 ELSE 1 END = 1)`;
  /** {@link SqlDialect.samePayload} as 1 or 0, and 0 for a canonical event that is not JSON (its payload cannot be read). */
  const samePayload = (canonical: string, eventData: string) =>
    `CASE WHEN ${canonical} IS NULL THEN 0 ${unlessValid(canonical, 0)}WHEN ${d.samePayload(canonical, eventData)} THEN 1 ELSE 0 END`;

  /** `event_data` as the dialect reads it (as text where the driver would parse JSON columns, so a legacy text column decodes too), and its decoder. */
  const eventDataColumn = (column: string) => (d.jsonText === undefined ? column : d.jsonText(column));
  const decodeEventData = (value: unknown) => (d.jsonText === undefined ? d.decodeJson(value) : decodeJsonText(value));

  /**
   * Which of the events `ids` have a canonical payload equal to their `event_data`, compared by the
   * database, for a sample whose comparison as a whole was refused: a legacy text `event_data`
   * that is not JSON cannot be cast (PostgreSQL before 16 has no `IS JSON` to test it first). The
   * set is halved on each refusal, as refused batch writes are, until the row is alone: it does not
   * match, and the others are still compared. The comparison is in the select list, so only the
   * rows of the set are ever cast.
   */
  async function matchingPayloads(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const p = parameters();
    try {
      const rows = await session.query(
        `SELECT ${d.keyAsText(`e.${e.id}`)} AS id, ${samePayload(`e.${e.canonicalEvent}`, `e.${e.eventData}`)} AS payload_matches
FROM ${n.events} AS e WHERE e.${e.id} IN (${p.list(ids)})`,
        p.values,
      );
      return new Set(rows.filter((row) => Number(row.payload_matches) === 1).map((row) => String(row.id)));
    } catch (error) {
      if (d.isDataError?.(error) !== true) throw error;
      if (ids.length === 1) return new Set();
      const half = Math.ceil(ids.length / 2);
      const [first, second] = await Promise.all([matchingPayloads(ids.slice(0, half)), matchingPayloads(ids.slice(half))]);
      return new Set([...first, ...second]);
    }
  }

  /**
   * The WHERE conditions of an event selection; `prefix` qualifies columns (`e.`, or `''` in an
   * UPDATE). Without the `canonical_event` column (before `ensureSchema()`) no event has one, so
   * every event in the range is selected.
   */
  function selectionConditions(p: SqlParameters, selection: EventSelection, prefix: string, canonicalExists = true): string[] {
    const canonical = `${prefix}${e.canonicalEvent}`;
    const conditions: string[] = [];
    if (!canonicalExists) {
      // Nothing to add: every event lacks a canonical event.
    } else if (selection.renormalize === undefined) {
      conditions.push(missing(canonical));
    } else {
      // isOutdated of @app/migrate: current only when the normalizer is a known name at its current version.
      const current = Object.entries(selection.renormalize).map(
        ([normalizer, version]) =>
          `(${d.jsonTypeIs(canonical, PATH_NORMALIZER, 'string')} AND ${d.jsonScalar(canonical, PATH_NORMALIZER, 'string')} = ${p.add(normalizer)} AND ` +
          `${d.jsonTypeIs(canonical, PATH_VERSION, 'number')} AND ${d.jsonScalar(canonical, PATH_VERSION, 'number')} = ${p.add(version)})`,
      );
      // CASE rather than COALESCE(…, 0): a condition is a boolean on PostgreSQL, a number elsewhere; unknown (NULL) is not current.
      // One CASE, not OR: its branches are evaluated in order, so no JSON function reads a value that is not an event (not JSON, on SQLite, raises).
      conditions.push(`CASE WHEN ${missing(canonical)} THEN 1 WHEN ${current.length === 0 ? '1 = 0' : current.join(' OR ')} THEN 0 ELSE 1 END = 1`);
    }
    conditions.push(...rangeConditions(p, `${prefix}${e.id}`, selection.range));
    return conditions;
  }

  function rangeConditions(p: SqlParameters, id: string, range: KeyRange | undefined): string[] {
    const conditions: string[] = [];
    if (range?.after != null) conditions.push(`${id} > ${p.add(range.after)}`);
    if (range?.upTo != null) conditions.push(`${id} <= ${p.add(range.upTo)}`);
    return conditions;
  }

  const where = (conditions: string[]) => (conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`);

  /**
   * The run's row while `holder` holds its lease: one row (with its cursor and count of the rows
   * behind it), or none; locked unless `locked` is `false` (a batch that follows another reads it
   * without waiting, and locks it only to write its checkpoint).
   */
  const leaseQuery = (p: SqlParameters, runKey: string, holder: string, locked = true) =>
    `SELECT run_key, ${q('cursor')} AS cursor_before, ${ROWS_BEHIND} AS rows_behind_before FROM ${n.runs}
WHERE run_key = ${p.add(runKey)} AND lease_holder = ${p.add(holder)} AND lease_expires_at >= ${leaseNow}${locked ? ` ${d.forUpdate}` : ''}`;

  /**
   * The condition on the run's row (as `alias`) under which a batch that follows another
   * (`BatchWrite.follows`) writes its checkpoint: `holder` holds the lease and the stored cursor is
   * the one followed. An `UPDATE` reads the row as committed (PostgreSQL's read committed, and
   * InnoDB's updates whatever the isolation level, where a plain read would see the transaction's
   * snapshot under repeatable read), so it sees the other batch's checkpoint.
   */
  const followedCheckpoint = (p: SqlParameters, alias: string, runKey: string, holder: string, cursor: RowKey | null) =>
    [
      `${alias}.run_key = ${p.add(runKey)}`,
      `${alias}.lease_holder = ${p.add(holder)}`,
      `${alias}.lease_expires_at >= ${leaseNow}`,
      cursor === null ? `${alias}.${q('cursor')} IS NULL` : `${alias}.${q('cursor')} = ${p.add(cursor)}`,
    ].join(' AND ');

  /** How many events have a key in the range the conditions on `behind.<key>` give, as a scalar subquery. */
  const countKeys = (conditions: string[]) => `(SELECT COUNT(*) FROM ${n.events} AS behind WHERE ${conditions.join(' AND ')})`;
  const behindKey = `behind.${e.id}`;

  /**
   * The count of events at or behind the cursor of `checkpoint` when it is a whole-table events
   * checkpoint (`null` for any other run: shards and campaigns keep none), from the run's row as
   * it was (`before`, read with the lease): its count plus the events between its cursor and the
   * new one (minus them, should a cursor move back), so it costs the rows the cursor passed. A
   * run that starts over (no cursor) has none behind. A row that kept no count behind its cursor
   * (written before `rows_behind` existed) keeps none: `ensureSchema()` counts it once.
   */
  async function rowsBehindAfter(tx: SqlExecutor, checkpoint: RunCheckpoint, before: SqlRow): Promise<number | null> {
    if (checkpoint.runKey !== 'events') return null;
    const to = checkpoint.cursor;
    if (to === null) return 0;
    const cursor = before.cursor_before == null ? null : String(before.cursor_before);
    const count = before.rows_behind_before == null ? null : Number(before.rows_behind_before);
    const p = parameters();
    if (cursor === null) return Number((await tx.query(`SELECT ${countKeys([`${behindKey} <= ${p.add(to)}`])} AS n`, p.values))[0]?.n ?? 0);
    if (count === null || cursor === to) return count;
    // A plain (consistent) read, not a subquery of the UPDATE: InnoDB would lock the rows and gaps it counts.
    const gained = countKeys([`${behindKey} > ${p.add(cursor)}`, `${behindKey} <= ${p.add(to)}`]);
    const lost = countKeys([`${behindKey} > ${p.add(to)}`, `${behindKey} <= ${p.add(cursor)}`]);
    const [row] = await tx.query(`SELECT ${gained} AS gained, ${lost} AS lost`, p.values);
    return count + Number(row?.gained ?? 0) - Number(row?.lost ?? 0);
  }

  /**
   * {@link rowsBehindAfter} as the `rows_behind` assignment of an adapter's one-statement batch,
   * which reads the run's row as it was from the joined `lease`. Every count is a key range with
   * both ends (from the first key when there was no cursor: `ORDER BY … LIMIT 1`, as PostgreSQL
   * has no `min(uuid)`), so the planner expects a few rows
   * and never plans (or JIT-compiles) a scan of the table for a branch the statement does not take.
   */
  function rowsBehindAssignment(p: SqlParameters, checkpoint: RunCheckpoint, keyFromText: (text: string) => string): string {
    if (checkpoint.runKey !== 'events') return `${ROWS_BEHIND} = NULL`;
    const to = checkpoint.cursor;
    if (to === null) return `${ROWS_BEHIND} = 0`;
    const cursor = keyFromText('lease.cursor_before');
    const fromStart = countKeys([`${behindKey} >= (SELECT first_key.${e.id} FROM ${n.events} AS first_key ORDER BY first_key.${e.id} LIMIT 1)`, `${behindKey} <= ${p.add(to)}`]);
    const gained = countKeys([`${behindKey} > ${cursor}`, `${behindKey} <= ${p.add(to)}`]);
    const lost = countKeys([`${behindKey} > ${p.add(to)}`, `${behindKey} <= ${cursor}`]);
    return `${ROWS_BEHIND} = CASE WHEN lease.cursor_before IS NULL THEN ${fromStart} WHEN lease.rows_behind_before IS NULL THEN NULL
ELSE lease.rows_behind_before + ${gained} - ${lost} END`;
  }

  /**
   * Counts the events behind the cursor of a whole-table events checkpoint that kept no count (a
   * runs table from before `rows_behind`): once, when `ensureSchema()` runs, so `status` stops
   * counting the table. Written only while the cursor is still the one counted to.
   */
  async function countRowsBehindOnce(): Promise<void> {
    const p = parameters();
    const [row] = await session.query(`SELECT ${q('cursor')} AS cursor_before FROM ${n.runs} WHERE run_key = ${p.add('events')} AND ${q('cursor')} IS NOT NULL AND ${ROWS_BEHIND} IS NULL`, p.values);
    if (row === undefined) return;
    const cursor = String(row.cursor_before);
    const count = parameters();
    const behind = Number((await session.query(`SELECT ${countKeys([`${behindKey} <= ${count.add(cursor)}`])} AS n`, count.values))[0]?.n ?? 0);
    const update = parameters();
    await session.execute(
      `UPDATE ${n.runs} SET ${ROWS_BEHIND} = ${update.add(behind)} WHERE run_key = ${update.add('events')} AND ${q('cursor')} = ${update.add(cursor)} AND ${ROWS_BEHIND} IS NULL`,
      update.values,
    );
  }

  const checkpointAssignments = (p: SqlParameters, checkpoint: RunCheckpoint) => {
    const values = checkpointValues(checkpoint);
    return CHECKPOINT_COLUMNS.map((column, i) => `${q(column)} = ${p.add(values[i])}`).join(', ');
  };

  /** Locks the run's row and checks the lease; throws LeaseLostError (the transaction then rolls back). Returns the row as it was. */
  async function holdLease(tx: SqlExecutor, runKey: string, holder: string): Promise<SqlRow> {
    const p = parameters();
    const [row] = await tx.query(leaseQuery(p, runKey, holder), p.values);
    if (row === undefined) throw new LeaseLostError(runKey, holder);
    return row;
  }

  /**
   * Locks the run's row for the transaction, creating it first when absent, and returns its lease.
   * The locking read comes first: an insert that finds the row would take a shared lock on it
   * (InnoDB), and two transactions upgrading theirs would deadlock. Lease requests of a migration
   * lock its own row first, so two never insert rows of one migration at once.
   */
  async function lockRunRow(tx: SqlExecutor, runKey: string): Promise<SqlRow> {
    const lock = () => {
      const p = parameters();
      return tx.query(
        `SELECT lease_holder, lease_expires_at, CASE WHEN lease_expires_at IS NULL OR lease_expires_at < ${leaseNow} THEN 1 ELSE 0 END AS expired
FROM ${n.runs} WHERE run_key = ${p.add(runKey)} ${d.forUpdate}`,
        p.values,
      );
    };
    const [row] = await lock();
    if (row !== undefined) return row;
    const insert = parameters();
    await tx.execute(insertIgnore(n.runs, 'run_key', insert.add(runKey)), insert.values);
    return (await lock())[0] ?? {};
  }

  async function saveCheckpoint(tx: SqlExecutor, checkpoint: RunCheckpoint, rowsBehind: number | null): Promise<void> {
    const p = parameters();
    const assignments = `${ROWS_BEHIND} = ${p.add(rowsBehind)}, ${checkpointAssignments(p, checkpoint)}`;
    await tx.execute(`UPDATE ${n.runs} SET ${assignments} WHERE run_key = ${p.add(checkpoint.runKey)}`, p.values);
  }

  /** One batch: lease, rows (none for a checkpoint alone), checkpoint; as the adapter's one statement, or one transaction. */
  function writeBatch(operation: string, batch: Pick<BatchWrite<unknown>, 'holder' | 'checkpoint' | 'timeouts' | 'follows'>, writer: BatchRowsWriter | null): Promise<number> {
    const { runKey } = batch.checkpoint;
    const { batchStatement } = config;
    const { timeouts, follows } = batch;
    // A batch of rows with the run's timeouts runs on the adapter's session for them; anything else on the store's.
    const session = timeouts === undefined || writer === null || config.timedSession === undefined ? storeSession : config.timedSession(timeouts);
    if (follows !== undefined) return writeFollowing(operation, batch, follows, writer, session);
    if (batchStatement !== undefined) {
      return guard(operation, async () => {
        const p = parameters();
        const parts: SqlBatch = {
          parameters: p,
          lease: leaseQuery(p, runKey, batch.holder),
          checkpoint: checkpointAssignments(p, batch.checkpoint),
          rowsBehind: (keyFromText) => rowsBehindAssignment(p, batch.checkpoint, keyFromText),
          rows: writer?.rows(p) ?? null,
          timeouts: writer === null ? undefined : timeouts,
        };
        const [row] = await session.query(await batchStatement(parts), p.values);
        if (Number(row?.leased ?? 0) === 0) throw new LeaseLostError(runKey, batch.holder);
        return Number(row?.written ?? 0);
      }, writer !== null);
    }
    return guard(
      operation,
      async () => {
        // Built before the transaction: the adapter may read its catalog for it (the key's type),
        // which on a single connection cannot run while the transaction holds it.
        const p = parameters();
        const { rowsStatement } = config;
        const update = writer === null ? null : rowsStatement === undefined ? writer.update(p) : await rowsStatement(writer.joined(p));
        return session.transaction(async (tx) => {
          const before = await holdLease(tx, runKey, batch.holder);
          const written = update === null ? 0 : await tx.execute(update, p.values);
          await saveCheckpoint(tx, batch.checkpoint, await rowsBehindAfter(tx, batch.checkpoint, before));
          return written;
        });
      },
      writer !== null,
    );
  }

  /**
   * A batch that follows another one (`BatchWrite.follows`), maybe still being written on another
   * connection, in one transaction: the lease checked without locking the run's row, the rows
   * written (the adapter's one statement, with `SqlBatch.follows`, or the lease's read and the
   * rows' `UPDATE`), which the other batch does not touch, so nothing waits; then, once the other
   * batch's write has settled (`follows.committed`), the checkpoint, where the lease is held and
   * the stored cursor is the one followed ({@link followedCheckpoint}). When the other batch did
   * not commit, or the checkpoint is not there, the transaction rolls back, rows included, with
   * `BatchOutOfOrderError` (or `LeaseLostError` when the lease is gone).
   *
   * The count of the events behind the cursor is the stored count, as the update reads it, plus
   * the events between the followed cursor and the new one: on top of the other batch's count,
   * not the one this transaction's snapshot holds (InnoDB's repeatable read keeps its first read's).
   */
  function writeFollowing(
    operation: string,
    batch: Pick<BatchWrite<unknown>, 'holder' | 'checkpoint' | 'timeouts'>,
    follows: NonNullable<BatchWrite<unknown>['follows']>,
    writer: BatchRowsWriter | null,
    session: SqlSession,
  ): Promise<number> {
    const { runKey } = batch.checkpoint;
    const { holder } = batch;
    const { cursor } = follows;
    const { batchStatement, rowsStatement } = config;
    return guard(
      operation,
      async () => {
        // Built before the transaction: the adapter may read its catalog for them (the key's type).
        const p = parameters();
        const statement =
          batchStatement === undefined
            ? null
            : await batchStatement({
                parameters: p,
                lease: leaseQuery(p, runKey, holder, false),
                checkpoint: '',
                rowsBehind: () => '',
                rows: writer?.rows(p) ?? null,
                timeouts: writer === null ? undefined : batch.timeouts,
                follows: true,
              });
        const update = statement !== null || writer === null ? null : rowsStatement === undefined ? writer.update(p) : await rowsStatement(writer.joined(p));
        return session.transaction(async (tx) => {
          let written = 0;
          if (statement !== null) {
            const [row] = await tx.query(statement, p.values);
            if (Number(row?.leased ?? 0) === 0) throw new LeaseLostError(runKey, holder);
            written = Number(row?.written ?? 0);
          } else {
            const lease = parameters();
            // A plain read: the run's row stays free for the batch this one follows.
            if ((await tx.query(leaseQuery(lease, runKey, holder, false), lease.values)).length === 0) throw new LeaseLostError(runKey, holder);
            if (update !== null) written = await tx.execute(update, p.values);
          }
          const committed = await follows.committed.then(
            () => true,
            () => false,
          );
          if (!committed) throw new BatchOutOfOrderError(runKey, cursor);
          const c = parameters();
          const assignments = `${await rowsBehindFollowing(tx, c, batch.checkpoint, cursor)}, ${checkpointAssignments(c, batch.checkpoint)}`;
          if ((await tx.execute(`UPDATE ${n.runs} SET ${assignments} WHERE ${followedCheckpoint(c, n.runs, runKey, holder, cursor)}`, c.values)) === 0) {
            // The run's row is free by now: a locking read sees its lease as committed.
            const check = parameters();
            const [leased] = await tx.query(leaseQuery(check, runKey, holder), check.values);
            throw leased === undefined ? new LeaseLostError(runKey, holder) : new BatchOutOfOrderError(runKey, cursor);
          }
          return written;
        });
      },
      writer !== null,
    );
  }

  /**
   * The `rows_behind` assignment of a checkpoint that follows the cursor `from`: the stored count
   * (as the update reads it) plus the events the cursor passes, counted now by a plain read
   * ({@link rowsBehindAfter}'s counts, with `from` for the stored cursor).
   */
  async function rowsBehindFollowing(tx: SqlExecutor, p: SqlParameters, checkpoint: RunCheckpoint, from: RowKey | null): Promise<string> {
    if (checkpoint.runKey !== 'events') return `${ROWS_BEHIND} = NULL`;
    const to = checkpoint.cursor;
    const counted = await rowsBehindAfter(tx, checkpoint, { cursor_before: from, rows_behind_before: 0 });
    if (to === null || from === null) return `${ROWS_BEHIND} = ${p.add(counted)}`;
    return `${ROWS_BEHIND} = ${ROWS_BEHIND} + ${p.add(counted)}`;
  }

  /**
   * The canonical events of a batch as written, serialized: each with its payload left to the SQL
   * when it is the row's own ({@link OriginalPayloads}). Updates this store prepared are already so.
   */
  const eventRows = (updates: readonly EventUpdate[]): PreparedEventUpdate[] =>
    updates.map((update) => (update instanceof PreparedEventUpdate ? update : new PreparedEventUpdate(originals.toWrite(update))));

  /** The canonical events of a batch, each with its payload left to the SQL when it is the row's own. */
  function eventRowsWriter(updates: readonly PreparedEventUpdate[], selection: EventSelection): BatchRowsWriter {
    return {
      rows: (p) => ({
        table: 'events',
        updates,
        records: new BatchRecordsText(updates),
        conditions: selectionConditions(p, selection, 'e.'),
      }),
      // The rows' text is left to the session to make as it sends the statement (BatchRecordsText): built here, before the
      // transaction, it was held through the lease's read, the UPDATE and the checkpoint, and promoted by V8 with every batch.
      joined: (p) => ({ table: 'events', records: p.add(new BatchRecordsText(updates)), conditions: selectionConditions(p, selection, 'e.') }),
      update(p) {
        const cases = updates
          .map((row) => {
            const id = p.add(row.id);
            const json = p.add(row.eventJson);
            return `WHEN ${id} THEN ${row.original ? d.withPayload(json, e.eventData) : json}`;
          })
          .join(' ');
        const ids = p.list(updates.map((row) => row.id));
        const conditions = [`${e.id} IN (${ids})`, ...selectionConditions(p, selection, '')];
        return `UPDATE ${n.events} SET ${e.canonicalEvent} = CASE ${e.id} ${cases} END WHERE ${conditions.join(' AND ')}`;
      },
    };
  }

  function campaignRowsWriter(updates: readonly CampaignUpdate[]): BatchRowsWriter {
    return {
      rows: () => ({ table: 'campaigns', updates }),
      joined: (p) => ({ table: 'campaigns', records: p.add(batchRecordsJson({ table: 'campaigns', updates })), conditions: [] }),
      update(p) {
        const cases = updates.map((update) => `WHEN ${p.add(update.id)} THEN ${p.add(JSON.stringify(update.dataSourcesV2))}`).join(' ');
        const ids = p.list(updates.map((update) => update.id));
        return `UPDATE ${n.campaigns} SET ${n.campaign.dataSourcesV2} = CASE ${n.campaign.id} ${cases} END WHERE ${n.campaign.id} IN (${ids})`;
      },
    };
  }

  /** Totals of `table`; with `column` absent (before ensureSchema()), none is migrated. */
  async function status(operation: string, table: string, migratedCondition: string, column: 'canonicalEvent' | 'dataSourcesV2'): Promise<TableStatus> {
    return guard(operation, async () => {
      const condition = (await presence())[column] ? migratedCondition : '1 = 0';
      const rows = await session.query(`SELECT COUNT(*) AS total, SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS migrated FROM ${table}`);
      const total = Number(rows[0]?.total ?? 0);
      const migrated = Number(rows[0]?.migrated ?? 0);
      return { total, migrated, remaining: total - migrated };
    });
  }

  /**
   * The events' totals from the last whole-table checkpoint bound to this table, or `null`: as
   * total the events at or behind its cursor as the checkpoint counted them (`rows_behind`) plus
   * those past it, and as remaining the events past the cursor lacking a canonical event plus the
   * listed failed ones still lacking one. Every count reads keys only: a key range from the
   * cursor and key lookups, never a row behind the cursor (the whole table's row count only for
   * a checkpoint that kept no count, from before `rows_behind`).
   */
  async function eventStatusFromCheckpoint(): Promise<TableStatus | null> {
    return guard('counting events from the checkpoint', async () => {
      const found = await presence();
      if (!found.runs || !found.canonicalEvent) return null;
      const p = parameters();
      const kept = found.lookup('runs')?.(ROWS_BEHIND) === true;
      const columns = [...['run_key', ...CHECKPOINT_COLUMNS].map(q), kept ? `${ROWS_BEHIND} AS rows_behind_kept` : 'NULL AS rows_behind_kept'].join(', ');
      const [row] = await session.query(`SELECT ${columns} FROM ${n.runs} WHERE run_key = ${p.add('events')} AND status IS NOT NULL`, p.values);
      if (row === undefined) return null;
      const checkpoint = checkpointFromRow(row, (value) => d.decodeJson(value));
      const scope = checkpoint.scope;
      if (checkpoint.cursor === null || scope == null || scope.range !== null || scope.renormalize || scope.source !== `${n.events}.${e.id}`) return null;
      const past = parameters();
      const [pastRow] = await session.query(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN ${missing(`e.${e.canonicalEvent}`)} THEN 1 ELSE 0 END) AS remaining FROM ${n.events} AS e WHERE e.${e.id} > ${past.add(checkpoint.cursor)}`,
        past.values,
      );
      let behind = row.rows_behind_kept == null ? null : Number(row.rows_behind_kept);
      if (behind === null) {
        const upTo = parameters();
        behind = Number((await session.query(`SELECT ${countKeys([`${behindKey} <= ${upTo.add(checkpoint.cursor)}`])} AS n`, upTo.values))[0]?.n ?? 0);
      }
      const total = behind + Number(pastRow?.n ?? 0);
      let remaining = Number(pastRow?.remaining ?? 0);
      const listed = [...new Set(checkpoint.failures.flatMap((failure) => (failure.id === null ? [] : [failure.id])))];
      for (let first = 0; first < listed.length; first += 500) {
        const lookup = parameters();
        const keys = lookup.list(listed.slice(first, first + 500));
        const behind = `e.${e.id} <= ${lookup.add(checkpoint.cursor)}`;
        remaining += Number(
          (await session.query(`SELECT COUNT(*) AS n FROM ${n.events} AS e WHERE e.${e.id} IN (${keys}) AND ${behind} AND ${missing(`e.${e.canonicalEvent}`)}`, lookup.values))[0]?.n ?? 0,
        );
      }
      // Failures past the stored list (MAX_STORED_FAILURES) are known by their count only.
      remaining += Math.max(0, (checkpoint.counts.failed ?? 0) - checkpoint.failures.length);
      remaining = Math.min(remaining, total);
      return { total, migrated: total - remaining, remaining, basis: 'checkpoint' };
    });
  }

  // Quoted and schema-qualified as the SQL uses them: `"public"."events"."id"`.
  const sourceOf = (migration: MigrationName) => (migration === 'events' ? `${n.events}.${e.id}` : `${n.campaigns}.${n.campaign.id}`);
  const tableOf = (migration: MigrationName) => (migration === 'events' ? n.events : n.campaigns);

  /** Keys that cut the migration's table into `parts` ranges of about equal size, as the table is now. */
  async function keyBoundaries(executor: SqlExecutor, migration: MigrationName, parts: number): Promise<string[]> {
    const [table, id] = migration === 'events' ? [n.events, e.id] : [n.campaigns, n.campaign.id];
    const total = Number((await executor.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n ?? 0);
    const positions = [...new Set(Array.from({ length: parts - 1 }, (_, i) => Math.floor((total * (i + 1)) / parts)).filter((rn) => rn > 0))];
    if (positions.length === 0) return [];
    const p = parameters();
    const rows = await executor.query(
      `SELECT ${d.keyAsText('k.key_value')} AS k FROM (SELECT t.${id} AS key_value, ROW_NUMBER() OVER (ORDER BY t.${id}) AS rn FROM ${table} AS t) AS k
WHERE k.rn IN (${p.list(positions)}) ORDER BY k.rn`,
      p.values,
    );
    return rows.map((row) => String(row.k));
  }

  /**
   * The shard boundaries recorded under `layoutKey` (a row of the runs table without a status,
   * which no checkpoint read sees) for the migration's table as configured now, or `null`.
   */
  async function recordedBoundaries(executor: SqlExecutor, layoutKey: string, migration: MigrationName): Promise<string[] | null> {
    const p = parameters();
    const [row] = await executor.query(`SELECT scope FROM ${n.runs} WHERE run_key = ${p.add(layoutKey)} AND status IS NULL`, p.values);
    const layout = (row === undefined ? null : d.decodeJson(row.scope)) as Partial<ShardLayout> | null;
    if (layout == null || layout.source !== sourceOf(migration) || !Array.isArray(layout.boundaries)) return null;
    return layout.boundaries.map(String);
  }

  return {
    kind: d.name,
    ...(config.maxWritesInFlight === undefined ? {} : { maxWritesInFlight: config.maxWritesInFlight }),

    sourceOf: async (migration) => sourceOf(migration),

    ensureSchema: () =>
      guard('ensureSchema', async () => {
        const before = await config.inspectSchema(session);
        if (config.createLegacyTables !== true) {
          const absent = before.missingLegacyTables ?? [];
          if (absent.length > 0) throw new LegacyTableMissingError(absent);
        }
        // A column of a type the migrations cannot use: no DDL converts it here (the table would be rewritten).
        if (before.incompatible !== undefined && before.incompatible.length > 0) throw new IncompatibleColumnError(before.incompatible);
        await config.ensureSchema(session);
        // The migrations' own rows of the runs table, which every lease request of a migration locks:
        // created here, shards started together never race to insert them.
        const p = parameters();
        const present = new Set((await session.query(`SELECT run_key FROM ${n.runs} WHERE run_key IN (${p.list(MIGRATIONS)})`, p.values)).map((row) => String(row.run_key)));
        for (const migration of MIGRATIONS.filter((name) => !present.has(name))) {
          const insert = parameters();
          await session.execute(insertIgnore(n.runs, 'run_key', insert.add(migration)), insert.values);
        }
        await countRowsBehindOnce();
      }).finally(() => {
        jsonColumnCache.clear();
        presenceCache = undefined;
      }),

    inspectSchema: () =>
      guard('inspecting the schema', async (): Promise<SchemaInspection> => {
        presenceCache = undefined;
        const [inspection, found] = await Promise.all([config.inspectSchema(session), presence()]);
        const absent = absentLegacyColumns(n, found.lookup);
        const legacyTables = (['events', 'campaigns', 'integrations'] as const).every((table) => found.lookup(table) !== null);
        const usable = inspection.incompatible === undefined || inspection.incompatible.length === 0;
        return { ...inspection, ready: inspection.ready && usable && absent.length === 0, readable: legacyTables && usable && absent.length === 0, absent };
      }),

    acquireLease(runKey, holder, ttlMs, options): Promise<LeaseResult> {
      return guard(`acquiring the lease of "${runKey}"`, () =>
        session.transaction(async (tx) => {
          // Every lease request of a migration locks the migration's own row first, so checking the
          // overlapping runs and granting the lease is atomic: two overlapping runs never both get one.
          const migration = migrationOfRunKey(runKey);
          if (migration !== runKey) await lockRunRow(tx, migration);
          const row = await lockRunRow(tx, runKey);
          const current = row.lease_holder == null ? null : String(row.lease_holder);
          if (current !== null && current !== holder && current !== options?.takeOverFrom && Number(row.expired) === 0) {
            return { acquired: false, holder: current, expiresAt: toIsoTime(row.lease_expires_at) };
          }
          // A locking read: it sees leases granted while this request waited for the migration's row,
          // where a plain one reads the transaction's snapshot (InnoDB's repeatable read). Migration
          // names hold no LIKE wildcard; the overlap rule itself is applied here, not in SQL.
          const others = parameters();
          const live = await tx.query(
            `SELECT run_key, lease_holder, lease_expires_at FROM ${n.runs}
WHERE (run_key = ${others.add(migration)} OR run_key LIKE ${others.add(`${migration}#%`)}) AND run_key <> ${others.add(runKey)}
AND lease_holder IS NOT NULL AND lease_expires_at >= ${leaseNow} ${d.forUpdate}`,
            others.values,
          );
          const overlapping = live.find((other) => runsOverlap(runKey, String(other.run_key)));
          if (overlapping !== undefined) {
            return { acquired: false, holder: String(overlapping.lease_holder), expiresAt: toIsoTime(overlapping.lease_expires_at), runKey: String(overlapping.run_key) };
          }
          const take = parameters();
          await tx.execute(
            `UPDATE ${n.runs} SET lease_holder = ${take.add(holder)}, lease_expires_at = ${leaseExpiresIn(take.add(Math.max(0, Math.round(ttlMs))))} WHERE run_key = ${take.add(runKey)}`,
            take.values,
          );
          return { acquired: true };
        }),
      );
    },

    releaseLease(runKey, holder) {
      return guard(`releasing the lease of "${runKey}"`, async () => {
        const p = parameters();
        await session.execute(`UPDATE ${n.runs} SET lease_holder = NULL, lease_expires_at = NULL WHERE run_key = ${p.add(runKey)} AND lease_holder = ${p.add(holder)}`, p.values);
      });
    },

    readCheckpoint(runKey) {
      return guard(`reading the checkpoint of "${runKey}"`, async () => {
        const columns = ['run_key', ...CHECKPOINT_COLUMNS].map(q).join(', ');
        const p = parameters();
        // No runs table yet (before ensureSchema()): no run has been applied.
        if (!(await presence()).runs) return null;
        const rows = await session.query(`SELECT ${columns} FROM ${n.runs} WHERE run_key = ${p.add(runKey)} AND status IS NOT NULL`, p.values);
        return rows[0] === undefined ? null : checkpointFromRow(rows[0], (value) => d.decodeJson(value));
      });
    },

    readCheckpoints(runKeys) {
      return guard(`reading the checkpoints of ${runKeys.length} runs`, async () => {
        const keys = [...new Set(runKeys)];
        if (keys.length === 0 || !(await presence()).runs) return runKeys.map(() => null);
        const columns = ['run_key', ...CHECKPOINT_COLUMNS].map(q).join(', ');
        const p = parameters();
        // One statement for every key: status --shards reads up to a thousand of them.
        const rows = await session.query(`SELECT ${columns} FROM ${n.runs} WHERE run_key IN (${p.list(keys)}) AND status IS NOT NULL`, p.values);
        const found = new Map(rows.map((row) => [String(row.run_key), row]));
        return runKeys.map((runKey) => {
          const row = found.get(runKey);
          return row === undefined ? null : checkpointFromRow(row, (value) => d.decodeJson(value));
        });
      });
    },

    listCheckpoints(migration) {
      return guard(`listing the runs of ${migration}`, async () => {
        if (!(await presence()).runs) return [];
        const columns = ['run_key', ...CHECKPOINT_COLUMNS].map(q).join(', ');
        const p = parameters();
        // The key's own LIKE prefix (as lease requests use) finds the shards; isRunOf drops a shard layout's row.
        const rows = await session.query(
          `SELECT ${columns} FROM ${n.runs} WHERE (run_key = ${p.add(migration)} OR run_key LIKE ${p.add(`${migration}#%`)}) AND status IS NOT NULL`,
          p.values,
        );
        return rows
          .filter((row) => isRunOf(migration, String(row.run_key)))
          .sort((a, b) => compareRunKeys(String(a.run_key), String(b.run_key)))
          .map((row) => checkpointFromRow(row, (value) => d.decodeJson(value)));
      });
    },

    async writeCheckpoint(checkpoint, holder) {
      await writeBatch(`writing the checkpoint of "${checkpoint.runKey}"`, { checkpoint, holder }, null);
    },

    countEvents(selection) {
      return guard('counting events', async () => {
        const p = parameters();
        const conditions = selectionConditions(p, selection, 'e.', (await presence()).canonicalEvent);
        const rows = await session.query(`SELECT COUNT(*) AS n FROM ${n.events} AS e ${where(conditions)}`, p.values);
        return Number(rows[0]?.n ?? 0);
      });
    },

    readEventBatch(selection, after, limit) {
      return guard(`reading events after ${after ?? 'the start'}`, async () => {
        const p = parameters();
        const conditions = selectionConditions(p, selection, 'e.', (await presence()).canonicalEvent);
        if (after !== null) conditions.push(`e.${e.id} > ${p.add(after)}`);
        // A column declared absent is read as NULL: the normalizers then do without it.
        const eventType = n.declaredAbsent.eventType ? 'NULL' : `e.${e.eventType}`;
        const createdAt = n.declaredAbsent.createdAt ? 'NULL' : `e.${e.createdAt}`;
        const rows = await session.query(
          `SELECT ${d.keyAsText(`e.${e.id}`)} AS id, e.${e.integrationType} AS integration_type, ${eventType} AS event_type, ${eventDataColumn(`e.${e.eventData}`)} AS event_data, ${createdAt} AS created_at
FROM ${n.events} AS e ${where(conditions)} ORDER BY e.${e.id} LIMIT ${checkLimit(limit)}`,
          p.values,
        );
        return rows.map((row): EventRecord => {
          const id = String(row.id);
          const eventData = decodeEventData(row.event_data);
          originals.remember(id, eventData);
          const record: EventRecord = { id, integration_type: row.integration_type, event_type: row.event_type, event_data: eventData, created_at: row.created_at };
          // The text's length, free here, lets the runner keep a batch within its byte budget.
          if (typeof row.event_data === 'string') record.eventDataLength = row.event_data.length;
          return record;
        });
      });
    },

    writeEventBatch(write: BatchWrite<EventUpdate>, selection) {
      const writer = write.updates.length === 0 ? null : eventRowsWriter(eventRows(write.updates), selection);
      return writeBatch(`writing ${write.updates.length} canonical events (run "${write.checkpoint.runKey}")`, write, writer);
    },

    prepareEventBatch(updates) {
      if (updates.length === 0) return undefined;
      try {
        return eventRows(updates);
      } catch {
        // The write builds them again, and reports why they cannot be written.
        return undefined;
      }
    },

    keyBoundaries(migration: MigrationName, parts) {
      if (!Number.isSafeInteger(parts) || parts < 2) return Promise.resolve([]);
      return guard(`cutting ${tableOf(migration)} into ${parts} key ranges`, () => keyBoundaries(session, migration, parts));
    },

    shardBoundaries(migration: MigrationName, parts, options) {
      if (!Number.isSafeInteger(parts) || parts < 2) return Promise.resolve([]);
      const layoutKey = `${migration}#shards/${parts}`;
      const operation = `fixing the boundaries of ${parts} shards of ${tableOf(migration)}`;
      if (options?.record !== true) {
        return guard(operation, async () => ((await presence()).runs ? await recordedBoundaries(session, layoutKey, migration) : null) ?? keyBoundaries(session, migration, parts));
      }
      return guard(operation, () =>
        session.transaction(async (tx) => {
          // The migration's row, which its lease requests lock too: two shards starting at once record one layout.
          await lockRunRow(tx, migration);
          const recorded = await recordedBoundaries(tx, layoutKey, migration);
          if (recorded !== null) return recorded;
          const boundaries = await keyBoundaries(tx, migration, parts);
          const insert = parameters();
          await tx.execute(insertIgnore(n.runs, 'run_key', insert.add(layoutKey)), insert.values);
          const update = parameters();
          const layout: ShardLayout = { source: sourceOf(migration), parts, boundaries };
          await tx.execute(`UPDATE ${n.runs} SET scope = ${update.add(JSON.stringify(layout))} WHERE run_key = ${update.add(layoutKey)}`, update.values);
          return boundaries;
        }),
      );
    },

    readCampaignBatch(after, limit, range) {
      return guard(`reading campaigns after ${after ?? 'the start'}`, async () => {
        const whole = await wholeRows('campaigns', 'c');
        const p = parameters();
        const id = `c.${n.campaign.id}`;
        const conditions = rangeConditions(p, id, range);
        if (after !== null) conditions.push(`${id} > ${p.add(after)}`);
        const rows = await session.query(
          `SELECT ${d.keyAsText(id)} AS ${q('__store_key')}, ${whole.columns} FROM ${n.campaigns} AS c ${where(conditions)} ORDER BY ${id} LIMIT ${checkLimit(limit)}`,
          p.values,
        );
        return rows.map(({ __store_key: key, ...row }) =>
          storedRow(String(key), whole.decode(row), n.rawColumns.campaignId, [[n.rawColumns.campaignDataSourcesV2, 'data_sources_v2']]),
        );
      });
    },

    readIntegrations() {
      return guard('reading integrations', async () => {
        const whole = await wholeRows('integrations', 'i');
        const id = `i.${n.integration.id}`;
        const rows = await session.query(`SELECT ${d.keyAsText(id)} AS ${q('__store_key')}, ${whole.columns} FROM ${n.integrations} AS i ORDER BY ${id}`);
        return rows.map(({ __store_key: key, ...row }): StoredRow => storedRow(String(key), whole.decode(row), n.rawColumns.integrationId));
      });
    },

    writeCampaignBatch(write: BatchWrite<CampaignUpdate>) {
      const writer = write.updates.length === 0 ? null : campaignRowsWriter(write.updates);
      return writeBatch(`writing data_sources_v2 of ${write.updates.length} campaigns`, write, writer);
    },

    sampleMigratedEvents(limit) {
      if (limit < 1) return Promise.resolve([]);
      return guard('sampling migrated events', async () => {
        if (!(await presence()).canonicalEvent) return [];
        // Every event with a value, an event or not, so verify reports one that is not.
        const migrated = present(e.canonicalEvent);
        const total = Number((await session.query(`SELECT COUNT(*) AS n FROM ${n.events} WHERE ${migrated}`))[0]?.n ?? 0);
        // Numbers the migrated keys, then reads every step-th row: a sample spread over the table.
        const step = Math.max(1, Math.floor(total / limit));
        // The payload is compared in SQL: the driver's parsed values can look equal when the stored JSON is not.
        const sample = (compare: boolean) =>
          session.query(
            `SELECT ${d.keyAsText(`e.${e.id}`)} AS id, ${eventDataColumn(`e.${e.eventData}`)} AS event_data, e.${e.canonicalEvent} AS canonical_event${
              compare ? `,\n${samePayload(`e.${e.canonicalEvent}`, `e.${e.eventData}`)} AS payload_matches` : ''
            }
FROM (SELECT ${e.id} AS key_value, ROW_NUMBER() OVER (ORDER BY ${e.id}) AS rn FROM ${n.events} WHERE ${migrated}) AS k
JOIN ${n.events} AS e ON e.${e.id} = k.key_value
WHERE (k.rn - 1) % ${step} = 0 ORDER BY k.rn LIMIT ${checkLimit(limit)}`,
          );
        let rows: SqlRow[];
        let matches = (row: SqlRow) => Number(row.payload_matches) === 1;
        try {
          rows = await sample(true);
        } catch (error) {
          // One row the database cannot compare (event_data no longer JSON) must not fail the whole sample.
          if (d.isDataError?.(error) !== true) throw error;
          rows = await sample(false);
          const matching = await matchingPayloads(rows.map((row) => String(row.id)));
          matches = (row) => matching.has(String(row.id));
        }
        return rows.map(
          (row): StoredEvent => ({
            id: String(row.id),
            event_data: decodeEventData(row.event_data),
            canonical_event: d.decodeJson(row.canonical_event),
            payloadMatches: matches(row),
          }),
        );
      });
    },

    async eventStatus(options) {
      if (options?.fromCheckpoint === true) {
        const fromCheckpoint = await eventStatusFromCheckpoint();
        if (fromCheckpoint !== null) return fromCheckpoint;
      }
      return status('counting migrated events', n.events, `NOT ${missing(e.canonicalEvent)}`, 'canonicalEvent');
    },

    campaignStatus() {
      const v2 = n.campaign.dataSourcesV2;
      // A CASE, in order: a data_sources_v2 that is not JSON is not migrated, and fails no count.
      const migrated = `CASE WHEN ${v2} IS NULL THEN 0 ${unlessValid(v2, 0)}WHEN ${d.jsonTypeIs(v2, [], 'array')} THEN (CASE WHEN ${d.jsonArrayLength(v2)} > 0 THEN 1 ELSE 0 END) ELSE 0 END = 1`;
      return status('counting migrated campaigns', n.campaigns, migrated, 'dataSourcesV2');
    },

    ...sqlFlagStore({ dialect: d, session, names: n, guard }),
    ...sqlFlagMetricsStore({ dialect: d, session, names: n, guard }),

    async close() {
      await config.close?.();
    },
  };
}
