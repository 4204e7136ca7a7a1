import type { FlagMetricsStore, FlagStore, MigrationStore, RunListing, SchemaInspection } from '@app/migrate';
import {
  RUNS_ROWS_BEHIND_COLUMN,
  RUNS_SCOPE_COLUMN,
  type SqlExecutor,
  type SqlSession,
  type StoreTable,
  createSqlStore,
  knownJsonColumns,
  missingLegacyTables,
  missingSchemaObjects,
  missingSystemFlags,
  resolveNames,
  schemaInspection,
} from '@app/sql-store';
import type { SqliteDatabase } from './sqlite-database.js';
import { quoteSqliteIdentifier as q, sqliteDialect } from './sqlite-dialect.js';
import type { SqliteSchemaOptions } from './sqlite-schema-options.js';
import { sqliteRolloutTriggers, sqliteSchemaStatements, sqliteSchemaSteps } from './sqlite-schema-sql.js';
import { historyCheckGaps, upgradeHistoryCheck } from './sqlite-history-check.js';
import { sqliteRowsStatement } from './sqlite-rows-statement.js';
import { createSqliteSession } from './sqlite-session.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends SqliteSchemaOptions {
  /** A better-sqlite3 `Database` (`new Database('app.db')`). The store never closes it. */
  database: SqliteDatabase;
  /** How long a statement waits for another process's write lock, in ms (`PRAGMA busy_timeout`); 5000 by default. */
  busyTimeoutMs?: number;
}

/** A `MigrationStore` over SQLite. */
export interface SqliteStore extends MigrationStore, RunListing, FlagStore, FlagMetricsStore {
  readonly kind: 'sqlite';
  /** Every statement `ensureSchema()` may run (it runs those of absent tables only), for review. */
  schemaStatements(): string[];
}

const tableKey = { events: 'events', campaigns: 'campaigns', integrations: 'integrations', featureFlags: 'featureFlags' } as const;

