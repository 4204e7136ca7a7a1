import { BatchOutOfOrderError, LeaseLostError, LegacyTableMissingError } from './errors.js';
import type { RunListing } from './run-listing.js';
import { compareRunKeys, isRunOf, runsOverlap } from './shard.js';
import { flagList } from './flag-list.js';
import { flagSnapshotOf } from './flag-snapshot-of.js';
import { type FlagMetricsStore, createMemoryFlagMetricsStore } from './flag-metrics-store.js';
import type { FlagChange, FlagHistoryQuery, FlagPatch, FlagStore, FlagWrite, FlagWriteResult, NewFlag, StoredFlag } from './flag-store.js';
import { changedFields, unexpectedFields, validateFlagWrite, validateNewFlag } from './validate-flag-write.js';
import type {
  BatchWrite,
  CampaignUpdate,
  EventRecord,
  EventSelection,
  EventUpdate,
  KeyRange,
  LeaseResult,
  MigrationName,
  MigrationStore,
  RowKey,
  RunCheckpoint,
  SchemaInspection,
  StoredEvent,
  StoredRow,
  TableStatus,
  LegacyTable,
} from './migration-store.js';
import { historyLimit } from './history-limit.js';
import { isOutdated } from './is-outdated.js';

/** Rows to start an in-memory store with. `id`s are used as text. */
export interface MemoryStoreSeed {
  events?: ({ id: string | number; canonical_event?: unknown } & Omit<EventRecord, 'id'>)[];
  campaigns?: ({ id: string | number } & Record<string, unknown>)[];
  integrations?: ({ id: string | number } & Record<string, unknown>)[];
  flags?: Record<string, unknown>[];
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The clock used for leases and `updated_at`; `() => new Date()` by default. */
  now?: () => Date;
  /**
   * `false` stands for a database whose migration schema was never created: `inspectSchema()`
   * reports every table and column missing until `ensureSchema()`, so dry runs refuse as they
   * would on a real database. `true` by default.
   */
  schemaReady?: boolean;
  /**
   * `false` stands for a database without the application's tables (events, campaigns,
   * integrations): `inspectSchema()` lists them in `missingLegacyTables` and `ensureSchema()`
   * refuses with `LegacyTableMissingError`, as the database adapters do. `true` by default.
   */
  legacyTables?: boolean;
}

/** An in-memory store, with the raw tables exposed for tests and examples. */
export interface MemoryStore extends MigrationStore, RunListing, FlagStore, FlagMetricsStore {
  /** The tables as they are now (copies), and whether the schema exists, for before/after comparisons. */
  snapshot(): {
    events: Omit<StoredEvent, 'payloadMatches'>[];
    campaigns: StoredRow[];
    flags: StoredFlag[];
    flagChanges: FlagChange[];
    runs: RunCheckpoint[];
    schemaReady: boolean;
  };
}

/** What a memory store without its schema lacks, named as a database adapter names it. */
const MEMORY_SCHEMA = [
  'table events',
  'column events.canonical_event',
  'table campaigns',
  'column campaigns.data_sources_v2',
  'table integrations',
  'table migration_runs',
  'table feature_flags',
  'table feature_flag_changes',
  'table feature_flag_metrics',
];


/** The table and key column of the events, as {@link MigrationStore.sourceOf} names them. */
const EVENTS_SOURCE = 'events.id';

const inRange = (key: RowKey, range: KeyRange | undefined) =>
  !range || ((range.after === null || key > range.after) && (range.upTo === null || key <= range.upTo));

// Structured copies, so nothing the runner holds aliases the store's rows (as with a database).
const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/** The length of `value` as JSON text, as a SQL store would read it; `undefined` for what JSON cannot hold (a BigInt). */
function jsonLength(value: unknown): number | undefined {
  try {
    return JSON.stringify(value)?.length;
  } catch {
    return undefined;
  }
}

/**
 * Whether a `canonical_event` value is one a run wrote: a JSON object. Anything else a row may hold
 * (a number, a string, an array; text that is not JSON in a database's text column) is not an
 * event: the row counts as not migrated and the next run writes it, as every store does.
 */
const isCanonicalEventValue = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A {@link MigrationStore} over plain arrays: for tests, examples and dry runs on exported data.
 * Keys are ordered as JavaScript strings. It passes the same conformance suite as the database
 * adapters.
 */
