import type { DatabaseHealth, FlagMetricsStore, FlagStore, MigrationStore, RunListing, SchemaInspection } from '@app/migrate';
import {
  RUNS_ROWS_BEHIND_COLUMN,
  RUNS_SCOPE_COLUMN,
  SqlStoreError,
  type ColumnLookup,
  type SqlExecutor,
  type SqlSession,
  type StoreTable,
  type TableNames,
  createSqlStore,
  knownJsonColumns,
  missingLegacyTables,
  missingSchemaObjects,
  missingSystemFlags,
  resolveNames,
  schemaInspection,
} from '@app/sql-store';
import type { MysqlClient } from './mysql-client.js';
import { quoteMysqlIdentifier as q, mysqlDialect, mysqlSamePayload } from './mysql-dialect.js';
import type { MysqlSchemaOptions } from './mysql-schema-options.js';
import { eventKeyIndexName, exactNameCollation, mysqlSchemaStatements, mysqlSchemaSteps } from './mysql-schema-sql.js';
import { exactNamesStatements, inexactNameColumns } from './mysql-exact-names.js';
import { outdatedHistoryChecks, replaceHistoryCheckSql } from './mysql-history-check.js';
import { mysqlRowsStatement } from './mysql-rows-statement.js';
import { createMysqlSession, isMysqlPool } from './mysql-session.js';
import { mysqlTimedSession } from './mysql-timed-session.js';
import { type MysqlReplica, readMysqlReplicationHealth } from './read-mysql-replication-health.js';

/** Options of {@link createMysqlStore}. */
export interface MysqlStoreOptions extends MysqlSchemaOptions {
  /** A mysql2 Pool (`mysql.createPool(…)` from `mysql2/promise`) or one Connection. The store never closes it. */
  client: MysqlClient;
  /** Seconds `ensureSchema()` waits for another process creating the same schema; 30 by default. */
  schemaLockTimeoutSeconds?: number;
  /**
   * Seconds a DDL statement of `ensureSchema()` waits for its table's metadata lock
   * (`lock_wait_timeout`, for that statement's connection only); 5 by default. An `ALTER TABLE`
   * queued behind a long transaction would make every later reader of the table queue behind it,
   * so it gives up instead, with an error naming the table.
   */
  ddlLockTimeoutSeconds?: number;
  /**
   * Milliseconds one statement may take before the driver gives up on it (mysql2's per-query
   * `timeout`; client-side, so it also ends a wait on a server that stopped answering: the
   * connection is closed and the operation fails with `PROTOCOL_SEQUENCE_TIMEOUT`, its transaction
   * rolled back by the server). None by default; `app-migrate` sets 300000. Keep it above the
   * lock timeouts (`schemaLockTimeoutSeconds`).
   */
  statementTimeoutMs?: number;
  /**
   * Connections to the replicas of the server `client` writes to. With them the store implements
   * `DatabaseHealth` (`readDatabaseHealth()`, each replica's `SHOW REPLICA STATUS`), so a runner's
   * `throttle` can pause while a replica is too far behind; a primary cannot see its replicas' lag.
   */
  replicas?: readonly MysqlReplica[];
}

/** A `MigrationStore` over MySQL 8 or MariaDB ≥ 10.6. */
export interface MysqlStore extends MigrationStore, RunListing, FlagStore, FlagMetricsStore, Partial<DatabaseHealth> {
  /**
   * `mariadb` or `mysql`, from the server's `VERSION()`, read before the store's first statement;
   * `mysql` until then.
   */
  readonly kind: MysqlFlavor;
  /**
   * Every statement `ensureSchema()` may run (it runs those of absent tables only), for review: for
   * the server's flavor (its exact collation) once `kind` is known, MySQL's until then.
   */
  schemaStatements(): string[];
  /** `mysql` or `mariadb`, read from `VERSION()` once. */
  serverFlavor(): Promise<MysqlFlavor>;
}

/** Which server a {@link MysqlStore} talks to. */
export type MysqlFlavor = 'mysql' | 'mariadb';

const tableKey = { events: 'events', campaigns: 'campaigns', integrations: 'integrations', featureFlags: 'featureFlags' } as const;

