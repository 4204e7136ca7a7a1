import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError } from '../errors.js';
import type { MigrationStore } from '../migration-store.js';
import { parseDatabaseTarget, redactDatabaseUrl } from './database-target.js';

/** Where the CLI keeps its embedded database when `--db` is not given. */
export const DEFAULT_DB_DIRECTORY = '.migrate-db';

/** The message of a missing optional package: what needs it and the one command that installs everything needed. */
export function missingPackageError(specifier: string, neededFor: string, install: string): MigrationError {
  return new MigrationError('ADAPTER_MISSING', `${neededFor} needs the package "${specifier}", which is not installed. Install it: ${install}`);
}

/**
 * Loads a package the way the user's project would (from the working directory), then from this
 * CLI's own install. Adapters and drivers are optional peers: a missing one is a clear error.
 */
async function loadOptional<T>(specifier: string, neededFor: string, install: string): Promise<T> {
  for (const base of [resolve(process.cwd(), 'package.json'), import.meta.url]) {
    try {
      const path = createRequire(base).resolve(specifier);
      return (await import(pathToFileURL(path).href)) as T;
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw missingPackageError(specifier, neededFor, install);
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
  switch (target.kind) {
    case 'postgres': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-postgres pg';
      const { createPostgresStore } = await loadOptional<{ createPostgresStore(c: { client: unknown }): MigrationStore }>('@app/adapter-postgres', `--db ${shown}`, install);
      const { Pool } = defaultExport(await loadOptional<{ default?: { Pool: new (c: object) => Closable } }>('pg', `--db ${shown}`, install));
      const pool = new Pool({ connectionString: target.url, max: 4 }) as { end(): Promise<void> };
      return { store: createPostgresStore({ client: pool }), description: `PostgreSQL ${shown}`, close: () => pool.end() };
    }
    case 'mysql': {
      const shown = redactDatabaseUrl(target.url);
      const install = 'npm install @app/adapter-mysql mysql2';
      const { createMysqlStore } = await loadOptional<{ createMysqlStore(c: { client: unknown }): MigrationStore }>('@app/adapter-mysql', `--db ${shown}`, install);
      const mysql = defaultExport(await loadOptional<{ default?: { createPool(c: object): { end(): Promise<void> } } }>('mysql2/promise', `--db ${shown}`, install));
      // The options @app/adapter-mysql recommends: BIGINT values as exact strings.
      const pool = mysql.createPool({ uri: target.url, connectionLimit: 4, supportBigNumbers: true, bigNumberStrings: true });
      return { store: createMysqlStore({ client: pool }), description: `MySQL/MariaDB ${shown}`, close: () => pool.end() };
    }
    case 'sqlite': {
      const install = 'npm install @app/adapter-sqlite better-sqlite3';
      const { createSqliteStore } = await loadOptional<{ createSqliteStore(c: { database: unknown }): MigrationStore }>('@app/adapter-sqlite', `--db ${target.file}`, install);
      const Database = defaultExport(await loadOptional<{ default?: new (file: string) => { close(): unknown } }>('better-sqlite3', `--db ${target.file}`, install));
      const file = resolve(target.file);
      const database = new Database(file);
      return {
        store: createSqliteStore({ database }),
        description: `SQLite ${file}`,
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
      return { store: createPostgresStore({ client: pglite }), description: `embedded PGlite database in ${directory}`, close: () => pglite.close() };
    }
  }
}
