import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError, StoreTimeoutError } from '../errors.js';
import type { FlagStore } from '../flag-store.js';
import type { MigrateConfig } from '../migrate-config.js';
import type { MigrationStore } from '../migration-store.js';
import { type CliIo, warn } from './cli-io.js';
import { type DatabaseTarget, parseDatabaseTarget, redactDatabaseUrl } from './database-target.js';
import { migrationErrorCodeOf } from './exit-codes.js';
import { interruptible } from './interruptible.js';
import { isRetryable } from '../retry-transient.js';
import { isDatabaseTimeout } from './is-database-timeout.js';
import { resolveEsmEntry } from './resolve-esm-entry.js';
import { type ConfiguredStoreOptions, loadConfig, storeOptionsOf } from './store-config.js';

/** Where the CLI keeps its embedded database when `--db` is not given. */
export const DEFAULT_DB_DIRECTORY = '.migrate-db';

/** How long the CLI waits for a PostgreSQL or MySQL/MariaDB server to accept a connection, in ms (`connectTimeoutMs`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** How long one statement may run on a PostgreSQL or MySQL/MariaDB server, in ms (`statementTimeoutMs`). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;

/**
 * How long closing the connections may take before the command ends without waiting: a pool
 * still waiting on a server that stopped answering (or, on mysql2, holding a connection whose
 * statement timed out) may never finish closing. The process exits after the command, which
 * closes every socket anyway.
 */
const CLOSE_DEADLINE_MS = 2_000;

/** The timeouts in force: what the drivers get, and how a timeout message names them. */
interface Timeouts {
  connectMs: number;
  statementMs: number;
  hint: string;
}

/** The message of a missing optional package: what needs it and the one command that installs everything needed. */
export function missingPackageError(specifier: string, neededFor: string, install: string): MigrationError {
  return new MigrationError('ADAPTER_MISSING', `${neededFor} needs the package "${specifier}", which is not installed. Install it: ${install}`);
}

/**
 * Loads a package the way the user's project would (from the working directory), then from this
 * CLI's own install, always as ES modules: an adapter's CommonJS build would bring a second copy
 * of `@app/migrate`. Adapters and drivers are optional peers: a missing one is a clear error.
 */
export async function loadOptional<T>(specifier: string, neededFor: string, install: string): Promise<T> {
  for (const base of [resolve(process.cwd(), 'package.json'), import.meta.url]) {
    let path: string | undefined;
    try {
      path = resolveEsmEntry(specifier, base);
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
    if (path !== undefined && existsSync(path)) return (await import(pathToFileURL(path).href)) as T;
  }
  throw missingPackageError(specifier, neededFor, install);
}

/**
 * A database failure as one line that names the database (password hidden): the message of the
 * store's `STORE_ERROR`, or of a driver or system error (they carry a string `code`). Other
 * migration errors (`LEASE_LOST`…) keep their own code; errors without a code, and Node's own
 * (`ERR_MODULE_NOT_FOUND`…), are bugs or a broken install and keep their stack.
 */
function describeFailure(error: unknown, description: string, secret: string | undefined, timeouts: Timeouts | undefined): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const migrationCode = migrationErrorCodeOf(error);
  if (migrationCode === undefined || migrationCode === 'STORE_ERROR') {
    if (timeouts !== undefined && isDatabaseTimeout(error)) {
      let message = firstLine(error);
      if (secret !== undefined) message = message.replaceAll(secret, redactDatabaseUrl(secret));
      const timedOut = new StoreTimeoutError(`${description} did not answer in time: ${message} (${timeouts.hint})`, { cause: error });
      return isRetryable(error) ? Object.assign(timedOut, { retryable: true }) : timedOut;
    }
  }
  if (typeof code !== 'string' || code.startsWith('ERR_') || (migrationCode !== undefined && migrationCode !== 'STORE_ERROR')) return error;
  let message = firstLine(error);
  if (secret !== undefined) message = message.replaceAll(secret, redactDatabaseUrl(secret));
  const described = new MigrationError('STORE_ERROR', `${description}: ${message}`, { cause: error });
  // The runners try a batch again by this mark (a deadlock, a lock wait past its timeout): the rewording must keep it.
  return isRetryable(error) ? Object.assign(described, { retryable: true }) : described;
}

const firstLine = (error: unknown) => String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0]!.trim();

/**
 * The store as the CLI uses it: every failure of its methods passed through
 * {@link describeFailure}. (The loops over the store — the runners' batches, `verify`'s scan —
 * yield to the event loop themselves, so Ctrl-C is seen on synchronous better-sqlite3 too.)
 */
