import type { DatabaseHealth, FlagMetricsStore, FlagStore, MigrationStore, RunListing } from '@app/migrate';
import { type SqlBatch, type SqlExecutor, type SqlSession, createSqlStore } from '@app/sql-store';
import { type PostgresClient, type PostgresClientKind, detectClientKind } from './postgres-client.js';
import { postgresBatchStatement } from './postgres-batch-statement.js';
import { postgresDialect } from './postgres-dialect.js';
import { type PostgresSchemaOptions, resolveNames } from './postgres-schema-options.js';
import { type PostgresSchemaStep, postgresSchemaPlan } from './postgres-schema-sql.js';
import { inspectionOf, readPostgresSchemaState } from './postgres-schema-state.js';
import { createPostgresSession } from './postgres-session.js';
import { PostgresStoreError } from './postgres-store-error.js';
import { readPostgresReplicationHealth } from './read-postgres-replication-health.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions extends PostgresSchemaOptions {
  /**
   * A `pg` Pool, a `pg` Client (or PoolClient), PGlite, or anything with `query(text, params)`.
   * The store never closes it.
   */
  client: PostgresClient;
  /** How to run transactions on `client`; detected from its shape when absent. */
  clientKind?: PostgresClientKind;
  /**
   * How long a statement of `ensureSchema()` waits for a table lock (`SET LOCAL lock_timeout` in
   * its transaction), in ms; 5000 by default, 0 waits forever. An `ALTER TABLE` waiting behind a
   * long transaction makes every later reader of the table wait behind it, so `ensureSchema()`
   * gives up instead, changing nothing, with an error naming the table (SQLSTATE `55P03`).
   */
  ddlLockTimeoutMs?: number;
}

/** A `MigrationStore` over PostgreSQL or PGlite. */
export interface PostgresStore extends MigrationStore, RunListing, FlagStore, FlagMetricsStore, DatabaseHealth {
  /** `postgres` (node-postgres or another server client) or `pglite`. */
  readonly kind: 'postgres' | 'pglite';
  /** How the store runs transactions on its client. */
  readonly clientKind: PostgresClientKind;
  /** Every statement `ensureSchema()` may run (it runs those the catalog shows are needed), for review. */
  schemaStatements(): string[];
}

