import {
  type BatchWrite,
  type CampaignUpdate,
  type EventRecord,
  type EventSelection,
  type EventUpdate,
  type FlagPatch,
  type KeyRange,
  LeaseLostError,
  type LeaseResult,
  type MigrationName,
  type MigrationStore,
  type RunCheckpoint,
  type SchemaInspection,
  type StoredEvent,
  type TableStatus,
} from '@app/migrate';
import { type PostgresClient, type PostgresClientKind, type PostgresQueryable, detectClientKind } from './postgres-client.js';
import { type PostgresSchemaOptions, type ResolvedNames, resolveNames } from './postgres-schema-options.js';
import { type PostgresSchemaStep, postgresSchemaPlan, postgresSchemaStatements } from './postgres-schema-sql.js';
import { inspectionOf, readPostgresSchemaState } from './postgres-schema-state.js';
import { CHECKPOINT_COLUMNS, OriginalPayloads, SqlParameters, checkpointFromRow, checkpointValues, storedRow, toIsoTime } from '@app/sql-store';
import { PostgresStoreError } from './postgres-store-error.js';
import { quoteIdentifier, quoteLiteral } from './quote-identifier.js';
import { withTransaction } from './with-transaction.js';

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
export interface PostgresStore extends MigrationStore {
  /** `postgres` (node-postgres or another server client) or `pglite`. */
  readonly kind: 'postgres' | 'pglite';
  /** How the store runs transactions on its client. */
  readonly clientKind: PostgresClientKind;
  /** Every statement `ensureSchema()` may run (it runs those the catalog shows are needed), for review. */
  schemaStatements(): string[];
}

type Row = Record<string, unknown>;

/** A canonical event is missing when the column is SQL NULL or holds JSON `null` (as `== null` in the memory store). */
const missing = (column: string) => `(${column} IS NULL OR ${column} = 'null'::jsonb)`;

const toIso = toIsoTime;
const toNumber = (value: unknown): number => Number(value ?? 0);

