import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError } from '../errors.js';
import type { MigrationStore } from '../migration-store.js';
import type { CliIo } from './cli-io.js';
import { type DatabaseTarget, parseDatabaseTarget, redactDatabaseUrl } from './database-target.js';
import { migrationErrorCodeOf } from './exit-codes.js';
import { resolveEsmEntry } from './resolve-esm-entry.js';
import { type ConfiguredStoreOptions, loadConfig, storeOptionsOf } from './store-config.js';

/** Where the CLI keeps its embedded database when `--db` is not given. */
export const DEFAULT_DB_DIRECTORY = '.migrate-db';

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
function describeFailure(error: unknown, description: string, secret: string | undefined): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const migrationCode = migrationErrorCodeOf(error);
  if (typeof code !== 'string' || code.startsWith('ERR_') || (migrationCode !== undefined && migrationCode !== 'STORE_ERROR')) return error;
  let message = String((error as { message?: unknown }).message ?? error).split('\n')[0]!.trim();
  if (secret !== undefined) message = message.replaceAll(secret, redactDatabaseUrl(secret));
  return new MigrationError('STORE_ERROR', `${description}: ${message}`, { cause: error });
}

/**
 * The store as the CLI uses it: every failure of its methods passed through
 * {@link describeFailure}. (The loops over the store — the runners' batches, `verify`'s scan —
 * yield to the event loop themselves, so Ctrl-C is seen on synchronous better-sqlite3 too.)
 */
function forTheCli(store: MigrationStore, description: string, secret: string | undefined): MigrationStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (error) {
          throw describeFailure(error, description, secret);
        }
      };
    },
  });
}

/** An open store and how to let go of the connection the CLI opened for it. */
export interface OpenedStore {
  store: MigrationStore;
  description: string;
  close(): Promise<void>;
}

type Closable = { end(): Promise<void> } | { close(): unknown };
const defaultExport = <T>(module: { default?: T } & Partial<T>): T => (module.default ?? module) as T;

/** What {@link openStore} opens, and how. */
export interface OpenStoreOptions {
  /** `--db`; {@link DEFAULT_DB_DIRECTORY} when absent. */
  db: string | undefined;
  /** `--config`; `APP_MIGRATE_CONFIG` of the command's environment when absent. */
  config: string | undefined;
  /**
   * Whether the command may create a SQLite file or an embedded PGlite database that does not
   * exist yet: only `init` and writing commands may. Read-only ones refuse a missing one.
   */
  create: boolean;
}

/**
 * Opens the database `--db` names (see {@link parseDatabaseTarget}): PostgreSQL over node-postgres,
 * MySQL/MariaDB over mysql2, a SQLite file over better-sqlite3, or a directory for an embedded
 * PGlite database (the default, `./.migrate-db`, needs no server), with the adapter options of the
 * config file. Each needs its adapter and driver installed; the error names both.
 *
 * @throws MigrationError `INVALID_OPTION` for a bad `--db` or config file, before anything is opened;
 *   `SCHEMA_NOT_READY` when a command that may not create it finds no SQLite file or PGlite
 *   database; `ADAPTER_MISSING`; `STORE_ERROR` when the database cannot be opened.
 */
export async function openStore(options: OpenStoreOptions, io: CliIo): Promise<OpenedStore> {
  const loaded = await loadConfig(options.config, io);
  const target = parseDatabaseTarget(options.db ?? DEFAULT_DB_DIRECTORY);
  const storeOptions = storeOptionsOf(loaded, target);
  const secret = target.kind === 'postgres' || target.kind === 'mysql' ? target.url : undefined;
  const description = describeTarget(target);
  if (!options.create) refuseMissingDatabase(target, description, options.db === undefined);
  let opened: Omit<OpenedStore, 'description'>;
  try {
    opened = await openTarget(target, storeOptions, options.create);
  } catch (error) {
    throw describeFailure(error, description, secret);
  }
  return { ...opened, description, store: forTheCli(opened.store, description, secret) };
}

/**
 * Opening a SQLite file or a PGlite directory that does not exist creates it, so a read-only
 * command would leave an empty database behind — most often for a mistyped `--db`. Exit code 5
 * like a missing schema: the way out is the same, `app-migrate init`.
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
      'Dry runs and read-only commands never create a database: check --db, or create it with `app-migrate init` (or a run with --apply).',
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
type StoreFactory<Name extends string, Connection> = Record<Name, (options: Connection & ConfiguredStoreOptions) => MigrationStore>;

async function openTarget(target: DatabaseTarget, storeOptions: ConfiguredStoreOptions, create: boolean): Promise<Omit<OpenedStore, 'description'>> {
  switch (target.kind) {
    case 'postgres': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-postgres pg';
      const { createPostgresStore } = await loadOptional<StoreFactory<'createPostgresStore', { client: unknown }>>('@app/adapter-postgres', `--db ${shown}`, install);
      const { Pool } = defaultExport(await loadOptional<{ default?: { Pool: new (c: object) => Closable } }>('pg', `--db ${shown}`, install));
      const pool = new Pool({ connectionString: target.url, max: 4 }) as { end(): Promise<void> };
      return { store: createPostgresStore({ ...storeOptions, client: pool }), close: () => pool.end() };
    }
    case 'mysql': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-mysql mysql2';
      const { createMysqlStore } = await loadOptional<StoreFactory<'createMysqlStore', { client: unknown }>>('@app/adapter-mysql', `--db ${shown}`, install);
      const mysql = defaultExport(await loadOptional<{ default?: { createPool(c: object): { end(): Promise<void> } } }>('mysql2/promise', `--db ${shown}`, install));
      // The options @app/adapter-mysql recommends: BIGINT values as exact strings.
      const pool = mysql.createPool({ uri: target.url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: true });
      return { store: createMysqlStore({ ...storeOptions, client: pool }), close: () => pool.end() };
    }
    case 'sqlite': {
      const install = 'npm install @app/adapter-sqlite better-sqlite3';
      const { createSqliteStore } = await loadOptional<StoreFactory<'createSqliteStore', { database: unknown }>>('@app/adapter-sqlite', `--db ${target.file}`, install);
      const Database = defaultExport(
        await loadOptional<{ default?: new (file: string, options: { fileMustExist: boolean }) => { close(): unknown } }>('better-sqlite3', `--db ${target.file}`, install),
      );
      // fileMustExist too: the file could vanish between refuseMissingDatabase and here.
      const database = new Database(resolve(target.file), { fileMustExist: !create });
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