export function forTheCli(store: CliStore, describe: (error: unknown) => unknown, signal: AbortSignal | undefined): CliStore {
  // The proxy's target inherits from the store rather than being it: a store's read-only,
  // non-configurable methods (Object.defineProperties, as the MySQL store adds readDatabaseHealth)
  // could not be wrapped otherwise, since a proxy must return such a property as it is.
  return new Proxy(Object.create(store) as CliStore, {
    get(_target, key) {
      const value: unknown = Reflect.get(store, key, store);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await interruptible(Promise.resolve().then(() => value.apply(store, args)), signal);
        } catch (error) {
          throw describe(error);
        }
      };
    },
  });
}

/** What every adapter's store is: both ports. */
export type CliStore = MigrationStore & FlagStore;

/** An open store and how to let go of the connection the CLI opened for it. */
export interface OpenedStore {
  /** The store; once the command's signal aborts, a call in flight rejects at once with `INTERRUPTED`, and so does every later one. */
  store: CliStore;
  /**
   * The same store for the runners, whose calls a signal does not cut short: a runner stops on the
   * signal itself, after the batch in flight, with its checkpoint written (exit 130, `--resume`).
   */
  storeForRunners: CliStore;
  description: string;
  /** The `--config` file (or `APP_MIGRATE_CONFIG`'s), when one was given: its runner options (`ownerKey`…) too. */
  config?: MigrateConfig | undefined;
  /** Closes the connections, waiting at most 2 s (the process ends after the command anyway). */
  close(): Promise<void>;
}

type Connection = { store: CliStore; close(): Promise<void> };

type Closable = { end(): Promise<void> } | { close(): unknown };
const defaultExport = <T>(module: { default?: T } & Partial<T>): T => (module.default ?? module) as T;

/** Connections a PostgreSQL or MySQL command opens at most, unless it needs more (`--workers`). */
const DEFAULT_POOL_SIZE = 4;

/**
 * The prepared statements a mysql2 connection of the CLI keeps. The MySQL store prepares only
 * writes whose parameters hold a large text (a batch's rows, a long checkpoint): a handful of
 * statement texts per run.
 */
const MYSQL_PREPARED_STATEMENTS = 32;

/** The environment variables naming the database when `--db` is not given, first one set wins. */
export const DATABASE_ENV = ['APP_MIGRATE_DB', 'DATABASE_URL'] as const;

/**
 * The database to open: `--db`, else the first of {@link DATABASE_ENV} set (non-empty) in the
 * command's environment, else `undefined` (the default directory).
 */
export function databaseOption(db: string | undefined, io: CliIo): { db: string | undefined; from: string | undefined } {
  if (db !== undefined) return { db, from: '--db' };
  for (const name of DATABASE_ENV) {
    const value = io.env?.[name]?.trim();
    if (value) return { db: value, from: name };
  }
  return { db: undefined, from: undefined };
}

/** What {@link openStore} opens, and how. */
export interface OpenStoreOptions {
  /** `--db`; else `APP_MIGRATE_DB` or `DATABASE_URL` of the command's environment; else {@link DEFAULT_DB_DIRECTORY}. */
  db: string | undefined;
  /** `--config`; `APP_MIGRATE_CONFIG` of the command's environment when absent. */
  config: string | undefined;
  /** Connections the command may use at once (PostgreSQL and MySQL pools); 4 by default, never fewer. */
  connections?: number;
}

/**
 * Opens the database `--db` names (see {@link parseDatabaseTarget}): PostgreSQL over node-postgres,
 * MySQL/MariaDB over mysql2, a SQLite file over better-sqlite3, or a directory for an embedded
 * PGlite database (the default, `./.migrate-db`, needs no server), with the adapter options of the
 * config file. Each needs its adapter and driver installed; the error names both.
 *
 * @throws MigrationError `INVALID_OPTION` for a bad `--db` or config file, before anything is opened;
 *   `SCHEMA_NOT_READY` when it finds no SQLite file or PGlite database (no command creates one); `ADAPTER_MISSING`; `STORE_ERROR` when the database cannot be opened.
 */