/**
 * Creates a `MigrationStore` over MySQL 8 or MariaDB ≥ 10.6 through mysql2.
 *
 * - JSON columns are `JSON` (binary JSON on MySQL, a checked LONGTEXT on MariaDB) and read back
 *   the same on both; payloads are copied into canonical events by SQL, as stored.
 * - Keyset pagination on the primary key; keys leave the database as text, so BIGINT keys stay exact.
 * - A batch is one transaction: `SELECT … FOR UPDATE` on the run's row with the lease check, one
 *   `UPDATE` joining the rows from one JSON parameter (`JSON_TABLE`, repeating the selection),
 *   the checkpoint.
 * - `ensureSchema()` holds `GET_LOCK` while it creates what is missing, since MySQL DDL is not
 *   transactional and two processes could otherwise race. It reads `information_schema` first and
 *   runs only the statements it needs (none on a complete schema), each waiting at most
 *   `ddlLockTimeoutSeconds` for its table. `inspectSchema()` reads `information_schema` only.
 * - `ensureSchema()` also adds a secondary index on the events' key (`<events>_key_count`) unless
 *   one starting with the key exists: the row count `status` shows then walks it, not every row's JSON.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const pool = mysql.createPool({ uri: process.env.DATABASE_URL, supportBigNumbers: true, bigNumberStrings: true, maxPreparedStatements: 32 });
 * const store = createMysqlStore({ client: pool });
 * await store.ensureSchema();
 * await runEventMigration({ store, apply: true });
 * ```
 */