export function createMemoryStore(seed: MemoryStoreSeed = {}, options: MemoryStoreOptions = {}): MemoryStore {
  const now = options.now ?? (() => new Date());
  const events = new Map<RowKey, EventRecord & { canonical_event: unknown }>();
  for (const e of seed.events ?? []) events.set(String(e.id), { ...copy(e), id: String(e.id), canonical_event: copy(e.canonical_event) ?? null });
  const campaigns = new Map<RowKey, StoredRow>();
  for (const c of seed.campaigns ?? []) campaigns.set(String(c.id), { ...copy(c), id: String(c.id) });
  const integrations: StoredRow[] = (seed.integrations ?? []).map((i) => ({ ...copy(i), id: String(i.id) }));
  const created = now().toISOString();
  const flags: StoredFlag[] = (seed.flags ?? []).map((f) => ({
    id: f.id == null ? crypto.randomUUID() : String(f.id),
    name: String(f.name),
    description: (f.description as string | null | undefined) ?? null,
    enabled: f.enabled === true || f.enabled === 1,
    rollout_percentage: Number(f.rollout_percentage ?? 0),
    metadata: copy((f.metadata as Record<string, unknown> | null | undefined) ?? null),
    created_at: f.created_at == null ? created : new Date(String(f.created_at)).toISOString(),
    updated_at: f.updated_at == null ? created : new Date(String(f.updated_at)).toISOString(),
  }));
  const flagChanges: FlagChange[] = [];
  const runs = new Map<string, RunCheckpoint>();
  const metrics = createMemoryFlagMetricsStore();
  const leases = new Map<string, { holder: string; expiresAt: number }>();
  // The shard boundaries recorded per migration and shard count (`events#4`).
  const shardLayouts = new Map<string, RowKey[]>();
  let schemaReady = options.schemaReady ?? true;
  const absentLegacyTables: LegacyTable[] =
    options.legacyTables === false ? (['events', 'campaigns', 'integrations'] as const).map((key) => ({ key, table: key })) : [];

  const sortedKeys = (table: Map<RowKey, unknown>) => [...table.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const selected = (event: { canonical_event: unknown }, selection: EventSelection) =>
    !isCanonicalEventValue(event.canonical_event) ||
    (selection.renormalize !== undefined && isOutdated(event.canonical_event, selection.renormalize));
  const assertHolder = (runKey: string, holder: string) => {
    const lease = leases.get(runKey);
    if (!lease || lease.holder !== holder || lease.expiresAt < now().getTime()) throw new LeaseLostError(runKey, holder);
  };

  /** How many events have a key in (`after`, `upTo`]. */
  const countKeys = (after: RowKey | null, upTo: RowKey) => {
    let n = 0;
    for (const key of events.keys()) if ((after === null || key > after) && key <= upTo) n++;
    return n;
  };
  // The events at or behind the whole-table events checkpoint's cursor, kept with each checkpoint as the SQL stores keep `rows_behind`.
  let rowsBehind: number | null = null;
  /** Moves {@link rowsBehind} with the cursor of `checkpoint`, before it is stored (a whole-table events checkpoint only). */
  function keepRowsBehind(checkpoint: RunCheckpoint): void {
    if (checkpoint.runKey !== 'events') return;
    const before = runs.get('events')?.cursor ?? null;
    const to = checkpoint.cursor;
    if (to === null) rowsBehind = 0;
    else if (before === null) rowsBehind = countKeys(null, to);
    else if (rowsBehind !== null) rowsBehind += countKeys(before, to) - countKeys(to, before);
  }

  /**
   * The events' totals from the last whole-table checkpoint bound to this table, as the SQL stores
   * count them: as total the events behind the cursor as the checkpoint counted them plus those
   * past it; as remaining the events past the cursor lacking a canonical event, the listed failed
   * ones behind it still lacking one, and the failures counted beyond the listed ones. Rows
   * inserted, deleted or changed behind the cursor since are not seen, so the answer says
   * `basis: 'checkpoint'`; `null` without such a checkpoint.
   */
  function eventStatusFromCheckpoint(): TableStatus | null {
    const checkpoint = runs.get('events');
    const scope = checkpoint?.scope;
    if (checkpoint === undefined || checkpoint.cursor === null || scope == null || scope.range !== null || scope.renormalize || scope.source !== EVENTS_SOURCE) return null;
    const cursor = checkpoint.cursor;
    const listed = new Set(checkpoint.failures.flatMap((failure) => (failure.id === null ? [] : [failure.id])));
    let remaining = 0;
    let past = 0;
    for (const event of events.values()) {
      if (event.id > cursor) past++;
      if (isCanonicalEventValue(event.canonical_event)) continue;
      if (event.id > cursor || listed.has(event.id)) remaining++;
    }
    const total = (rowsBehind ?? countKeys(null, cursor)) + past;
    // Failures past the stored list (MAX_STORED_FAILURES) are known by their count only.
    remaining += Math.max(0, (checkpoint.counts.failed ?? 0) - checkpoint.failures.length);
    remaining = Math.min(remaining, total);
    return { total, migrated: total - remaining, remaining, basis: 'checkpoint' };
  }

  function keyBoundaries(migration: MigrationName, parts: number): RowKey[] {
    const keys = sortedKeys(migration === 'events' ? events : campaigns);
    const boundaries: RowKey[] = [];
    for (let i = 1; i < parts; i++) {
      const key = keys[Math.floor((keys.length * i) / parts) - 1];
      if (key !== undefined && key !== boundaries.at(-1)) boundaries.push(key);
    }
    return boundaries;
  }

  function record(write: FlagWrite, flagName: string, field: FlagChange['field'], from: unknown, to: unknown, changedAt: string): FlagChange {
    const change: FlagChange = { id: String(flagChanges.length + 1), flagName, field, from: copy(from), to: copy(to), actor: write.actor, changedAt, revertsChangeId: write.revertsChangeId ?? null };
    flagChanges.push(change);
    return change;
  }

  return {
    kind: 'memory',
    // Its writes never wait, so two in flight are one after the other; it honours `follows`, which the runner's tests use.
    maxWritesInFlight: 2,
    sourceOf: async (migration) => (migration === 'events' ? EVENTS_SOURCE : 'campaigns.id'),
    async ensureSchema() {
      if (absentLegacyTables.length > 0) throw new LegacyTableMissingError(absentLegacyTables);
      schemaReady = true;
    },
    async inspectSchema(): Promise<SchemaInspection> {
      if (absentLegacyTables.length > 0) {
        return { ready: false, readable: false, absent: [], missing: [...MEMORY_SCHEMA], pending: [], missingLegacyTables: absentLegacyTables.map((t) => ({ ...t })) };
      }
      // Without its schema a memory store stands for a database without any table, legacy ones included.
      return schemaReady
        ? { ready: true, readable: true, absent: [], missing: [], pending: [] }
        : { ready: false, readable: false, absent: [], missing: [...MEMORY_SCHEMA], pending: [] };
    },

    async acquireLease(runKey, holder, ttlMs, leaseOptions): Promise<LeaseResult> {
      const t = now().getTime();
      const lease = leases.get(runKey);
      if (lease && lease.holder !== holder && lease.holder !== leaseOptions?.takeOverFrom && lease.expiresAt >= t) {
        return { acquired: false, holder: lease.holder, expiresAt: new Date(lease.expiresAt).toISOString() };
      }
      for (const [other, live] of leases) {
        if (live.expiresAt >= t && runsOverlap(runKey, other)) return { acquired: false, holder: live.holder, expiresAt: new Date(live.expiresAt).toISOString(), runKey: other };
      }
      leases.set(runKey, { holder, expiresAt: t + ttlMs });
      return { acquired: true };
    },
    async releaseLease(runKey, holder) {
      if (leases.get(runKey)?.holder === holder) leases.delete(runKey);
    },

    async readCheckpoint(runKey) {
      return copy(runs.get(runKey)) ?? null;
    },
    async readCheckpoints(runKeys) {
      return runKeys.map((runKey) => copy(runs.get(runKey)) ?? null);
    },
    async listCheckpoints(migration) {
      const keys = [...runs.keys()].filter((runKey) => isRunOf(migration, runKey)).sort(compareRunKeys);
      return keys.map((runKey) => copy(runs.get(runKey))!);
    },
    async writeCheckpoint(checkpoint, holder) {
      assertHolder(checkpoint.runKey, holder);
      keepRowsBehind(checkpoint);
      runs.set(checkpoint.runKey, copy(checkpoint));
    },

    async countEvents(selection) {
      let n = 0;
      for (const event of events.values()) if (inRange(event.id, selection.range) && selected(event, selection)) n++;
      return n;
    },
    async readEventBatch(selection, after, limit) {
      const batch: EventRecord[] = [];
      for (const key of sortedKeys(events)) {
        if (batch.length >= limit) break;
        if (after !== null && key <= after) continue;
        const event = events.get(key)!;
        if (!inRange(key, selection.range) || !selected(event, selection)) continue;
        const { canonical_event: _, ...row } = event;
        // As a SQL store reads it as text: the length of the payload's JSON lets the runner weigh its batches.
        const length = jsonLength(row.event_data);
        batch.push({ ...copy(row), ...(length === undefined ? {} : { eventDataLength: length }) });
      }
      return batch;
    },
    async writeEventBatch(write: BatchWrite<EventUpdate>, selection) {
      assertHolder(write.checkpoint.runKey, write.holder);
      if (write.follows !== undefined) {
        // The batch before it commits first (its rows and checkpoint, or nothing); this one's checkpoint must follow it.
        const { cursor } = write.follows;
        const committed = await write.follows.committed.then(
          () => true,
          () => false,
        );
        assertHolder(write.checkpoint.runKey, write.holder);
        if (!committed || (runs.get(write.checkpoint.runKey)?.cursor ?? null) !== cursor) throw new BatchOutOfOrderError(write.checkpoint.runKey, cursor);
      }
      let written = 0;
      for (const update of write.updates) {
        const event = events.get(update.id);
        if (!event || !selected(event, selection)) continue;
        event.canonical_event = copy(update.canonicalEvent);
        written++;
      }
      keepRowsBehind(write.checkpoint);
      runs.set(write.checkpoint.runKey, copy(write.checkpoint));
      return written;
    },

    async keyBoundaries(migration: MigrationName, parts) {
      return keyBoundaries(migration, parts);
    },

    async shardBoundaries(migration: MigrationName, parts, boundaryOptions) {
      if (!Number.isSafeInteger(parts) || parts < 2) return [];
      const recorded = shardLayouts.get(`${migration}#${parts}`);
      if (recorded !== undefined) return [...recorded];
      const boundaries = keyBoundaries(migration, parts);
      if (boundaryOptions?.record === true) shardLayouts.set(`${migration}#${parts}`, [...boundaries]);
      return boundaries;
    },

    async readCampaignBatch(after, limit, range) {
      const batch: StoredRow[] = [];
      for (const key of sortedKeys(campaigns)) {
        if (batch.length >= limit) break;
        if ((after !== null && key <= after) || !inRange(key, range)) continue;
        batch.push(copy(campaigns.get(key)!));
      }
      return batch;
    },
    async readIntegrations() {
      return copy(integrations);
    },
    async writeCampaignBatch(write: BatchWrite<CampaignUpdate>) {
      assertHolder(write.checkpoint.runKey, write.holder);
      let written = 0;
      for (const update of write.updates) {
        const campaign = campaigns.get(update.id);
        if (!campaign) continue;
        campaign.data_sources_v2 = copy(update.dataSourcesV2);
        written++;
      }
      runs.set(write.checkpoint.runKey, copy(write.checkpoint));
      return written;
    },

    async sampleMigratedEvents(limit) {
      // Every event with a value, an event or not, so verify reports one that is not (`not_an_event`).
      const migrated = sortedKeys(events)
        .map((key) => events.get(key)!)
        .filter((e) => e.canonical_event != null);
      const step = Math.max(1, Math.floor(migrated.length / Math.max(1, limit)));
      const sample: StoredEvent[] = [];
      for (let i = 0; i < migrated.length && sample.length < limit; i += step) {
        const e = migrated[i]!;
        const payload = (e.canonical_event as { payload?: unknown } | null)?.payload;
        // Values here are the very JSON values written (no driver in between), so equal text is equal JSON.
        const payloadMatches = payload !== undefined && JSON.stringify(payload) === JSON.stringify(e.event_data);
        sample.push(copy({ id: e.id, event_data: e.event_data, canonical_event: e.canonical_event, payloadMatches }));
      }
      return sample;
    },
    async eventStatus(statusOptions): Promise<TableStatus> {
      if (statusOptions?.fromCheckpoint === true) {
        const fromCheckpoint = eventStatusFromCheckpoint();
        if (fromCheckpoint !== null) return fromCheckpoint;
      }
      let migrated = 0;
      for (const e of events.values()) if (isCanonicalEventValue(e.canonical_event)) migrated++;
      return { total: events.size, migrated, remaining: events.size - migrated };
    },
    async campaignStatus(): Promise<TableStatus> {
      let migrated = 0;
      for (const c of campaigns.values()) if (Array.isArray(c.data_sources_v2) && c.data_sources_v2.length > 0) migrated++;
      return { total: campaigns.size, migrated, remaining: campaigns.size - migrated };
    },

    async listFlags() {
      return flagList(copy([...flags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))));
    },
    async getFlag(name) {
      return copy(flags.find((f) => f.name === name)) ?? null;
    },
    async createFlag(flag: NewFlag, write: FlagWrite): Promise<FlagWriteResult> {
      const refused = validateNewFlag(flag, write);
      if (refused !== null) return refused;
      if (flags.some((f) => f.name === flag.name)) return { ok: false, reason: 'exists', name: flag.name };
      const at = now().toISOString();
      const stored: StoredFlag = {
        id: crypto.randomUUID(),
        name: flag.name,
        description: flag.description ?? null,
        enabled: flag.enabled ?? false,
        rollout_percentage: flag.rollout_percentage ?? 0,
        metadata: copy(flag.metadata) ?? null,
        created_at: at,
        updated_at: at,
      };
      flags.push(stored);
      const change = record(write, flag.name, 'flag', null, flagSnapshotOf(stored), at);
      return { ok: true, flag: copy(stored), changes: [copy(change)] };
    },
    async updateFlag(name, patch: FlagPatch, write: FlagWrite): Promise<FlagWriteResult> {
      const refused = validateFlagWrite(name, patch, write);
      if (refused !== null) return refused;
      const flag = flags.find((f) => f.name === name);
      if (!flag) return { ok: false, reason: 'not_found', name };
      const conflicts = unexpectedFields(flag, write.expected);
      if (conflicts.length > 0) return { ok: false, reason: 'conflict', flag: copy(flag), fields: conflicts };
      const at = now().toISOString();
      const changes = changedFields(flag, patch).map((field) => {
        const change = record(write, name, field, flag[field], patch[field], at);
        Object.assign(flag, { [field]: copy(patch[field]) });
        return copy(change);
      });
      if (changes.length > 0) flag.updated_at = at;
      return { ok: true, flag: copy(flag), changes };
    },
    async deleteFlag(name, write: FlagWrite): Promise<FlagWriteResult> {
      const refused = validateFlagWrite(name, {}, write);
      if (refused !== null) return refused;
      const index = flags.findIndex((f) => f.name === name);
      if (index < 0) return { ok: false, reason: 'not_found', name };
      const flag = flags[index]!;
      const conflicts = unexpectedFields(flag, write.expected);
      if (conflicts.length > 0) return { ok: false, reason: 'conflict', flag: copy(flag), fields: conflicts };
      flags.splice(index, 1);
      const change = record(write, name, 'flag', flagSnapshotOf(flag), null, now().toISOString());
      return { ok: true, flag: null, changes: [copy(change)] };
    },
    async readFlagHistory(query: FlagHistoryQuery = {}) {
      const limit = historyLimit(query.limit);
      const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
      const found: FlagChange[] = [];
      for (let i = flagChanges.length - 1; i >= 0 && found.length < limit; i--) {
        const change = flagChanges[i]!;
        if (Number(change.id) < before && (query.name === undefined || change.flagName === query.name)) found.push(copy(change));
      }
      return found;
    },
    async readFlagChange(id) {
      return copy(flagChanges.find((change) => change.id === id)) ?? null;
    },

    writeFlagMetrics: (rows) => metrics.writeFlagMetrics(rows),
    readFlagMetrics: (query) => metrics.readFlagMetrics(query),
    deleteFlagMetrics: (query) => metrics.deleteFlagMetrics(query),

    async close() {},

    snapshot() {
      return copy({
        events: sortedKeys(events).map((key) => {
          const e = events.get(key)!;
          return { id: e.id, event_data: e.event_data, canonical_event: e.canonical_event };
        }),
        campaigns: sortedKeys(campaigns).map((key) => campaigns.get(key)!),
        flags,
        flagChanges,
        runs: [...runs.values()],
        schemaReady,
      });
    },
  };
}