/**
 * Creates a `MigrationStore` over PostgreSQL: node-postgres (`pg` Pool or Client) or PGlite.
 *
 * The store is `createSqlStore` of `@app/sql-store` with the PostgreSQL dialect; what is
 * PostgreSQL's own:
 *
 * - Each batch is one statement: lease check (`FOR UPDATE` on the run's row), the canonical events
 *   from one `jsonb_to_recordset` parameter, and the checkpoint. The UPDATE repeats the selection,
 *   so a row is never written twice. Keys are compared in the key column's own type (read from
 *   the catalog), so the primary-key index is used; `bigint` and `uuid` keys travel as text and
 *   stay exact.
 * - A canonical event whose `payload` is the very `event_data` object this store read is written
 *   with the row's stored `event_data` (set in SQL), so payloads stay byte-exact even for numbers
 *   JavaScript cannot represent, and the batch sends half the bytes; verification compares
 *   payloads as `jsonb`.
 * - `ensureSchema()` reads `pg_catalog` first and runs only the statements of what is missing, so
 *   on a complete schema it takes no table lock; what it must change waits at most
 *   `ddlLockTimeoutMs` for its lock. `inspectSchema()` reads `pg_catalog` only.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = createPostgresStore({ client: pool });
 * await store.ensureSchema();
 * await runEventMigration({ store, apply: true });
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const clientKind = options.clientKind ?? detectClientKind(options.client);
  const kind = clientKind === 'pglite' ? 'pglite' : 'postgres';
  const session = createPostgresSession(options.client, clientKind);
  const names = resolveNames(options);
  const plan = postgresSchemaPlan(options);
  const schema = options.schema ?? null;
  const lockTimeoutMs = options.ddlLockTimeoutMs ?? 5_000;
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new TypeError(`ddlLockTimeoutMs must be a non-negative integer, got ${lockTimeoutMs}`);
  const readState = (db: SqlExecutor) => readPostgresSchemaState(db, plan, schema, options.canonicalEventCompression !== undefined);
  const keyTypes = new Map<string, Promise<string>>();

  /** A failed schema statement as an error that says which, and for a lock timeout what to do. */
  function schemaError(error: unknown, step: PostgresSchemaStep | undefined): PostgresStoreError {
    if ((error as { code?: unknown } | null)?.code !== '55P03' || step === undefined) return new PostgresStoreError('ensureSchema', error);
    const statement = step.sql.split('\n')[0]!;
    const cause = Object.assign(
      new Error(
        `waited ${lockTimeoutMs} ms (ddlLockTimeoutMs) for a lock on ${step.target} to run "${statement}", which a long-running transaction holds; ` +
          'gave up rather than make every reader of the table queue behind it. Nothing was changed (the schema transaction rolled back): run it again once that transaction has ended.',
        { cause: error },
      ),
      { code: '55P03' },
    );
    return new PostgresStoreError('ensureSchema', cause);
  }

  async function ensureSchema(s: SqlSession): Promise<void> {
    let step: PostgresSchemaStep | undefined;
    try {
      await s.transaction(async (tx) => {
        // Two processes creating the same schema at once would race on the catalog; take turns.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1::text))', [`@app/adapter-postgres:${names.events}`]);
        // Set after the advisory lock: waiting for another ensureSchema() is fine, queueing readers is not.
        await tx.query("SELECT set_config('lock_timeout', $1::text, true)", [`${lockTimeoutMs}ms`]);
        const state = await readState(tx);
        for (const candidate of plan.steps) {
          if (!candidate.needed(state)) continue;
          step = candidate;
          await tx.query(candidate.sql);
        }
      });
    } catch (error) {
      throw schemaError(error, step);
    }
    keyTypes.clear();
  }

  /** The SQL type of a table's key column, read from the catalog once: the cast from the batch's text ids that keeps the PK index usable. */
  function keyType(table: 'events' | 'campaigns'): Promise<string> {
    const [qualified, column] = table === 'events' ? [names.events, names.rawColumns.eventId] : [names.campaigns, names.rawColumns.campaignId];
    let known = keyTypes.get(table);
    if (known === undefined) {
      known = (async () => {
        const rows = await session
          .query(
            'SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($1::text) AND a.attname = $2 AND NOT a.attisdropped',
            [qualified, column],
          )
          .catch((error: unknown) => {
            throw new PostgresStoreError(`reading the key type of ${qualified}`, error);
          });
        const type = rows[0]?.type;
        if (typeof type !== 'string') {
          throw new PostgresStoreError(`reading ${qualified}`, new Error(`table ${qualified} with key column "${column}" not found; run ensureSchema() or check the tables/columns options`));
        }
        return type;
      })();
      known.catch(() => keyTypes.delete(table));
      keyTypes.set(table, known);
    }
    return known;
  }

  const store = createSqlStore({
    dialect: kind === 'pglite' ? { ...postgresDialect, name: kind } : postgresDialect,
    session,
    names,
    ensureSchema,
    createLegacyTables: options.createLegacyTables === true,
    inspectSchema: async (s) => inspectionOf(plan, await readState(s), schema),
    async tableColumns(s, table) {
      // Quoted names compare exactly, as PostgreSQL compares them; no rows means no table.
      const rows = await s.query('SELECT attname::text AS name FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1::text) AND attnum > 0 AND NOT attisdropped', [names[table]]);
      if (rows.length === 0) return null;
      const columns = new Set(rows.map((row) => String(row.name)));
      return (column) => columns.has(column);
    },
    // statement_timeout starts with a statement, so a batch's own is set first, in a transaction
    // of the batch's own (three round trips more: BEGIN, the setting, COMMIT). PGlite runs one
    // statement at a time in-process and its statement timer does not fire: nothing to bound there.
    timedSession: (timeouts) => {
      if (timeouts.statementTimeoutMs === undefined || kind === 'pglite') return session;
      // The batch's own transaction, its statement limit set first (a batch that follows another runs its statement in one too).
      const transaction: SqlSession['transaction'] = (work) =>
        session.transaction(async (tx) => {
          await tx.query("SELECT set_config('statement_timeout', $1::text, true)", [`${timeouts.statementTimeoutMs}ms`]);
          return work(tx);
        });
      return { ...session, transaction, query: (sql, params) => transaction((tx) => tx.query(sql, params)) };
    },
    // A pool runs each transaction on a connection of its own; a plain client and PGlite run one at a time.
    ...(clientKind === 'pool' ? { maxWritesInFlight: 2 } : {}),
    batchStatement: async (batch: SqlBatch) =>
      postgresBatchStatement(names, batch, batch.rows === null ? '' : await keyType(batch.rows.table), await keyType('events'), clientKind !== 'pglite'),
    storeError: (operation, cause) => new PostgresStoreError(operation, cause),
  });
  const readDatabaseHealth = () =>
    readPostgresReplicationHealth(options.client).catch((error: unknown) => {
      throw new PostgresStoreError('reading the replication lag (pg_stat_replication, pg_replication_slots)', error);
    });
  return Object.assign(store, { kind, clientKind, schemaStatements: () => plan.steps.map((step) => step.sql), readDatabaseHealth }) as PostgresStore;
}