export function createMysqlStore(options: MysqlStoreOptions): MysqlStore {
  const names = resolveNames(options, q);
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  if (!Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs < 0) throw new TypeError(`statementTimeoutMs must be a non-negative integer, got ${statementTimeoutMs}`);
  const driverSession = createMysqlSession(options.client, statementTimeoutMs);
  const schemaName = options.schema ?? null;
  let flavor: Promise<MysqlFlavor> | undefined;
  let kind: MysqlFlavor = 'mysql';

  const serverFlavor = (): Promise<MysqlFlavor> => {
    if (flavor === undefined) {
      flavor = driverSession.query('SELECT VERSION() AS version').then((rows) => {
        kind = /mariadb/i.test(String(rows[0]?.version)) ? 'mariadb' : 'mysql';
        return kind;
      });
      // A failed detection (server down) is retried by the next statement, which reports the error.
      flavor.catch(() => (flavor = undefined));
    }
    return flavor;
  };
  // Every statement waits for the detection once, so `kind` is right before the first result.
  const session: SqlSession = {
    async query(sql, params) {
      await serverFlavor();
      return driverSession.query(sql, params);
    },
    async execute(sql, params) {
      await serverFlavor();
      return driverSession.execute(sql, params);
    },
    async transaction(work) {
      await serverFlavor();
      return driverSession.transaction(work);
    },
  };

  async function columnsOf(s: SqlExecutor, table: string): Promise<{ name: string; type: string }[]> {
    const rows = await s.query(
      'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      [schemaName, table],
    );
    return rows.map((row) => ({ name: String(row.name), type: String(row.type) }));
  }

  const seedFlags = options.seedSystemFlags !== false;
  const ddlLockTimeout = Math.max(1, Math.round(options.ddlLockTimeoutSeconds ?? 5));

  /** What exists, from `information_schema` only. Table names compare as the server stores them (`lower_case_table_names`). */
  async function readCatalog(s: SqlExecutor) {
    const [settings] = await s.query('SELECT @@lower_case_table_names AS lower');
    const fold = Number(settings?.lower ?? 0) === 0 ? (name: string) => name : (name: string) => name.toLowerCase();
    const tables = new Set(
      (await s.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())', [schemaName])).map((row) => fold(String(row.name))),
    );
    const columns = new Set<string>();
    for (const table of [names.raw.events, names.raw.campaigns, names.raw.runs]) {
      // Column names are case-insensitive on every server.
      if (tables.has(fold(table))) for (const column of await columnsOf(s, table)) columns.add(`${fold(table)}.${column.name.toLowerCase()}`);
    }
    return {
      hasTable: (table: string) => tables.has(fold(table)),
      hasColumn: (table: string, column: string) => columns.has(`${fold(table)}.${column.toLowerCase()}`),
    };
  }

  async function inspectSchema(s: SqlSession): Promise<Omit<SchemaInspection, 'readable' | 'absent'>> {
    const catalog = await readCatalog(s);
    const flags = seedFlags && catalog.hasTable(names.raw.featureFlags) ? (await s.query(`SELECT name FROM ${names.featureFlags}`)).map((row) => row.name) : [];
    const prefix = schemaName === null ? '' : `${schemaName}.`;
    const checks = catalog.hasTable(names.raw.flagChanges) ? await outdatedHistoryChecks(s, names, schemaName, await serverFlavor()) : [];
    const inexact = await inexactNameColumns(s, names, schemaName, await serverFlavor());
    const pending = [
      ...(seedFlags ? missingSystemFlags(flags) : []),
      ...checks.flatMap((check) => check.missing.map((field) => `history CHECK ${check.name} of ${prefix}${names.raw.flagChanges} accepting '${field}'`)),
      ...inexact.map((column) => `exact collation ${exactNameCollation(kind)} of ${prefix}${names.raw[column.table]}.${column.column} (now ${column.collation})`),
    ];
    return schemaInspection(missingSchemaObjects(names, catalog, prefix), pending, missingLegacyTables(names, catalog, prefix));
  }

  /** Runs one DDL statement; a metadata-lock timeout becomes an error that says which table and why. */
  async function runDdl(tx: SqlExecutor, sql: string, table: string): Promise<void> {
    try {
      await tx.execute(sql);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ER_LOCK_WAIT_TIMEOUT') throw error;
      throw Object.assign(
        new Error(
          `waited ${ddlLockTimeout} s (ddlLockTimeoutSeconds) for the metadata lock on ${table}, which a long-running transaction holds; ` +
            'gave up rather than make its readers queue. Run it again once that transaction has ended.',
          { cause: error },
        ),
        { code: 'ER_LOCK_WAIT_TIMEOUT' },
      );
    }
  }

  /**
   * Whether the events table has a secondary index that starts with its key (ours or the
   * team's own), so `COUNT(*)` (the row count `status` shows) walks it instead of every row's JSON.
   */
  async function hasKeyIndex(s: SqlExecutor): Promise<boolean> {
    const rows = await s.query(
      `SELECT 1 AS found FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' AND SEQ_IN_INDEX = 1 AND LOWER(COLUMN_NAME) = LOWER(?) LIMIT 1`,
      [schemaName, names.raw.events, names.rawColumns.eventId],
    );
    return rows.length > 0;
  }

  async function ensureSchema(s: SqlSession): Promise<void> {
    const lock = `@app/adapter-mysql:${names.events}`;
    // GET_LOCK and lock_wait_timeout belong to a connection: set them, create, and restore on the same one.
    await s.transaction(async (tx) => {
      const [acquired] = await tx.query('SELECT GET_LOCK(?, ?) AS acquired', [lock, options.schemaLockTimeoutSeconds ?? 30]);
      if (Number(acquired?.acquired) !== 1) throw new Error(`another process held the schema lock "${lock}" for too long`);
      const [previous] = await tx.query('SELECT @@SESSION.lock_wait_timeout AS seconds');
      try {
        await tx.execute(`SET SESSION lock_wait_timeout = ${ddlLockTimeout}`);
        const catalog = await readCatalog(tx);
        const flavorNow = await serverFlavor();
        for (const step of mysqlSchemaSteps(options, flavorNow)) {
          if (step.table === undefined) await tx.execute(step.sql);
          else if (!catalog.hasTable(names.raw[step.table])) await runDdl(tx, step.sql, names.raw[step.table]);
        }
        // A history table of an older schema refuses fields recorded since (rollout plans' metadata).
        if (catalog.hasTable(names.raw.flagChanges)) {
          for (const check of await outdatedHistoryChecks(tx, names, schemaName, flavorNow)) await runDdl(tx, replaceHistoryCheckSql(names, check), names.raw.flagChanges);
        }
        // Flag tables of an older schema compare names case-insensitively or pad them: make them exact.
        for (const statement of exactNamesStatements(names, await inexactNameColumns(tx, names, schemaName, flavorNow), flavorNow)) await runDdl(tx, statement.sql, statement.table);
        const added: [string, string, string, string][] = [
          [names.events, names.raw.events, names.rawColumns.canonicalEvent, 'JSON'],
          [names.campaigns, names.raw.campaigns, names.rawColumns.campaignDataSourcesV2, 'JSON'],
          [names.runs, names.raw.runs, RUNS_SCOPE_COLUMN, 'JSON'],
          [names.runs, names.raw.runs, RUNS_ROWS_BEHIND_COLUMN, 'BIGINT'],
        ];
        for (const [table, raw, column, type] of added) {
          // Tables created above already have the column; only existing legacy tables can lack it.
          if (catalog.hasTable(raw) && !catalog.hasColumn(raw, column)) await runDdl(tx, `ALTER TABLE ${table} ADD COLUMN ${q(column)} ${type}`, raw);
        }
        if (!(await hasKeyIndex(tx))) {
          // Online (InnoDB builds it without blocking writes); once, on an existing events table.
          await runDdl(tx, `ALTER TABLE ${names.events} ADD INDEX ${q(eventKeyIndexName(names.raw.events))} (${names.event.id})`, names.raw.events);
        }
      } finally {
        await tx.execute(`SET SESSION lock_wait_timeout = ${Math.round(Number(previous?.seconds ?? 31_536_000))}`);
        await tx.query('SELECT RELEASE_LOCK(?)', [lock]);
      }
    });
  }

  async function jsonColumns(s: SqlSession, table: StoreTable): Promise<ReadonlySet<string>> {
    const raw = names.raw[tableKey[table]];
    const json = knownJsonColumns(names, table);
    for (const column of await columnsOf(s, raw)) if (column.type.toLowerCase() === 'json') json.add(column.name);
    if ((await serverFlavor()) === 'mariadb') {
      // MariaDB's JSON is LONGTEXT with a JSON_VALID check: the check is what marks the column.
      const checks = await s.query(
        'SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
        [schemaName, raw],
      );
      for (const check of checks) {
        const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(check.clause).trim());
        if (match?.[1] !== undefined) json.add(match[1].replaceAll('``', '`'));
      }
    }
    return json;
  }

  // The comparison differs per server; `kind` is known by then, since every statement waits for the detection.
  const dialect = { ...mysqlDialect, samePayload: (canonical: string, eventData: string) => mysqlSamePayload(kind, canonical, eventData) };
  /** A table's columns (names compare case-insensitively on every server); `null` when it does not exist. */
  async function tableColumns(s: SqlSession, table: keyof TableNames): Promise<ColumnLookup> {
    const columns = new Set((await columnsOf(s, names.raw[table])).map((column) => column.name.toLowerCase()));
    return columns.size === 0 ? null : (column) => columns.has(column.toLowerCase());
  }

  const keyTypes = new Map<'events' | 'campaigns', Promise<string>>();
  /**
   * The full type of a table's key column (with its character set and collation), read from the
   * catalog once: the type the batch's ids take in its `JSON_TABLE`, so they join on the key's index.
   */
  function keyType(table: 'events' | 'campaigns'): Promise<string> {
    let known = keyTypes.get(table);
    if (known === undefined) {
      const [raw, column] = table === 'events' ? [names.raw.events, names.rawColumns.eventId] : [names.raw.campaigns, names.rawColumns.campaignId];
      known = session
        .query(
          `SELECT COLUMN_TYPE AS type, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND LOWER(COLUMN_NAME) = LOWER(?)`,
          [schemaName, raw, column],
        )
        .then(([row]) => {
          if (row === undefined) throw new Error(`table ${raw} with key column "${column}" not found; run ensureSchema() or check the tables/columns options`);
          const type = String(row.type);
          return row.collation == null ? type : `${type} CHARACTER SET ${String(row.charset)} COLLATE ${String(row.collation)}`;
        });
      known.catch(() => keyTypes.delete(table));
      keyTypes.set(table, known);
    }
    return known;
  }

  const store = createSqlStore({
    dialect,
    session,
    names,
    ensureSchema: async (s) => {
      keyTypes.clear();
      await ensureSchema(s);
    },
    inspectSchema,
    jsonColumns,
    tableColumns,
    rowsStatement: async (rows) => mysqlRowsStatement(names, rows, await keyType(rows.table)),
    timedSession: (timeouts) => mysqlTimedSession(driverSession, serverFlavor, timeouts),
    createLegacyTables: options.createLegacyTables === true,
    // A pool runs each transaction on a connection of its own; one connection runs one at a time.
    ...(isMysqlPool(options.client) ? { maxWritesInFlight: 2 } : {}),
  });
  return Object.defineProperties(store, {
    kind: { get: () => kind, enumerable: true },
    schemaStatements: { value: () => mysqlSchemaStatements(options, kind), enumerable: true },
    serverFlavor: { value: serverFlavor, enumerable: true },
    ...(options.replicas === undefined
      ? {}
      : {
          readDatabaseHealth: {
            value: () =>
              readMysqlReplicationHealth(options.replicas!, statementTimeoutMs).catch((error: unknown) => {
                throw new SqlStoreError(kind, "reading the replicas' lag (SHOW REPLICA STATUS)", error);
              }),
            enumerable: true,
          },
        }),
  }) as MysqlStore;
}