/**
 * Creates a `MigrationStore` over PostgreSQL: node-postgres (`pg` Pool or Client) or PGlite.
 *
 * - Keyset pagination on the primary key (`WHERE id > $1 ORDER BY id LIMIT $2`), ids compared in
 *   the key column's own type so the primary-key index is used; `bigint` and `uuid` keys travel as
 *   text and stay exact.
 * - Each batch is one statement: lease check (`FOR UPDATE` on the run's row), the canonical events
 *   from one `jsonb_to_recordset` parameter, and the checkpoint. The UPDATE repeats the selection,
 *   so a row is never written twice.
 * - Leases are rows of the runs table, taken with one atomic upsert on the database clock.
 * - A canonical event whose `payload` is the very `event_data` object this store read is written
 *   with the row's stored `event_data` (set in SQL), so payloads stay byte-exact even for numbers
 *   JavaScript cannot represent, and the batch sends half the bytes.
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
  const { client } = options;
  const clientKind = options.clientKind ?? detectClientKind(client);
  const n: ResolvedNames = resolveNames(options);
  const e = n.event;
  const keyTypes = new Map<string, string>();
  const originals = new OriginalPayloads();
  const parameters = () => new SqlParameters((position) => `$${position}`);
  const plan = postgresSchemaPlan(options);
  const schema = options.schema ?? null;
  const lockTimeoutMs = options.ddlLockTimeoutMs ?? 5_000;
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 0) throw new TypeError(`ddlLockTimeoutMs must be a non-negative integer, got ${lockTimeoutMs}`);
  const readState = (db: PostgresQueryable) => readPostgresSchemaState(db, plan, schema, options.canonicalEventCompression !== undefined);

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

  async function run(operation: string, text: string, params: unknown[] = [], on: PostgresQueryable = client): Promise<Row[]> {
    try {
      return (await on.query(text, params)).rows;
    } catch (error) {
      throw new PostgresStoreError(operation, error);
    }
  }

  /** The SQL type of a table's key column, read from the catalog once (the cast that keeps the PK index usable). */
  async function keyType(table: string, column: string): Promise<string> {
    const cacheKey = `${table}.${column}`;
    const known = keyTypes.get(cacheKey);
    if (known !== undefined) return known;
    const rows = await run(
      `reading the key type of ${table}`,
      'SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($1::text) AND a.attname = $2 AND NOT a.attisdropped',
      [table, column],
    );
    const type = rows[0]?.type;
    if (typeof type !== 'string') {
      throw new PostgresStoreError(`reading ${table}`, new Error(`table ${table} with key column "${column}" not found; run ensureSchema() or check the tables/columns options`));
    }
    keyTypes.set(cacheKey, type);
    return type;
  }
  const eventKeyType = () => keyType(n.events, n.rawColumns.eventId);
  const campaignKeyType = () => keyType(n.campaigns, n.rawColumns.campaignId);

  /** The WHERE conditions of an event selection on alias `e`. */
  function selectionConditions(p: SqlParameters, selection: EventSelection, type: string): string[] {
    const canonical = `e.${e.canonicalEvent}`;
    const conditions: string[] = [];
    if (selection.renormalize === undefined) {
      conditions.push(missing(canonical));
    } else {
      // isOutdated of @app/migrate: the normalizer must be a known name whose current version equals the stored one.
      const versions = p.add(JSON.stringify(selection.renormalize));
      conditions.push(
        `(${missing(canonical)} OR NOT coalesce(jsonb_typeof(${canonical} #> '{normalized,meta.normalizer}') = 'string' AND ` +
          `(${versions}::jsonb -> (${canonical} #>> '{normalized,meta.normalizer}')) = (${canonical} #> '{normalized,meta.normalizer_version}'), false))`,
      );
    }
    conditions.push(...rangeConditions(p, 'e', e.id, selection.range, type));
    return conditions;
  }

  function rangeConditions(p: SqlParameters, alias: string, id: string, range: KeyRange | undefined, type: string): string[] {
    const conditions: string[] = [];
    if (range?.after != null) conditions.push(`${alias}.${id} > ${p.add(range.after)}::${type}`);
    if (range?.upTo != null) conditions.push(`${alias}.${id} <= ${p.add(range.upTo)}::${type}`);
    return conditions;
  }

  /** Runs a batch statement built by `build`, and turns a missing lease into LeaseLostError. */
  async function writeBatch(operation: string, write: BatchWrite<unknown>, build: (p: SqlParameters, lease: string) => string): Promise<number> {
    const p = parameters();
    const c = write.checkpoint;
    const runKey = p.add(c.runKey);
    const holder = p.add(write.holder);
    const lease = `SELECT run_key FROM ${n.runs} WHERE run_key = ${runKey} AND lease_holder = ${holder} AND lease_expires_at >= now() FOR UPDATE`;
    const written = build(p, 'lease');
    const checkpoint = checkpointAssignments(p, c);
    const rows = await run(
      operation,
      `WITH lease AS (${lease}),
written AS (${written}),
checkpoint AS (UPDATE ${n.runs} AS r SET ${checkpoint} FROM lease WHERE r.run_key = lease.run_key RETURNING 1)
SELECT (SELECT count(*) FROM lease)::int AS leased, (SELECT count(*) FROM written)::int AS written`,
      p.values,
    );
    if (toNumber(rows[0]?.leased) === 0) throw new LeaseLostError(c.runKey, write.holder);
    return toNumber(rows[0]?.written);
  }

  /** The shared checkpoint columns, cast to their PostgreSQL types. */
  function checkpointAssignments(p: SqlParameters, c: RunCheckpoint): string {
    const casts: Record<(typeof CHECKPOINT_COLUMNS)[number], string> = {
      migration: '',
      status: '',
      cursor: '',
      counts: '::jsonb',
      failures: '::jsonb',
      started_at: '::timestamptz',
      updated_at: '::timestamptz',
    };
    const values = checkpointValues(c);
    return CHECKPOINT_COLUMNS.map((column, i) => `${quoteIdentifier(column)} = ${p.add(values[i])}${casts[column]}`).join(', ');
  }

  const flagColumns = 'id::text AS id, name, description, enabled, rollout_percentage, metadata, created_at, updated_at';

  return {
    kind: clientKind === 'pglite' ? 'pglite' : 'postgres',
    clientKind,

    schemaStatements: () => postgresSchemaStatements(options),

    async ensureSchema() {
      let step: PostgresSchemaStep | undefined;
      try {
        await withTransaction(client, clientKind, async (tx) => {
          // Two processes creating the same schema at once would race on the catalog; take turns.
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1::text))', [`@app/adapter-postgres:${n.events}`]);
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
    },

    async inspectSchema(): Promise<SchemaInspection> {
      try {
        return inspectionOf(plan, await readState(client), schema);
      } catch (error) {
        throw new PostgresStoreError('inspecting the schema', error);
      }
    },

    async acquireLease(runKey, holder, ttlMs): Promise<LeaseResult> {
      for (let attempt = 0; ; attempt++) {
        const rows = await run(
          `acquiring the lease of "${runKey}"`,
          `WITH taken AS (
  INSERT INTO ${n.runs} AS r (run_key, lease_holder, lease_expires_at) VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond')
  ON CONFLICT (run_key) DO UPDATE SET lease_holder = excluded.lease_holder, lease_expires_at = excluded.lease_expires_at
  WHERE r.lease_holder IS NULL OR r.lease_holder = excluded.lease_holder OR r.lease_expires_at < now()
  RETURNING 1
)
SELECT (SELECT count(*) FROM taken)::int AS acquired, r.lease_holder AS holder, r.lease_expires_at AS expires_at
FROM (SELECT 1) AS one LEFT JOIN ${n.runs} AS r ON r.run_key = $1`,
          [runKey, holder, ttlMs],
        );
        const row = rows[0] ?? {};
        if (toNumber(row.acquired) > 0) return { acquired: true };
        // Refused, but the snapshot shows no other holder: it let go meanwhile; ask again.
        if (typeof row.holder === 'string' && row.holder !== holder) return { acquired: false, holder: row.holder, expiresAt: toIso(row.expires_at) };
        if (attempt >= 3) return { acquired: false, holder: String(row.holder ?? 'unknown'), expiresAt: toIso(row.expires_at ?? new Date()) };
      }
    },

    async releaseLease(runKey, holder) {
      await run(
        `releasing the lease of "${runKey}"`,
        `UPDATE ${n.runs} SET lease_holder = NULL, lease_expires_at = NULL WHERE run_key = $1 AND lease_holder = $2`,
        [runKey, holder],
      );
    },

    async readCheckpoint(runKey) {
      const rows = await run(
        `reading the checkpoint of "${runKey}"`,
        `SELECT run_key, migration, status, "cursor", counts, failures, started_at, updated_at FROM ${n.runs} WHERE run_key = $1 AND status IS NOT NULL`,
        [runKey],
      );
      return rows[0] === undefined ? null : checkpointFromRow(rows[0]);
    },

    async writeCheckpoint(checkpoint, holder) {
      const p = parameters();
      const runKey = p.add(checkpoint.runKey);
      const holderParam = p.add(holder);
      const rows = await run(
        `writing the checkpoint of "${checkpoint.runKey}"`,
        `UPDATE ${n.runs} SET ${checkpointAssignments(p, checkpoint)} WHERE run_key = ${runKey} AND lease_holder = ${holderParam} AND lease_expires_at >= now() RETURNING 1`,
        p.values,
      );
      if (rows.length === 0) throw new LeaseLostError(checkpoint.runKey, holder);
    },

    async countEvents(selection) {
      const p = parameters();
      const conditions = selectionConditions(p, selection, await eventKeyType());
      const rows = await run('counting events', `SELECT count(*)::float8 AS n FROM ${n.events} AS e WHERE ${conditions.join(' AND ')}`, p.values);
      return toNumber(rows[0]?.n);
    },

    async readEventBatch(selection, after, limit) {
      const type = await eventKeyType();
      const p = parameters();
      const conditions = selectionConditions(p, selection, type);
      if (after !== null) conditions.push(`e.${e.id} > ${p.add(after)}::${type}`);
      const rows = await run(
        `reading events after ${after ?? 'the start'}`,
        `SELECT e.${e.id}::text AS id, e.${e.integrationType} AS integration_type, e.${e.eventType} AS event_type, e.${e.eventData} AS event_data, e.${e.createdAt} AS created_at
FROM ${n.events} AS e WHERE ${conditions.join(' AND ')} ORDER BY e.${e.id} LIMIT ${p.add(limit)}::int`,
        p.values,
      );
      return rows.map((row): EventRecord => {
        originals.remember(row.id as string, row.event_data);
        return { id: row.id as string, integration_type: row.integration_type, event_type: row.event_type, event_data: row.event_data, created_at: row.created_at };
      });
    },

    async writeEventBatch(write: BatchWrite<EventUpdate>, selection) {
      const type = await eventKeyType();
      const batch = write.updates.map((update) => {
        const row = originals.toWrite(update);
        return { id: row.id, event: row.event, original_payload: row.original };
      });
      return writeBatch(`writing ${write.updates.length} canonical events (run "${write.checkpoint.runKey}")`, write, (p, lease) => {
        const rows = p.add(JSON.stringify(batch));
        const conditions = selectionConditions(p, selection, type);
        return `UPDATE ${n.events} AS e
SET ${e.canonicalEvent} = CASE WHEN u.original_payload THEN jsonb_set(u.event, '{payload}', e.${e.eventData}::jsonb) ELSE u.event END
FROM ${lease}, jsonb_to_recordset(${rows}::jsonb) AS u(id text, event jsonb, original_payload boolean)
WHERE e.${e.id} = u.id::${type} AND ${conditions.join(' AND ')}
RETURNING 1`;
      });
    },

    async keyBoundaries(migration: MigrationName, parts) {
      if (!Number.isSafeInteger(parts) || parts < 2) return [];
      const [table, id] = migration === 'events' ? [n.events, e.id] : [n.campaigns, n.campaign.id];
      const rows = await run(
        `cutting ${table} into ${parts} key ranges`,
        `WITH k AS (SELECT t.${id} AS key, row_number() OVER (ORDER BY t.${id}) AS rn FROM ${table} AS t),
c AS (SELECT count(*) AS total FROM ${table})
SELECT k.key::text AS key FROM k WHERE k.rn IN (SELECT (c.total * i) / $1::int FROM c, generate_series(1, $1::int - 1) AS i) ORDER BY k.rn`,
        [parts],
      );
      return rows.map((row) => String(row.key));
    },

    async readCampaignBatch(after, limit, range) {
      const type = await campaignKeyType();
      const p = parameters();
      const id = n.campaign.id;
      const conditions = rangeConditions(p, 'c', id, range, type);
      if (after !== null) conditions.push(`c.${id} > ${p.add(after)}::${type}`);
      const rows = await run(
        `reading campaigns after ${after ?? 'the start'}`,
        `SELECT c.${id}::text AS key, to_jsonb(c) AS row FROM ${n.campaigns} AS c ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY c.${id} LIMIT ${p.add(limit)}::int`,
        p.values,
      );
      return rows.map((row) =>
        storedRow(String(row.key), row.row as Row, n.rawColumns.campaignId, [[n.rawColumns.campaignDataSourcesV2, 'data_sources_v2']]),
      );
    },

    async readIntegrations() {
      const id = n.integration.id;
      const rows = await run('reading integrations', `SELECT i.${id}::text AS key, to_jsonb(i) AS row FROM ${n.integrations} AS i ORDER BY i.${id}`);
      return rows.map((row) => storedRow(String(row.key), row.row as Row, n.rawColumns.integrationId));
    },

    async writeCampaignBatch(write: BatchWrite<CampaignUpdate>) {
      const type = await campaignKeyType();
      const batch = write.updates.map((update) => ({ id: update.id, value: update.dataSourcesV2 }));
      return writeBatch(`writing data_sources_v2 of ${write.updates.length} campaigns`, write, (p, lease) => {
        const rows = p.add(JSON.stringify(batch));
        return `UPDATE ${n.campaigns} AS c SET ${n.campaign.dataSourcesV2} = u.value
FROM ${lease}, jsonb_to_recordset(${rows}::jsonb) AS u(id text, value jsonb)
WHERE c.${n.campaign.id} = u.id::${type}
RETURNING 1`;
      });
    },

    async sampleMigratedEvents(limit) {
      if (limit < 1) return [];
      // Numbers the migrated keys first (keys only), then reads every step-th row: a sample spread over the table.
      const rows = await run(
        'sampling migrated events',
        `WITH k AS (
  SELECT e.${e.id} AS key, row_number() OVER (ORDER BY e.${e.id}) AS rn, count(*) OVER () AS total FROM ${n.events} AS e WHERE NOT ${missing(`e.${e.canonicalEvent}`)}
)
SELECT e.${e.id}::text AS id, e.${e.eventData} AS event_data, e.${e.canonicalEvent} AS canonical_event,
  coalesce((e.${e.canonicalEvent} -> 'payload') = e.${e.eventData}::jsonb, false) AS payload_matches
FROM k JOIN ${n.events} AS e ON e.${e.id} = k.key
WHERE (k.rn - 1) % greatest(1, k.total / $1::int) = 0 ORDER BY k.rn LIMIT $1::int`,
        [limit],
      );
      // Compared in SQL as jsonb (exact numerics): the parsed values here can look equal when the stored ones are not.
      return rows.map((row): StoredEvent => ({ id: row.id as string, event_data: row.event_data, canonical_event: row.canonical_event, payloadMatches: row.payload_matches === true }));
    },

    async eventStatus(): Promise<TableStatus> {
      const rows = await run(
        'counting migrated events',
        `SELECT count(*)::float8 AS total, count(*) FILTER (WHERE NOT ${missing(e.canonicalEvent)})::float8 AS migrated FROM ${n.events}`,
      );
      const total = toNumber(rows[0]?.total);
      const migrated = toNumber(rows[0]?.migrated);
      return { total, migrated, remaining: total - migrated };
    },

    async campaignStatus(): Promise<TableStatus> {
      const v2 = n.campaign.dataSourcesV2;
      const rows = await run(
        'counting migrated campaigns',
        `SELECT count(*)::float8 AS total,
  count(*) FILTER (WHERE CASE WHEN jsonb_typeof(${v2}) = 'array' THEN jsonb_array_length(${v2}) > 0 ELSE false END)::float8 AS migrated
FROM ${n.campaigns}`,
      );
      const total = toNumber(rows[0]?.total);
      const migrated = toNumber(rows[0]?.migrated);
      return { total, migrated, remaining: total - migrated };
    },

    async listFlags() {
      return run('listing feature flags', `SELECT ${flagColumns} FROM ${n.featureFlags} ORDER BY name`);
    },

    async updateFlag(name, patch: FlagPatch) {
      const rows = await run(
        `updating feature flag ${quoteLiteral(name)}`,
        `UPDATE ${n.featureFlags} SET enabled = coalesce($2::boolean, enabled), rollout_percentage = coalesce($3::int, rollout_percentage), updated_at = now()
WHERE name = $1 RETURNING ${flagColumns}`,
        [name, patch.enabled ?? null, patch.rollout_percentage ?? null],
      );
      return rows[0] ?? null;
    },

    async close() {
      // The client was given, not opened: its owner closes it.
    },
  };
}
