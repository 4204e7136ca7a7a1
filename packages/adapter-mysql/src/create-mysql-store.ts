import type { MigrationStore } from '@app/migrate';
import { type SqlSession, type StoreTable, createSqlStore, knownJsonColumns, resolveNames } from '@app/sql-store';
import type { MysqlClient } from './mysql-client.js';
import { quoteMysqlIdentifier as q, mysqlDialect } from './mysql-dialect.js';
import type { MysqlSchemaOptions } from './mysql-schema-options.js';
import { mysqlSchemaStatements } from './mysql-schema-sql.js';
import { createMysqlSession } from './mysql-session.js';

/** Options of {@link createMysqlStore}. */
export interface MysqlStoreOptions extends MysqlSchemaOptions {
  /** A mysql2 Pool (`mysql.createPool(…)` from `mysql2/promise`) or one Connection. The store never closes it. */
  client: MysqlClient;
  /** Seconds `ensureSchema()` waits for another process creating the same schema; 30 by default. */
  schemaLockTimeoutSeconds?: number;
}

/** A `MigrationStore` over MySQL 8 or MariaDB ≥ 10.6. */
export interface MysqlStore extends MigrationStore {
  /**
   * `mariadb` or `mysql`, from the server's `VERSION()`, read before the store's first statement;
   * `mysql` until then.
   */
  readonly kind: MysqlFlavor;
  /** The statements `ensureSchema()` runs for absent tables, for review. */
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
 *   `UPDATE … CASE` for the rows (repeating the selection), the checkpoint.
 * - `ensureSchema()` holds `GET_LOCK` while it creates what is missing, since MySQL DDL is not
 *   transactional and two processes could otherwise race.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const pool = mysql.createPool({ uri: process.env.DATABASE_URL, supportBigNumbers: true, bigNumberStrings: true });
 * const store = createMysqlStore({ client: pool });
 * await store.ensureSchema();
 * await runEventMigration({ store, apply: true });
 * ```
 */
export function createMysqlStore(options: MysqlStoreOptions): MysqlStore {
  const names = resolveNames(options, q);
  const driverSession = createMysqlSession(options.client);
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

  async function columnsOf(s: SqlSession, table: string): Promise<{ name: string; type: string }[]> {
    const rows = await s.query(
      'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      [schemaName, table],
    );
    return rows.map((row) => ({ name: String(row.name), type: String(row.type) }));
  }

  async function ensureSchema(s: SqlSession): Promise<void> {
    const lock = `@app/adapter-mysql:${names.events}`;
    // GET_LOCK belongs to a connection: take it, create, and let it go on the same one.
    await s.transaction(async (tx) => {
      const [acquired] = await tx.query('SELECT GET_LOCK(?, ?) AS acquired', [lock, options.schemaLockTimeoutSeconds ?? 30]);
      if (Number(acquired?.acquired) !== 1) throw new Error(`another process held the schema lock "${lock}" for too long`);
      try {
        for (const statement of mysqlSchemaStatements(options)) await tx.execute(statement);
        const added: [string, string, string][] = [
          [names.events, names.raw.events, names.rawColumns.canonicalEvent],
          [names.campaigns, names.raw.campaigns, names.rawColumns.campaignDataSourcesV2],
        ];
        for (const [table, raw, column] of added) {
          const present = await tx.query(
            'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?',
            [schemaName, raw, column],
          );
          if (present.length === 0) await tx.execute(`ALTER TABLE ${table} ADD COLUMN ${q(column)} JSON`);
        }
      } finally {
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

  const store = createSqlStore({ dialect: mysqlDialect, session, names, ensureSchema, jsonColumns });
  return Object.defineProperties(store, {
    kind: { get: () => kind, enumerable: true },
    schemaStatements: { value: () => mysqlSchemaStatements(options), enumerable: true },
    serverFlavor: { value: serverFlavor, enumerable: true },
  }) as MysqlStore;
}
