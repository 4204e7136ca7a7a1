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
  type RowKey,
  type RunCheckpoint,
  type SchemaInspection,
  type StoredEvent,
  type StoredRow,
  type TableStatus,
} from '@app/migrate';
import { CHECKPOINT_COLUMNS, checkpointFromRow, checkpointValues, toIsoTime } from './checkpoint-row.js';
import { OriginalPayloads } from './original-payloads.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';
import type { SqlExecutor, SqlRow, SqlSession } from './sql-session.js';
import { SqlStoreError } from './sql-store-error.js';
import { storedRow } from './stored-row.js';
import type { ResolvedNames } from './table-names.js';

/** Which of the store's tables a JSON-column lookup is about. */
export type StoreTable = 'events' | 'campaigns' | 'integrations' | 'featureFlags';

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
   * What `ensureSchema` would create, read from the catalog only: no DDL, no writes, no lock
   * beyond a plain read's (dry runs rely on it). `missingSchemaObjects` and
   * `missingSystemFlags` name the items the same way for every adapter.
   */
  inspectSchema(session: SqlSession): Promise<SchemaInspection>;
  /**
   * The JSON columns of a table (unquoted names), so rows read with `SELECT *` are decoded by
   * column, never by guessing from content. Called once per table and cached.
   */
  jsonColumns(session: SqlSession, table: StoreTable): Promise<ReadonlySet<string>>;
  /** Releases what the adapter opened itself; nothing for a client it was given. */
  close?(): Promise<void>;
}

const PATH_NORMALIZER = ['normalized', 'meta.normalizer'] as const;
const PATH_VERSION = ['normalized', 'meta.normalizer_version'] as const;

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`limit must be a non-negative safe integer, got ${limit}`);
  return limit;
}

/**
 * A complete {@link @app/migrate!MigrationStore | MigrationStore} from a dialect and a session:
 * the statements of every adapter but PostgreSQL's (which keeps set-based single statements),
 * written once.
 *
 * - Keyset pagination on the key column (`WHERE id > ? ORDER BY id LIMIT n`); keys leave the
 *   database as text.
 * - A batch is one transaction: the run's row is locked and the lease checked, the rows are
 *   updated by one `UPDATE … SET col = CASE id WHEN ? THEN ? … END WHERE id IN (…)` that repeats
 *   the selection (a row is never written twice), and the checkpoint is saved.
 * - Leases live in the runs table, timed by the database clock.
 * - A canonical event whose payload is the row's own `event_data` gets it set in SQL from the
 *   stored column ({@link OriginalPayloads}).
 */
