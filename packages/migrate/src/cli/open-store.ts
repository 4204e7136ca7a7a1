import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError } from '../errors.js';
import type { MigrationStore } from '../migration-store.js';
import { type DatabaseTarget, parseDatabaseTarget, redactDatabaseUrl } from './database-target.js';
import { migrationErrorCodeOf } from './exit-codes.js';
import { resolveEsmEntry } from './resolve-esm-entry.js';

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
async function loadOptional<T>(specifier: string, neededFor: string, install: string): Promise<T> {
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The store as the CLI uses it: every failure of its methods passed through
 * {@link describeFailure}, and every call made on a fresh turn of the event loop. better-sqlite3
 * is synchronous, so a run on it would otherwise chain promise callbacks only, and the Ctrl-C
 * handler would not run before the whole migration had.
 */
function forTheCli(store: MigrationStore, description: string, secret: string | undefined): MigrationStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await nextTurn();
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

/**
 * Opens the database `--db` names (see {@link parseDatabaseTarget}): PostgreSQL over node-postgres,
 * MySQL/MariaDB over mysql2, a SQLite file over better-sqlite3, or a directory for an embedded
 * PGlite database (the default, `./.migrate-db`, needs no server). Each needs its adapter and
 * driver installed; the error names both.
 */
export async function openStore(db: string | undefined): Promise<OpenedStore> {
  const target = parseDatabaseTarget(db ?? DEFAULT_DB_DIRECTORY);
  const secret = target.kind === 'postgres' || target.kind === 'mysql' ? target.url : undefined;
  const description = describeTarget(target);
  let opened: Omit<OpenedStore, 'description'>;
  try {
    opened = await openTarget(target);
  } catch (error) {
    throw describeFailure(error, description, secret);
  }
  return { ...opened, description, store: forTheCli(opened.store, description, secret) };
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

async function openTarget(target: DatabaseTarget): Promise<Omit<OpenedStore, 'description'>> {
  switch (target.kind) {
    case 'postgres': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-postgres pg';
      const { createPostgresStore } = await loadOptional<{ createPostgresStore(c: { client: unknown }): MigrationStore }>('@app/adapter-postgres', `--db ${shown}`, install);
      const { Pool } = defaultExport(await loadOptional<{ default?: { Pool: new (c: object) => Closable } }>('pg', `--db ${shown}`, install));
      const pool = new Pool({ connectionString: target.url, max: 4 }) as { end(): Promise<void> };
      return { store: createPostgresStore({ client: pool }), close: () => pool.end() };
    }
    case 'mysql': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-mysql mysql2';
      const { createMysqlStore } = await loadOptional<{ createMysqlStore(c: { client: unknown }): MigrationStore }>('@app/adapter-mysql', `--db ${shown}`, install);
      const mysql = defaultExport(await loadOptional<{ default?: { createPool(c: object): { end(): Promise<void> } } }>('mysql2/promise', `--db ${shown}`, install));
      // The options @app/adapter-mysql recommends: BIGINT values as exact strings.
      const pool = mysql.createPool({ uri: target.url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: true });
      return { store: createMysqlStore({ client: pool }), close: () => pool.end() };
    }
    case 'sqlite': {
      const install = 'npm install @app/adapter-sqlite better-sqlite3';
      const { createSqliteStore } = await loadOptional<{ createSqliteStore(c: { database: unknown }): MigrationStore }>('@app/adapter-sqlite', `--db ${target.file}`, install);
      const Database = defaultExport(await loadOptional<{ default?: new (file: string) => { close(): unknown } }>('better-sqlite3', `--db ${target.file}`, install));
      const file = resolve(target.file);
      const database = new Database(file);
      return {
        store: createSqliteStore({ database }),
        close: async () => {
          database.close();
        },
      };
    }
    case 'pglite': {
      const install = 'npm install @app/adapter-postgres @electric-sql/pglite';
      const neededFor = `the embedded database (--db ${target.directory})`;
      const { createPostgresStore } = await loadOptional<{ createPostgresStore(c: { client: unknown }): MigrationStore }>('@app/adapter-postgres', neededFor, install);
      const { PGlite } = await loadOptional<{ PGlite: { create(dir: string): Promise<{ close(): Promise<void> }> } }>('@electric-sql/pglite', neededFor, install);
      const directory = resolve(target.directory);
      const pglite = await PGlite.create(directory);
      return { store: createPostgresStore({ client: pglite }), close: () => pglite.close() };
    }
  }
}