/**
 * Creates a `MigrationStore` over a SQLite file through better-sqlite3, for single-machine use
 * without a server.
 *
 * - JSON columns are text (`JSON TEXT`, checked with `json_valid`), read with SQLite's JSON
 *   functions; payloads are copied into canonical events by SQL, as stored.
 * - `ensureSchema()` switches a file database to WAL (readers never block the writer) and creates
 *   what is missing, after reading the catalog: on a complete schema it runs no DDL. The
 *   connection gets a busy timeout so a second process waits for the write lock instead of
 *   failing at once. `inspectSchema()` reads the catalog only (and never switches the journal).
 * - Batches run in `BEGIN IMMEDIATE` transactions; the run lease is a row of the runs table, so
 *   two processes on one file never migrate the same run at once.
 * - Synchronous under the hood: the store runs its operations one at a time on the connection.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const store = createSqliteStore({ database: new Database('social-proof.db') });
 * await store.ensureSchema();
 * await runEventMigration({ store, apply: true });
 * ```
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { database } = options;
  database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  const names = resolveNames(options, q);
  const session = createSqliteSession(database);
  const rawTable = (table: StoreTable) => names.raw[tableKey[table]];

  /** The columns of a table (in the attached database `schema` when set) with their declared types. */
  async function columnsOf(s: SqlExecutor, table: string): Promise<{ name: string; type: string }[]> {
    const rows = options.schema === undefined
      ? await s.query('SELECT name, type FROM pragma_table_info(?)', [table])
      : await s.query('SELECT name, type FROM pragma_table_info(?, ?)', [table, options.schema]);
    return rows.map((row) => ({ name: String(row.name), type: String(row.type ?? '') }));
  }

  const schemaPrefix = options.schema === undefined ? '' : `${q(options.schema)}.`;
  const seedFlags = options.seedSystemFlags !== false;

  /** What exists, read from `sqlite_master` and the tables' pragmas only. Names compare as SQLite compares them: case-insensitively. */
  async function readCatalog(s: SqlExecutor) {
    const tables = new Set((await s.query(`SELECT name FROM ${schemaPrefix}sqlite_master WHERE type = 'table'`)).map((row) => String(row.name).toLowerCase()));
    const triggers = new Set((await s.query(`SELECT name FROM ${schemaPrefix}sqlite_master WHERE type = 'trigger'`)).map((row) => String(row.name).toLowerCase()));
    const columns = new Set<string>();
    for (const table of [names.raw.events, names.raw.campaigns, names.raw.runs]) {
      if (tables.has(table.toLowerCase())) for (const column of await columnsOf(s, table)) columns.add(`${table.toLowerCase()}.${column.name.toLowerCase()}`);
    }
    return {
      hasTable: (table: string) => tables.has(table.toLowerCase()),
      hasColumn: (table: string, column: string) => columns.has(`${table.toLowerCase()}.${column.toLowerCase()}`),
      hasTrigger: (trigger: string) => triggers.has(trigger.toLowerCase()),
    };
  }

  async function inspectSchema(s: SqlSession): Promise<Omit<SchemaInspection, 'readable' | 'absent'>> {
    const catalog = await readCatalog(s);
    const flags = seedFlags && catalog.hasTable(names.raw.featureFlags) ? (await s.query(`SELECT name FROM ${names.featureFlags}`)).map((row) => row.name) : [];
    // Reading the pragma without a value only reports the mode.
    const journal = database.memory ? 'memory' : String((await s.query(`PRAGMA ${schemaPrefix}journal_mode`))[0]?.journal_mode ?? '').toLowerCase();
    const prefix = options.schema === undefined ? '' : `${options.schema}.`;
    const rolloutGuarded = sqliteRolloutTriggers(options).every((trigger) => catalog.hasTrigger(trigger.name));
    const pending = [
      ...(seedFlags ? missingSystemFlags(flags) : []),
      ...(database.memory || journal === 'wal' ? [] : ['WAL journal mode']),
      ...(rolloutGuarded ? [] : [`integer rollout_percentage triggers on ${prefix}${names.raw.featureFlags}`]),
      ...(await historyCheckGaps(s, names, options.schema)).map((field) => `history CHECK of ${prefix}${names.raw.flagChanges} accepting '${field}'`),
    ];
    return schemaInspection(missingSchemaObjects(names, catalog, prefix), pending, missingLegacyTables(names, catalog, prefix));
  }

  async function ensureSchema(s: SqlSession): Promise<void> {
    // A no-op when the file is in WAL already; it cannot run inside a transaction.
    if (!database.memory) database.exec(`PRAGMA ${schemaPrefix}journal_mode = WAL`);
    await s.transaction(async (tx) => {
      const catalog = await readCatalog(tx);
      for (const step of sqliteSchemaSteps(options)) {
        const needed = step.table !== undefined ? !catalog.hasTable(names.raw[step.table]) : step.trigger === undefined || !catalog.hasTrigger(step.trigger);
        if (needed) await tx.execute(step.sql);
      }
      // A history table of an older schema refuses fields recorded since (rollout plans' metadata).
      if (catalog.hasTable(names.raw.flagChanges) && (await historyCheckGaps(tx, names, options.schema)).length > 0) await upgradeHistoryCheck(tx, names, options.schema);
      const json = (column: string) => `JSON TEXT CHECK (${q(column)} IS NULL OR json_valid(${q(column)}))`;
      const added: [string, string, string, string][] = [
        [names.events, names.raw.events, names.rawColumns.canonicalEvent, json(names.rawColumns.canonicalEvent)],
        [names.campaigns, names.raw.campaigns, names.rawColumns.campaignDataSourcesV2, json(names.rawColumns.campaignDataSourcesV2)],
        [names.runs, names.raw.runs, RUNS_SCOPE_COLUMN, json(RUNS_SCOPE_COLUMN)],
        [names.runs, names.raw.runs, RUNS_ROWS_BEHIND_COLUMN, 'INTEGER'],
      ];
      for (const [table, raw, column, type] of added) {
        // Tables created above already have the column; only existing legacy tables can lack it.
        if (catalog.hasTable(raw) && !catalog.hasColumn(raw, column)) await tx.execute(`ALTER TABLE ${table} ADD COLUMN ${q(column)} ${type}`);
      }
    });
  }

  const store = createSqlStore({
    dialect: sqliteDialect,
    session,
    names,
    ensureSchema,
    inspectSchema,
    rowsStatement: async (rows) => sqliteRowsStatement(names, rows),
    // A batch waits for one lock, the file's write lock at its BEGIN IMMEDIATE: its lockTimeoutMs is
    // its busy timeout. A statement cannot be bounded: better-sqlite3 runs it to its end inside the call.
    timedSession: (timeouts) => (timeouts.lockTimeoutMs === undefined ? session : session.waitingAtMost(timeouts.lockTimeoutMs)),
    createLegacyTables: options.createLegacyTables === true,
    async tableColumns(s, table) {
      // SQLite compares names case-insensitively; a table without columns does not exist.
      const columns = new Set((await columnsOf(s, names.raw[table])).map((column) => column.name.toLowerCase()));
      return columns.size === 0 ? null : (column) => columns.has(column.toLowerCase());
    },
    async jsonColumns(s, table) {
      const json = knownJsonColumns(names, table);
      for (const column of await columnsOf(s, rawTable(table))) if (/json/i.test(column.type)) json.add(column.name);
      return json;
    },
  });
  return Object.assign(store, { kind: 'sqlite' as const, schemaStatements: () => sqliteSchemaStatements(options) });
}