export async function openStore(options: OpenStoreOptions, io: CliIo): Promise<OpenedStore> {
  const loaded = await loadConfig(options.config, io);
  const chosen = databaseOption(options.db, io);
  const target = parseDatabaseTarget(chosen.db ?? DEFAULT_DB_DIRECTORY);
  const { connectTimeoutMs, statementTimeoutMs, ...storeOptions } = storeOptionsOf(loaded, target);
  const secret = target.kind === 'postgres' || target.kind === 'mysql' ? target.url : undefined;
  const description = describeTarget(target);
  // Said on stderr (stdout may be --json's): which variable chose the database, password hidden.
  if (chosen.from !== undefined && chosen.from !== '--db') warn(io, `app-migrate: --db not given; using ${chosen.from}: ${description}`);
  refuseMissingDatabase(target, description, chosen.db === undefined);
  let timeouts: Timeouts | undefined;
  if (target.kind === 'postgres' || target.kind === 'mysql') {
    const connectMs = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const statementMs = statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const batchMs = loaded?.config.batchStatementTimeoutMs;
    const hint =
      batchMs === undefined
        ? `connect timeout ${connectMs} ms, statement timeout ${statementMs} ms: "connectTimeoutMs" and "statementTimeoutMs" of --config, 0 waits forever`
        : `connect timeout ${connectMs} ms, statement timeout ${statementMs} ms, a batch ${batchMs} ms ("batchStatementTimeoutMs"): "connectTimeoutMs", "statementTimeoutMs" and "batchStatementTimeoutMs" of --config`;
    timeouts = { connectMs, statementMs, hint };
  } else if (target.kind === 'sqlite') {
    timeouts = { connectMs: 0, statementMs: 0, hint: `another process held the write lock past the busy timeout of ${storeOptions.busyTimeoutMs ?? 5000} ms: "busyTimeoutMs" of --config` };
  }
  const describe = (error: unknown) => describeFailure(error, description, secret, timeouts);
  const signal = io.signal;
  const opening = openTarget(target, storeOptions, timeouts, Math.max(DEFAULT_POOL_SIZE, options.connections ?? 0), loaded?.config.replicas);
  let opened: Connection;
  try {
    opened = await interruptible(opening, signal);
  } catch (error) {
    // Stopped while connecting: let go of the connection once it is made (or has failed).
    opening.then((late) => late.close()).catch(() => undefined);
    throw describe(error);
  }
  const close = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_DEADLINE_MS);
      timer.unref?.();
    });
    await Promise.race([opened.close().catch(() => undefined), deadline]);
    clearTimeout(timer);
  };
  return { description, config: loaded?.config, close, store: forTheCli(opened.store, describe, signal), storeForRunners: forTheCli(opened.store, describe, undefined) };
}

/**
 * Opening a SQLite file or a PGlite directory that does not exist creates it, so a command would
 * leave an empty database behind — most often for a mistyped `--db`. No command creates one: the
 * migrations run on the application's database, whose tables (events, campaigns, integrations)
 * they never create. Exit code 5, like a missing schema.
 */
function refuseMissingDatabase(target: DatabaseTarget, description: string, isDefault: boolean): void {
  let problem: string | undefined;
  if (target.kind === 'sqlite' && !existsSync(resolve(target.file))) problem = 'no such file';
  if (target.kind === 'pglite') {
    const directory = resolve(target.directory);
    if (!existsSync(directory)) problem = 'no such directory';
    // PGlite (like PostgreSQL) writes PG_VERSION first thing into a new data directory.
    else if (!existsSync(join(directory, 'PG_VERSION'))) problem = 'the directory holds no database';
  }
  if (problem === undefined) return;
  throw new MigrationError(
    'SCHEMA_NOT_READY',
    `${description}: ${problem}${isDefault ? ` (--db not given: the default is ./${DEFAULT_DB_DIRECTORY})` : ''}. ` +
      'app-migrate never creates a database (it migrates the application\'s existing tables): check --db.',
  );
}

/** The database as messages name it, password hidden. */
function describeTarget(target: DatabaseTarget): string {
  switch (target.kind) {
    case 'postgres':
      return `PostgreSQL ${redactDatabaseUrl(target.url)}`;
    case 'mysql':
      return `MySQL/MariaDB ${redactDatabaseUrl(target.url)}`;
    case 'sqlite':
      return `SQLite ${resolve(target.file)}`;
    case 'pglite':
      return `embedded PGlite database in ${resolve(target.directory)}`;
  }
}

/** The factory an adapter exports: its connection option, and the options a config file gives. */
type StoreFactory<Name extends string, Connection> = Record<Name, (options: Connection & ConfiguredStoreOptions) => CliStore>;

/** A replica from the config's `replicas`: as messages name it, and its URL (`mariadb://` read as `mysql://`). */
function replicaTarget(replica: NonNullable<MigrateConfig['replicas']>[number]): { name: string; url: string } {
  const given = typeof replica === 'string' ? replica : replica.url;
  const url = given.startsWith('mariadb://') ? `mysql${given.slice('mariadb'.length)}` : given;
  if (typeof replica !== 'string') return { name: replica.name, url };
  const parsed = URL.canParse(url) ? new URL(url) : null;
  return { name: parsed === null || parsed.host === '' ? redactDatabaseUrl(url) : parsed.host, url };
}

