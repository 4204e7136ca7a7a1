import {
  type FlagChange,
  type FlagField,
  type FlagHistoryQuery,
  type FlagPatch,
  type FlagStore,
  type FlagWrite,
  type FlagWriteResult,
  type StoredFlag,
  type UnreadableFlagRow,
  flagList,
  flagSnapshotOf,
  readFlagRow,
  historyLimit,
} from '@app/migrate/core';
import { toIsoTime } from './checkpoint-row.js';
import type { SqlDialect } from './sql-dialect.js';
import { SqlParameters } from './sql-parameters.js';
import type { SqlExecutor, SqlRow, SqlSession } from './sql-session.js';
import type { ResolvedNames } from './table-names.js';

/**
 * The checks of a flag write (`validateFlagWrite` and the fields it compares), loaded with the
 * first write: they check names and rollout plans with `@app/flags`' zod schemas, and a process
 * that only migrates events should not load zod (about 12 MB of its memory).
 */
const flagWriteChecks = () => import('@app/migrate');

/** What {@link sqlFlagStore} needs from the store it is part of. */
export interface SqlFlagStoreParts {
  dialect: SqlDialect;
  session: SqlSession;
  names: ResolvedNames;
  /** Runs an operation, turning a driver failure into the store's error. */
  guard<T>(operation: string, work: () => Promise<T>): Promise<T>;
}

/** A change about to be recorded. */
interface PendingChange {
  field: FlagChange['field'];
  from: unknown;
  to: unknown;
}


/**
 * The {@link @app/migrate!FlagStore | FlagStore} half of `createSqlStore`: `feature_flags` and its history table, written
 * once for every dialect. Each write is one transaction that locks the flag's row
 * (`SELECT … FOR UPDATE`; SQLite's transactions lock the file), compares it with what the writer
 * expected, changes it, and inserts one history row per changed field, so the change and its
 * record commit or roll back together. History values are JSON text, so `null`, booleans and
 * numbers read back as written on every database.
 */