export function createSqlStore(config: SqlStoreConfig): MigrationStore {
  const { dialect: d, session, names: n } = config;
  const e = n.event;
  const q = (name: string) => d.quoteIdentifier(name);
  const originals = new OriginalPayloads();
  const jsonColumnCache = new Map<StoreTable, Promise<ReadonlySet<string>>>();

  async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof LeaseLostError || error instanceof SqlStoreError) throw error;
      throw new SqlStoreError(d.name, operation, error);
    }
  }

  const jsonColumnsOf = (table: StoreTable) => {
    let known = jsonColumnCache.get(table);
    if (known === undefined) {
      known = config.jsonColumns(session, table);
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

  const missing = (column: string) => `(${column} IS NULL OR ${d.jsonTypeIs(column, [], 'null')})`;

  /** The WHERE conditions of an event selection; `prefix` qualifies columns (`e.`, or `''` in an UPDATE). */
  function selectionConditions(p: SqlParameters, selection: EventSelection, prefix: string): string[] {
    const canonical = `${prefix}${e.canonicalEvent}`;
    const conditions: string[] = [];
    if (selection.renormalize === undefined) {
      conditions.push(missing(canonical));
    } else {
      // isOutdated of @app/migrate: current only when the normalizer is a known name at its current version.
      const current = Object.entries(selection.renormalize).map(
        ([normalizer, version]) =>
          `(${d.jsonTypeIs(canonical, PATH_NORMALIZER, 'string')} AND ${d.jsonScalar(canonical, PATH_NORMALIZER)} = ${p.add(normalizer)} AND ` +
          `${d.jsonTypeIs(canonical, PATH_VERSION, 'number')} AND ${d.jsonScalar(canonical, PATH_VERSION)} = ${p.add(version)})`,
      );
      conditions.push(`(${missing(canonical)} OR COALESCE(${current.length === 0 ? '0' : current.join(' OR ')}, 0) = 0)`);
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

  /** Locks the run's row and checks the lease; throws LeaseLostError (the transaction then rolls back). */
  async function holdLease(tx: SqlExecutor, runKey: string, holder: string): Promise<void> {
    const rows = await tx.query(
      `SELECT run_key FROM ${n.runs} WHERE run_key = ? AND lease_holder = ? AND lease_expires_at >= ${d.nowMs} ${d.forUpdate}`,
      [runKey, holder],
    );
    if (rows.length === 0) throw new LeaseLostError(runKey, holder);
  }

  async function saveCheckpoint(tx: SqlExecutor, checkpoint: RunCheckpoint): Promise<void> {
    const assignments = CHECKPOINT_COLUMNS.map((column) => `${q(column)} = ?`).join(', ');
    await tx.execute(`UPDATE ${n.runs} SET ${assignments} WHERE run_key = ?`, [...checkpointValues(checkpoint), checkpoint.runKey]);
  }

  /** One batch transaction: lease, rows (built by `write`), checkpoint. */
  function writeBatch(operation: string, batch: BatchWrite<unknown>, write: (tx: SqlExecutor) => Promise<number>): Promise<number> {
    return guard(operation, () =>
      session.transaction(async (tx) => {
        await holdLease(tx, batch.checkpoint.runKey, batch.holder);
        const written = batch.updates.length === 0 ? 0 : await write(tx);
        await saveCheckpoint(tx, batch.checkpoint);
        return written;
      }),
    );
  }

  const flagColumns = `${d.keyAsText('id')} AS id, name, description, enabled, rollout_percentage, metadata, created_at, updated_at`;
  const decodeFlag = (row: SqlRow): Record<string, unknown> => ({
    ...row,
    enabled: d.decodeBoolean(row.enabled),
    rollout_percentage: Number(row.rollout_percentage),
    metadata: d.decodeJson(row.metadata) ?? null,
  });

  async function status(operation: string, table: string, migratedCondition: string): Promise<TableStatus> {
    return guard(operation, async () => {
      const rows = await session.query(`SELECT COUNT(*) AS total, SUM(CASE WHEN ${migratedCondition} THEN 1 ELSE 0 END) AS migrated FROM ${table}`);
      const total = Number(rows[0]?.total ?? 0);
      const migrated = Number(rows[0]?.migrated ?? 0);
      return { total, migrated, remaining: total - migrated };
    });
  }

  return {
    kind: d.name,

    ensureSchema: () => guard('ensureSchema', () => config.ensureSchema(session)).finally(() => jsonColumnCache.clear()),

    inspectSchema: () => guard('inspecting the schema', () => config.inspectSchema(session)),

    acquireLease(runKey, holder, ttlMs): Promise<LeaseResult> {
      return guard(`acquiring the lease of "${runKey}"`, () =>
        session.transaction(async (tx) => {
          await tx.execute(`${d.insertIgnoreInto} ${n.runs} (run_key) VALUES (?)`, [runKey]);
          const rows = await tx.query(
            `SELECT lease_holder, lease_expires_at, CASE WHEN lease_expires_at IS NULL OR lease_expires_at < ${d.nowMs} THEN 1 ELSE 0 END AS expired
FROM ${n.runs} WHERE run_key = ? ${d.forUpdate}`,
            [runKey],
          );
          const row = rows[0] ?? {};
          const current = row.lease_holder == null ? null : String(row.lease_holder);
          if (current !== null && current !== holder && Number(row.expired) === 0) {
            return { acquired: false, holder: current, expiresAt: toIsoTime(Number(row.lease_expires_at)) };
          }
          await tx.execute(`UPDATE ${n.runs} SET lease_holder = ?, lease_expires_at = ${d.nowMs} + ? WHERE run_key = ?`, [holder, Math.max(0, Math.round(ttlMs)), runKey]);
          return { acquired: true };
        }),
      );
    },

    releaseLease(runKey, holder) {
      return guard(`releasing the lease of "${runKey}"`, async () => {
        await session.execute(`UPDATE ${n.runs} SET lease_holder = NULL, lease_expires_at = NULL WHERE run_key = ? AND lease_holder = ?`, [runKey, holder]);
      });
    },

    readCheckpoint(runKey) {
      return guard(`reading the checkpoint of "${runKey}"`, async () => {
        const columns = ['run_key', ...CHECKPOINT_COLUMNS].map(q).join(', ');
        const rows = await session.query(`SELECT ${columns} FROM ${n.runs} WHERE run_key = ? AND status IS NOT NULL`, [runKey]);
        return rows[0] === undefined ? null : checkpointFromRow(rows[0], (value) => d.decodeJson(value));
      });
    },

    writeCheckpoint(checkpoint, holder) {
      return guard(`writing the checkpoint of "${checkpoint.runKey}"`, () =>
        session.transaction(async (tx) => {
          await holdLease(tx, checkpoint.runKey, holder);
          await saveCheckpoint(tx, checkpoint);
        }),
      );
    },

    countEvents(selection) {
      return guard('counting events', async () => {
        const p = new SqlParameters();
        const rows = await session.query(`SELECT COUNT(*) AS n FROM ${n.events} AS e ${where(selectionConditions(p, selection, 'e.'))}`, p.values);
        return Number(rows[0]?.n ?? 0);
      });
    },

    readEventBatch(selection, after, limit) {
      return guard(`reading events after ${after ?? 'the start'}`, async () => {
        const p = new SqlParameters();
        const conditions = selectionConditions(p, selection, 'e.');
        if (after !== null) conditions.push(`e.${e.id} > ${p.add(after)}`);
        const rows = await session.query(
          `SELECT ${d.keyAsText(`e.${e.id}`)} AS id, e.${e.integrationType} AS integration_type, e.${e.eventType} AS event_type, e.${e.eventData} AS event_data, e.${e.createdAt} AS created_at
FROM ${n.events} AS e ${where(conditions)} ORDER BY e.${e.id} LIMIT ${checkLimit(limit)}`,
          p.values,
        );
        return rows.map((row): EventRecord => {
          const id = String(row.id);
          const eventData = d.decodeJson(row.event_data);
          originals.remember(id, eventData);
          return { id, integration_type: row.integration_type, event_type: row.event_type, event_data: eventData, created_at: row.created_at };
        });
      });
    },

    writeEventBatch(write: BatchWrite<EventUpdate>, selection) {
      return writeBatch(`writing ${write.updates.length} canonical events (run "${write.checkpoint.runKey}")`, write, (tx) => {
        const p = new SqlParameters();
        const cases = write.updates
          .map((update) => {
            const row = originals.toWrite(update);
            const id = p.add(row.id);
            const json = p.add(JSON.stringify(row.event ?? null));
            return `WHEN ${id} THEN ${row.original ? d.withPayload(json, e.eventData) : json}`;
          })
          .join(' ');
        const ids = p.list(write.updates.map((update) => update.id));
        const conditions = [`${e.id} IN (${ids})`, ...selectionConditions(p, selection, '')];
        return tx.execute(`UPDATE ${n.events} SET ${e.canonicalEvent} = CASE ${e.id} ${cases} END WHERE ${conditions.join(' AND ')}`, p.values);
      });
    },

    keyBoundaries(migration: MigrationName, parts) {
      if (!Number.isSafeInteger(parts) || parts < 2) return Promise.resolve([]);
      const [table, id] = migration === 'events' ? [n.events, e.id] : [n.campaigns, n.campaign.id];
      return guard(`cutting ${table} into ${parts} key ranges`, async () => {
        const total = Number((await session.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n ?? 0);
        const positions = [...new Set(Array.from({ length: parts - 1 }, (_, i) => Math.floor((total * (i + 1)) / parts)).filter((rn) => rn > 0))];
        if (positions.length === 0) return [];
        const p = new SqlParameters();
        const rows = await session.query(
          `SELECT ${d.keyAsText('k.key_value')} AS k FROM (SELECT t.${id} AS key_value, ROW_NUMBER() OVER (ORDER BY t.${id}) AS rn FROM ${table} AS t) AS k
WHERE k.rn IN (${p.list(positions)}) ORDER BY k.rn`,
          p.values,
        );
        return rows.map((row) => String(row.k));
      });
    },

    readCampaignBatch(after, limit, range) {
      return guard(`reading campaigns after ${after ?? 'the start'}`, async () => {
        const json = await jsonColumnsOf('campaigns');
        const p = new SqlParameters();
        const id = `c.${n.campaign.id}`;
        const conditions = rangeConditions(p, id, range);
        if (after !== null) conditions.push(`${id} > ${p.add(after)}`);
        const rows = await session.query(
          `SELECT ${d.keyAsText(id)} AS ${q('__store_key')}, c.* FROM ${n.campaigns} AS c ${where(conditions)} ORDER BY ${id} LIMIT ${checkLimit(limit)}`,
          p.values,
        );
        return rows.map(({ __store_key: key, ...row }) =>
          storedRow(String(key), decodeRow(row, json), n.rawColumns.campaignId, [[n.rawColumns.campaignDataSourcesV2, 'data_sources_v2']]),
        );
      });
    },

    readIntegrations() {
      return guard('reading integrations', async () => {
        const json = await jsonColumnsOf('integrations');
        const id = `i.${n.integration.id}`;
        const rows = await session.query(`SELECT ${d.keyAsText(id)} AS ${q('__store_key')}, i.* FROM ${n.integrations} AS i ORDER BY ${id}`);
        return rows.map(({ __store_key: key, ...row }): StoredRow => storedRow(String(key), decodeRow(row, json), n.rawColumns.integrationId));
      });
    },

    writeCampaignBatch(write: BatchWrite<CampaignUpdate>) {
      return writeBatch(`writing data_sources_v2 of ${write.updates.length} campaigns`, write, (tx) => {
        const p = new SqlParameters();
        const cases = write.updates.map((update) => `WHEN ${p.add(update.id)} THEN ${p.add(JSON.stringify(update.dataSourcesV2))}`).join(' ');
        const ids = p.list(write.updates.map((update) => update.id));
        return tx.execute(
          `UPDATE ${n.campaigns} SET ${n.campaign.dataSourcesV2} = CASE ${n.campaign.id} ${cases} END WHERE ${n.campaign.id} IN (${ids})`,
          p.values,
        );
      });
    },

    sampleMigratedEvents(limit) {
      if (limit < 1) return Promise.resolve([]);
      return guard('sampling migrated events', async () => {
        const migrated = `NOT ${missing(e.canonicalEvent)}`;
        const total = Number((await session.query(`SELECT COUNT(*) AS n FROM ${n.events} WHERE ${migrated}`))[0]?.n ?? 0);
        // Numbers the migrated keys, then reads every step-th row: a sample spread over the table.
        const step = Math.max(1, Math.floor(total / limit));
        // The payload is compared in SQL: the driver's parsed values can look equal when the stored JSON is not.
        const rows = await session.query(
          `SELECT ${d.keyAsText(`e.${e.id}`)} AS id, e.${e.eventData} AS event_data, e.${e.canonicalEvent} AS canonical_event,
CASE WHEN ${d.samePayload(`e.${e.canonicalEvent}`, `e.${e.eventData}`)} THEN 1 ELSE 0 END AS payload_matches
FROM (SELECT ${e.id} AS key_value, ROW_NUMBER() OVER (ORDER BY ${e.id}) AS rn FROM ${n.events} WHERE ${migrated}) AS k
JOIN ${n.events} AS e ON e.${e.id} = k.key_value
WHERE (k.rn - 1) % ${step} = 0 ORDER BY k.rn LIMIT ${checkLimit(limit)}`,
        );
        return rows.map(
          (row): StoredEvent => ({
            id: String(row.id),
            event_data: d.decodeJson(row.event_data),
            canonical_event: d.decodeJson(row.canonical_event),
            payloadMatches: Number(row.payload_matches) === 1,
          }),
        );
      });
    },

    eventStatus: () => status('counting migrated events', n.events, `NOT ${missing(e.canonicalEvent)}`),

    campaignStatus() {
      const v2 = n.campaign.dataSourcesV2;
      return status('counting migrated campaigns', n.campaigns, `${v2} IS NOT NULL AND ${d.jsonTypeIs(v2, [], 'array')} AND ${d.jsonArrayLength(v2)} > 0`);
    },

    listFlags() {
      return guard('listing feature flags', async () => (await session.query(`SELECT ${flagColumns} FROM ${n.featureFlags} ORDER BY name`)).map(decodeFlag));
    },

    updateFlag(name, patch: FlagPatch) {
      return guard(`updating feature flag "${name}"`, () =>
        session.transaction(async (tx) => {
          const enabled = patch.enabled === undefined ? null : patch.enabled ? 1 : 0;
          const changed = await tx.execute(
            `UPDATE ${n.featureFlags} SET enabled = COALESCE(?, enabled), rollout_percentage = COALESCE(?, rollout_percentage), updated_at = ${d.nowTimestamp} WHERE name = ?`,
            [enabled, patch.rollout_percentage ?? null, name],
          );
          if (changed === 0) return null;
          const rows = await tx.query(`SELECT ${flagColumns} FROM ${n.featureFlags} WHERE name = ?`, [name]);
          return rows[0] === undefined ? null : decodeFlag(rows[0]);
        }),
      );
    },

    async close() {
      await config.close?.();
    },
  };
}