async function openTarget(
  target: DatabaseTarget,
  storeOptions: ConfiguredStoreOptions,
  timeouts: Timeouts | undefined,
  poolSize: number,
  replicas: MigrateConfig['replicas'],
): Promise<Connection> {
  const connectMs = timeouts?.connectMs ?? 0;
  const statementMs = timeouts?.statementMs ?? 0;
  switch (target.kind) {
    case 'postgres': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-postgres pg';
      const { createPostgresStore } = await loadOptional<StoreFactory<'createPostgresStore', { client: unknown }>>('@app/adapter-postgres', `--db ${shown}`, install);
      const { Pool } = defaultExport(await loadOptional<{ default?: { Pool: new (c: object) => Closable } }>('pg', `--db ${shown}`, install));
      // The server ends a statement past statement_timeout; query_timeout, a little later, ends the
      // wait for a server that stopped answering altogether. 0 (none) is left out: pg reads it as none too.
      const pool = new Pool({
        connectionString: target.url,
        max: poolSize,
        keepAlive: true,
        ...(connectMs > 0 ? { connectionTimeoutMillis: connectMs } : {}),
        ...(statementMs > 0 ? { statement_timeout: statementMs, query_timeout: statementMs + 5_000 } : {}),
      }) as { end(): Promise<void> };
      return { store: createPostgresStore({ ...storeOptions, client: pool }), close: () => pool.end() };
    }
    case 'mysql': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-mysql mysql2';
      const { createMysqlStore } = await loadOptional<StoreFactory<'createMysqlStore', { client: unknown }>>('@app/adapter-mysql', `--db ${shown}`, install);
      const mysql = defaultExport(await loadOptional<{ default?: { createPool(c: object): { end(): Promise<void> } } }>('mysql2/promise', `--db ${shown}`, install));
      // The options @app/adapter-mysql recommends: BIGINT values as exact strings, and a statement
      // cache sized for the few statements the store prepares (mysql2 allocates its default 16,000
      // entries up front: 0.5 MB of heap per connection, which V8 lets grow fourfold before a full collection).
      const pool = mysql.createPool({ uri: target.url, connectionLimit: poolSize, supportBigNumbers: true, bigNumberStrings: true, maxPreparedStatements: MYSQL_PREPARED_STATEMENTS, connectTimeout: connectMs, enableKeepAlive: true });
      // One connection per replica: the throttle reads each one's SHOW REPLICA STATUS between batches.
      const watched = (replicas ?? []).map(replicaTarget).map(({ name, url }) => ({ name, client: mysql.createPool({ uri: url, connectionLimit: 1, maxPreparedStatements: MYSQL_PREPARED_STATEMENTS, connectTimeout: connectMs, enableKeepAlive: true }) }));
      return {
        store: createMysqlStore({ ...storeOptions, statementTimeoutMs: statementMs, client: pool, ...(watched.length > 0 ? { replicas: watched } : {}) }),
        close: async () => {
          await Promise.all([pool.end(), ...watched.map((replica) => replica.client.end())]);
        },
      };
    }
    case 'sqlite': {
      const install = 'npm install @app/adapter-sqlite better-sqlite3';
      const { createSqliteStore } = await loadOptional<StoreFactory<'createSqliteStore', { database: unknown }>>('@app/adapter-sqlite', `--db ${target.file}`, install);
      const Database = defaultExport(
        await loadOptional<{ default?: new (file: string, options: { fileMustExist: boolean }) => { close(): unknown } }>('better-sqlite3', `--db ${target.file}`, install),
      );
      // fileMustExist too: the file could vanish between refuseMissingDatabase and here.
      const database = new Database(resolve(target.file), { fileMustExist: true });
      return {
        store: createSqliteStore({ ...storeOptions, database }),
        close: async () => {
          database.close();
        },
      };
    }
    case 'pglite': {
      const install = 'npm install @app/adapter-postgres @electric-sql/pglite';
      const neededFor = `the embedded database (--db ${target.directory})`;
      const { createPostgresStore } = await loadOptional<StoreFactory<'createPostgresStore', { client: unknown }>>('@app/adapter-postgres', neededFor, install);
      const { PGlite } = await loadOptional<{ PGlite: { create(dir: string): Promise<{ close(): Promise<void> }> } }>('@electric-sql/pglite', neededFor, install);
      const pglite = await PGlite.create(resolve(target.directory));
      return { store: createPostgresStore({ ...storeOptions, client: pglite }), close: () => pglite.close() };
    }
  }
}