export function sqlFlagStore(parts: SqlFlagStoreParts): FlagStore {
  const { dialect: d, session, names: n, guard } = parts;
  const parameters = () => new SqlParameters(d.placeholder?.bind(d));
  const flagColumns = `${d.keyAsText('id')} AS id, name, description, enabled, rollout_percentage, metadata, created_at, updated_at`;
  // Aliased as change_id: an `id` alias of the text cast would make `ORDER BY id` sort as text on PostgreSQL and MySQL.
  const changeColumns = `${d.keyAsText('id')} AS change_id, flag_name, field, old_value, new_value, actor, changed_at, ${d.keyAsText('reverts_change_id')} AS reverts_change_id`;

  const timeOf = (value: unknown): string => {
    try {
      return toIsoTime(value);
    } catch {
      throw new Error(`not a time: ${JSON.stringify(String(value).slice(0, 40))}`);
    }
  };
  /** How each field of a flag is read from its row; a read that throws names its column (`readFlagRow`). */
  const flagFields = (row: SqlRow): { [K in keyof StoredFlag]: () => StoredFlag[K] } => ({
    id: () => (row.id == null ? null : String(row.id)),
    name: () => String(row.name),
    description: () => (row.description == null ? null : String(row.description)),
    enabled: () => d.decodeBoolean(row.enabled),
    rollout_percentage: () => Number(row.rollout_percentage),
    metadata: () => (d.decodeJson(row.metadata) as Record<string, unknown> | null | undefined) ?? null,
    created_at: () => timeOf(row.created_at),
    updated_at: () => timeOf(row.updated_at),
  });
  const decodeFlag = (row: SqlRow): StoredFlag => {
    const read = readFlagRow(row.name, row.id, flagFields(row));
    if ('error' in read) throw new Error(read.error.message);
    return read.flag;
  };

  const decodeChange = (row: SqlRow): FlagChange => ({
    id: String(row.change_id),
    flagName: String(row.flag_name),
    field: String(row.field) as FlagChange['field'],
    from: JSON.parse(String(row.old_value)) as unknown,
    to: JSON.parse(String(row.new_value)) as unknown,
    actor: String(row.actor),
    changedAt: toIsoTime(row.changed_at),
    revertsChangeId: row.reverts_change_id == null ? null : String(row.reverts_change_id),
  });

  async function readFlag(db: SqlExecutor, name: string, lock: boolean): Promise<StoredFlag | null> {
    const p = parameters();
    const rows = await db.query(`SELECT ${flagColumns} FROM ${n.featureFlags} WHERE name = ${p.add(name)}${lock ? ` ${d.forUpdate}` : ''}`, p.values);
    return rows[0] === undefined ? null : decodeFlag(rows[0]);
  }

  /** Inserts the history rows of one write and reads them back (the flag's newest rows: its row lock keeps other writers of it out). */
  async function record(tx: SqlExecutor, flagName: string, changes: readonly PendingChange[], write: FlagWrite): Promise<FlagChange[]> {
    for (const change of changes) {
      const p = parameters();
      const values = [flagName, change.field, JSON.stringify(change.from ?? null), JSON.stringify(change.to ?? null), write.actor, write.revertsChangeId ?? null].map((value) => p.add(value));
      await tx.execute(
        `INSERT INTO ${n.flagChanges} (flag_name, field, old_value, new_value, actor, reverts_change_id, changed_at) VALUES (${values.join(', ')}, ${d.nowTimestamp})`,
        p.values,
      );
    }
    const p = parameters();
    const rows = await tx.query(`SELECT ${changeColumns} FROM ${n.flagChanges} WHERE flag_name = ${p.add(flagName)} ORDER BY id DESC LIMIT ${changes.length}`, p.values);
    return rows.map(decodeChange).reverse();
  }

  return {
    listFlags() {
      return guard('listing feature flags', async () => {
        const flags: StoredFlag[] = [];
        const errors: UnreadableFlagRow[] = [];
        for (const row of await session.query(`SELECT ${flagColumns} FROM ${n.featureFlags} ORDER BY name`)) {
          const read = readFlagRow(row.name, row.id, flagFields(row));
          if ('flag' in read) flags.push(read.flag);
          else errors.push(read.error);
        }
        return flagList(flags, errors);
      });
    },

    getFlag(name) {
      return guard(`reading feature flag "${name}"`, () => readFlag(session, name, false));
    },

    async createFlag(flag, write): Promise<FlagWriteResult> {
      const refused = (await flagWriteChecks()).validateNewFlag(flag, write);
      if (refused !== null) return refused;
      return guard(`creating feature flag "${flag.name}"`, () =>
        session.transaction(async (tx): Promise<FlagWriteResult> => {
          if ((await readFlag(tx, flag.name, true)) !== null) return { ok: false, reason: 'exists', name: flag.name };
          const p = parameters();
          // A boolean, not 1 or 0: PostgreSQL types the parameter by the column; MySQL and SQLite take true as 1.
          const metadata = flag.metadata == null ? null : JSON.stringify(flag.metadata);
          const values = [flag.name, flag.description ?? null, flag.enabled ?? false, flag.rollout_percentage ?? 0, metadata].map((value) => p.add(value));
          await tx.execute(`INSERT INTO ${n.featureFlags} (name, description, enabled, rollout_percentage, metadata) VALUES (${values.join(', ')})`, p.values);
          const created = (await readFlag(tx, flag.name, false))!;
          const changes = await record(tx, flag.name, [{ field: 'flag', from: null, to: flagSnapshotOf(created) }], write);
          return { ok: true, flag: created, changes };
        }),
      );
    },

    async updateFlag(name, patch: FlagPatch, write): Promise<FlagWriteResult> {
      const { changedFields, unexpectedFields, validateFlagWrite } = await flagWriteChecks();
      const refused = validateFlagWrite(name, patch, write);
      if (refused !== null) return refused;
      return guard(`updating feature flag "${name}"`, () =>
        session.transaction(async (tx): Promise<FlagWriteResult> => {
          const current = await readFlag(tx, name, true);
          if (current === null) return { ok: false, reason: 'not_found', name };
          const conflicts = unexpectedFields(current, write.expected);
          if (conflicts.length > 0) return { ok: false, reason: 'conflict', flag: current, fields: conflicts };
          const fields: FlagField[] = changedFields(current, patch);
          if (fields.length === 0) return { ok: true, flag: current, changes: [] };
          const p = parameters();
          // metadata goes as JSON text: PostgreSQL casts it to jsonb, MySQL and SQLite store it as JSON.
          const valueOf = (field: FlagField) => (field === 'metadata' ? (patch.metadata == null ? null : JSON.stringify(patch.metadata)) : (patch[field] ?? null));
          const assignments = fields.map((field) => `${field} = ${p.add(valueOf(field))}`).join(', ');
          await tx.execute(`UPDATE ${n.featureFlags} SET ${assignments}, updated_at = ${d.nowTimestamp} WHERE name = ${p.add(name)}`, p.values);
          const changes = await record(tx, name, fields.map((field) => ({ field, from: current[field], to: patch[field] })), write);
          return { ok: true, flag: (await readFlag(tx, name, false))!, changes };
        }),
      );
    },

    async deleteFlag(name, write): Promise<FlagWriteResult> {
      const { unexpectedFields, validateFlagWrite } = await flagWriteChecks();
      const refused = validateFlagWrite(name, {}, write);
      if (refused !== null) return refused;
      return guard(`deleting feature flag "${name}"`, () =>
        session.transaction(async (tx): Promise<FlagWriteResult> => {
          const current = await readFlag(tx, name, true);
          if (current === null) return { ok: false, reason: 'not_found', name };
          const conflicts = unexpectedFields(current, write.expected);
          if (conflicts.length > 0) return { ok: false, reason: 'conflict', flag: current, fields: conflicts };
          const p = parameters();
          await tx.execute(`DELETE FROM ${n.featureFlags} WHERE name = ${p.add(name)}`, p.values);
          const changes = await record(tx, name, [{ field: 'flag', from: flagSnapshotOf(current), to: null }], write);
          return { ok: true, flag: null, changes };
        }),
      );
    },

    readFlagHistory(query: FlagHistoryQuery = {}) {
      const limit = historyLimit(query.limit);
      if (query.before !== undefined && !/^\d{1,18}$/.test(query.before)) throw new TypeError(`before must be a change id, got ${JSON.stringify(query.before)}`);
      return guard('reading the feature flag history', async () => {
        const p = parameters();
        const conditions: string[] = [];
        if (query.name !== undefined) conditions.push(`flag_name = ${p.add(query.name)}`);
        if (query.before !== undefined) conditions.push(`id < ${p.add(query.before)}`);
        const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
        const rows = await session.query(`SELECT ${changeColumns} FROM ${n.flagChanges} ${where} ORDER BY id DESC LIMIT ${limit}`, p.values);
        return rows.map(decodeChange);
      });
    },

    readFlagChange(id) {
      if (!/^\d{1,18}$/.test(id)) return Promise.resolve(null);
      return guard(`reading feature flag change ${id}`, async () => {
        const p = parameters();
        const rows = await session.query(`SELECT ${changeColumns} FROM ${n.flagChanges} WHERE id = ${p.add(id)}`, p.values);
        return rows[0] === undefined ? null : decodeChange(rows[0]);
      });
    },
  };
}
