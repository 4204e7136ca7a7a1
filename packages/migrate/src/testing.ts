/**
 * `@app/migrate/testing`: the conformance suite every {@link MigrationStore} adapter runs, so all
 * adapters behave the same. It imports vitest (an optional peer dependency of `@app/migrate`:
 * install `vitest` 3 or later as a dev dependency). Call it from a vitest test file of the adapter:
 *
 * ```ts
 * import { describeMigrationStoreConformance } from '@app/migrate/testing';
 * describeMigrationStoreConformance(
 *   'postgres',
 *   async (seed) => {
 *     const store = await createFreshStoreWith(seed);
 *     return { store, snapshot: () => readAllTables(), dispose: () => dropEverything() };
 *   },
 *   async () => {
 *     const store = createStoreOnAnEmptyDatabase(); // no ensureSchema()
 *     return { store, catalog: () => readTheCatalog(), dispose: () => dropEverything() };
 *   },
 * );
 * ```
 *
 * @packageDocumentation
 */
import { type FlagMetricRow, createRolloutPlan } from '@app/flags';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_OWNER_A, SEED_OWNER_B, type SeedEvent, type StoreSeed, conformanceSeed } from './conformance-seed.js';
import { CheckpointMismatchError, DataRejectedError, LeaseLostError, LegacyTableMissingError, MigrationError, RunLockedError, RunOverlapError, SchemaNotReadyError } from './errors.js';
import type { EventMigrationReport } from './event-migration-report.js';
import { runsOverlap } from './shard.js';
import type { FlagMetricsStore } from './flag-metrics-store.js';
import type { FlagStore } from './flag-store.js';
import type { MigrationProgress } from './migration-progress.js';
import type { DatabaseHealth, DatabaseHealthReading } from './database-health.js';
import type { EventSelection, MigrationStore, StoredRow } from './migration-store.js';
import { type RunListing, hasRunListing } from './run-listing.js';
import { revertFlagChange } from './revert-flag-change.js';
import { runCampaignMigration } from './run-campaign-migration.js';
import { runEventMigration } from './run-event-migration.js';
import { runEventMigrationWorkers } from './run-event-migration-workers.js';
import { verifyMigration } from './verify-migration.js';

export { SEED_OWNER_A, SEED_OWNER_B, type SeedEvent, type StoreSeed, conformanceSeed } from './conformance-seed.js';

/** Every table of a store, read directly (not through the port), to compare before and after. */
export interface StoreSnapshot {
  events: { id: string; event_data: unknown; canonical_event: unknown }[];
  campaigns: StoredRow[];
  /** Every `feature_flags` row, by name, as the database has it. */
  flags: object[];
}

/** A fresh store holding the seed, with a way to read it back and to clean it up. */
export interface ConformanceHarness {
  /**
   * The store under test: the three ports every adapter's store implements, and `RunListing`
   * where it does (every adapter of this repository; the listing case is skipped without it).
   */
  store: MigrationStore & FlagStore & FlagMetricsStore & Partial<RunListing>;
  /** Reads every table directly, ordered by key (events, campaigns) and name (flags). */
  snapshot(): Promise<StoreSnapshot>;
  /**
   * Drops the flag history table behind the store's back (a database adapter's harness runs
   * `DROP TABLE feature_flag_changes`), so the suite can show that a flag change whose history
   * row cannot be written is not written either. Absent for stores without tables (memory).
   */
  dropFlagHistory?(): Promise<void>;
  /**
   * Writes into the `created_at` of flag `name`, behind the store's back, a value the column
   * holds and the store cannot read as a time (PostgreSQL `'infinity'`, a MariaDB zero date, SQLite
   * text that is no time), so the suite can show that one unreadable row does not hide the others.
   * Absent for stores without tables (memory).
   */
  breakFlagRow?(name: string): Promise<void>;
  /**
   * Inserts events behind the store's back (as the application would while a migration runs), so
   * the suite can show that shards started before and after cut the table at the same keys.
   * Absent for stores without tables (memory): that part of the case is then skipped.
   */
  insertEvents?(events: SeedEvent[]): Promise<void>;
  /**
   * Makes the events `ids` rows the database refuses to write, behind the store's back: their
   * `event_data` gets a value the legacy column holds, the store reads and the normalizers accept,
   * and the database refuses once it is written into the canonical event (PostgreSQL: a `json`
   * column holding `"\u0000"`, which jsonb cannot; MariaDB: text with a lone surrogate its JSON
   * functions reject; SQLite: JSON nested deeper than its JSON functions read, or a rule of the
   * team's own, a trigger, where a CHECK keeps the column to JSON SQLite reads). The suite then
   * checks that one such row never stops a batch nor loses its good rows. Every database adapter
   * supplies it; without it (memory, which refuses nothing) the refusal is simulated.
   */
  poisonEvents?(ids: readonly string[]): Promise<void>;
  /** Drops what the harness created (schema, database, files). */
  dispose?(): Promise<void>;
}

/**
 * A store over a database the migration schema was never created in (holding only the legacy
 * tables, or nothing at all), before any `ensureSchema()`: what `app-migrate` meets on its first
 * run, or with a misspelt table name.
 */
export interface UnpreparedHarness {
  store: MigrationStore;
  /**
   * Reads the database's catalog directly (not through the port): tables, columns, and whatever
   * else `ensureSchema()` may change (row-level security, policies, journal mode…), as any JSON
   * value that differs as soon as DDL ran.
   */
  catalog(): Promise<unknown>;
  /** Drops what the harness created. */
  dispose?(): Promise<void>;
}

const ALL: EventSelection = {};

/** Reads every selected event through the port, in batches of `size`. */
async function readAll(store: MigrationStore, size: number, selection: EventSelection = ALL) {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const batch = await store.readEventBatch(selection, after, size);
    if (batch.length === 0) return ids;
    expect(batch.length).toBeLessThanOrEqual(size);
    ids.push(...batch.map((e) => e.id));
    after = batch.at(-1)!.id;
  }
}

/** `store` with `hook` awaited before each of its event batch writes (numbered from 1), so a test can start another runner at a chosen point. */
function beforeEachWrite(store: MigrationStore, hook: (write: number) => Promise<void>): MigrationStore {
  let writes = 0;
  const hooked: MigrationStore = Object.create(store);
  hooked.writeEventBatch = async (write, selection) => {
    await hook(++writes);
    return store.writeEventBatch(write, selection);
  };
  return hooked;
}

/**
 * The store of `harness` with the events `ids` made rows its database refuses to write
 * (`harness.poisonEvents`). A store without a database (memory) refuses nothing: the refusal is
 * simulated there, as such a database would refuse, failing the whole write and writing nothing.
 */
async function refusingRows(harness: ConformanceHarness, ids: readonly string[]): Promise<MigrationStore> {
  if (harness.poisonEvents !== undefined) {
    await harness.poisonEvents(ids);
    return harness.store;
  }
  const poison = new Set(ids);
  const refusing: MigrationStore = Object.create(harness.store);
  refusing.writeEventBatch = async (write, selection) => {
    const bad = write.updates.find((update) => poison.has(update.id));
    if (bad !== undefined) throw new DataRejectedError(`the memory store refuses ${bad.id}`);
    return harness.store.writeEventBatch(write, selection);
  };
  return refusing;
}

const migratedEvents = async (harness: ConformanceHarness) => (await harness.snapshot()).events.filter((e) => e.canonical_event != null).length;

const usable = (e: SeedEvent) => typeof e.event_data === 'object' && e.event_data !== null;

/** The conformance seed with its events repeated (fresh keys, same payloads) up to `count` rows. */
function seedWithEvents(count: number): StoreSeed {
  const seed = conformanceSeed();
  const base = [...seed.events];
  for (let n = base.length + 1; n <= count; n++) {
    const from = base[(n - 1) % base.length]!;
    seed.events.push({ ...(JSON.parse(JSON.stringify(from)) as SeedEvent), id: `evt-${String(n).padStart(4, '0')}` });
  }
  return seed;
}

/** What {@link describeMigrationStoreConformance} asks of an unprepared database. */
export interface UnpreparedOptions {
  /**
   * Create the legacy tables (events, campaigns, integrations, as a team has them, without the
   * migration's columns) before returning; `false`: an empty database. Never through the store:
   * the store under test must be created without any option that lets it create those tables.
   */
  legacyTables: boolean;
}

/**
 * Registers the conformance suite for one adapter. `create` gets the seed and must return a
 * fresh store holding exactly those rows (after `ensureSchema`), isolated from other tests; keep
 * the legacy tables' `user_id` an integer column where the database has one (the seed's owners
 * are past 2^53). `createUnprepared` must return a store on a fresh database without the
 * migration schema (no `ensureSchema()` yet): the suite checks that dry runs and reads change
 * nothing there, not even the catalog, that `ensureSchema()` then completes the schema, and that
 * without the legacy tables it refuses and creates nothing.
 */
export function describeMigrationStoreConformance(
  name: string,
  create: (seed: StoreSeed) => Promise<ConformanceHarness>,
  createUnprepared: (options: UnpreparedOptions) => Promise<UnpreparedHarness>,
): void {
  describe(`MigrationStore conformance: ${name}`, () => {
    const open: (ConformanceHarness | UnpreparedHarness)[] = [];
    const fresh = async (seed: StoreSeed = conformanceSeed()) => {
      const harness = await create(seed);
      open.push(harness);
      await harness.store.ensureSchema();
      return { harness, store: harness.store, seed };
    };
    afterEach(async () => {
      for (const harness of open.splice(0)) {
        await harness.store.close();
        await harness.dispose?.();
      }
    });

    it('creates its schema idempotently and reads the seed back unchanged', async () => {
      const { harness, store, seed } = await fresh();
      await store.ensureSchema();
      const snapshot = await harness.snapshot();
      expect(snapshot.events.map((e) => e.id)).toEqual(seed.events.map((e) => e.id));
      for (const [i, e] of snapshot.events.entries()) {
        expect(e.event_data).toEqual(seed.events[i]!.event_data);
        expect(e.canonical_event).toBeNull();
      }
      expect(snapshot.campaigns.map((c) => c.id)).toEqual(seed.campaigns.map((c) => c.id));
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 0, remaining: 120 });
      expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    });

    it('never changes the schema before ensureSchema: dry runs and reads run read-only on the legacy tables, or refuse with SCHEMA_NOT_READY without them, and leave the catalog as it was', async () => {
      const harness = await createUnprepared({ legacyTables: true });
      open.push(harness);
      const { store } = harness;
      const catalog = await harness.catalog();
      const inspection = await store.inspectSchema();
      expect(inspection.ready).toBe(false);
      expect(inspection.missing.length).toBeGreaterThan(0);
      expect(inspection.absent).toEqual([]);
      expect(await store.inspectSchema()).toEqual(inspection);

      // An applying run never creates the schema itself.
      const writing = await runEventMigration({ store, apply: true }).catch((e: unknown) => e);
      expect(writing).toMatchObject({ code: 'SCHEMA_NOT_READY', missing: inspection.missing });
      await expect(runCampaignMigration({ store, apply: true })).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY' });
      expect(await harness.catalog()).toEqual(catalog);
      if (inspection.readable) {
        // Only the legacy tables: what ensureSchema adds reads as "nothing migrated yet".
        expect(await runEventMigration({ store, batchSize: 7 })).toMatchObject({ mode: 'dry-run', status: 'completed', counts: { written: 0 } });
        expect(await runEventMigration({ store, renormalize: true, shard: { index: 1, count: 2 } })).toMatchObject({ mode: 'dry-run' });
        expect((await runCampaignMigration({ store })).written).toBe(0);
        expect(await verifyMigration(store)).toMatchObject({ ok: true, sampled: 0, events: { migrated: 0 }, campaigns: { migrated: 0 } });
        expect(await store.readCheckpoint('events')).toBeNull();
        expect(await store.readCheckpoints(['events', 'campaigns', 'events#1/2'])).toEqual([null, null, null]);
        expect(await harness.catalog()).toEqual(catalog);
        expect(await store.inspectSchema()).toEqual(inspection);
        await store.ensureSchema();
        expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
        return;
      }

      const refused = await runEventMigration({ store, batchSize: 7 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SchemaNotReadyError);
      expect(refused).toBeInstanceOf(MigrationError);
      expect(refused).toMatchObject({ code: 'SCHEMA_NOT_READY', missing: inspection.missing });
      for (const item of inspection.missing) expect((refused as Error).message).toContain(item);
      expect((refused as Error).message).toContain('app-migrate init');
      await expect(runEventMigration({ store, renormalize: true, shard: { index: 1, count: 2 } })).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY' });
      await expect(runCampaignMigration({ store })).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY' });
      await expect(verifyMigration(store)).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY' });
      expect(await harness.catalog()).toEqual(catalog);
      expect(await store.inspectSchema()).toEqual(inspection);

      await store.ensureSchema();
      const created = await harness.catalog();
      expect(created).not.toEqual(catalog);
      expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
      await store.ensureSchema();
      expect(await harness.catalog()).toEqual(created);
      const dry = await runEventMigration({ store });
      expect(dry).toMatchObject({ mode: 'dry-run', status: 'completed', counts: { written: 0 } });
      expect((await runCampaignMigration({ store })).written).toBe(0);
      expect(await harness.catalog()).toEqual(created);
    });

    it("never creates the application's tables: without them ensureSchema and every run refuse with LEGACY_TABLE_MISSING, naming each table and its option, and create nothing", async () => {
      const harness = await createUnprepared({ legacyTables: false });
      open.push(harness);
      const { store } = harness;
      const catalog = await harness.catalog();
      const inspection = await store.inspectSchema();
      expect(inspection.ready).toBe(false);
      expect(inspection.missingLegacyTables?.map((t) => t.key)).toEqual(['events', 'campaigns', 'integrations']);
      const refused = await store.ensureSchema().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LegacyTableMissingError);
      expect(refused).toMatchObject({ code: 'LEGACY_TABLE_MISSING', tables: inspection.missingLegacyTables });
      for (const table of inspection.missingLegacyTables ?? []) {
        expect((refused as Error).message).toContain(`"${table.table}"`);
        expect((refused as Error).message).toContain(`names.${table.key}.table`);
      }
      await expect(runEventMigration({ store })).rejects.toMatchObject({ code: 'LEGACY_TABLE_MISSING' });
      await expect(runEventMigration({ store, apply: true })).rejects.toMatchObject({ code: 'LEGACY_TABLE_MISSING' });
      await expect(runCampaignMigration({ store, apply: true })).rejects.toMatchObject({ code: 'LEGACY_TABLE_MISSING' });
      expect(await harness.catalog()).toEqual(catalog);
    });

    it('keeps owners past 2^53 exact: read back as their digits, and a campaign never gets the integration of the owner one below', async () => {
      const { harness, store } = await fresh();
      const exact = (value: unknown) => {
        expect(typeof value === 'number' ? Number.isSafeInteger(value) : typeof value === 'string' || typeof value === 'bigint').toBe(true);
        return String(value);
      };
      const campaigns = await store.readCampaignBatch(null, 10);
      expect(campaigns.map((c) => exact(c.user_id))).toEqual([SEED_OWNER_A, SEED_OWNER_A, SEED_OWNER_B, SEED_OWNER_B, SEED_OWNER_A]);
      const integrations = await store.readIntegrations();
      expect(integrations.map((i) => [i.id, exact(i.user_id)])).toEqual([
        ['int-123', SEED_OWNER_A],
        ['int-456', SEED_OWNER_B],
        ['int-789', SEED_OWNER_B],
      ]);
      // campaign-2 (owner …993, stripe): the only Stripe integration is owner …992's.
      const run = await runCampaignMigration({ store, apply: true });
      expect(run.written).toBe(2);
      const campaign2 = run.report.items.find((item) => item.campaignId === 'campaign-2');
      expect(campaign2).toMatchObject({ outcome: 'ambiguous', reasons: ['NO_MATCHING_INTEGRATION'] });
      expect((await harness.snapshot()).campaigns.find((c) => c.id === 'campaign-2')!.data_sources_v2).toBeNull();
    });

    it('pages with keyset pagination: every selected row once, in key order, in any batch size', async () => {
      const { store, seed } = await fresh();
      const expected = seed.events.map((e) => e.id);
      for (const size of [1, 7, 50, 500]) expect(await readAll(store, size)).toEqual(expected);
      expect(await store.countEvents(ALL)).toBe(120);
      const after = await store.readEventBatch(ALL, 'evt-0100', 100);
      expect(after.map((e) => e.id)).toEqual(expected.slice(100));
      expect(after[0]).toMatchObject({ id: 'evt-0101', integration_type: seed.events[100]!.integration_type });
    });

    it('a dry run writes nothing at all and reports what it would write', async () => {
      const { harness, store } = await fresh();
      const before = await harness.snapshot();
      const report = await runEventMigration({ store, batchSize: 7 });
      expect(await harness.snapshot()).toEqual(before);
      expect(await store.readCheckpoint('events')).toBeNull();
      expect(report).toMatchObject({ mode: 'dry-run', status: 'completed', counts: { selected: 120, processed: 120, written: 0, wouldWrite: 117, failed: 3 } });
      const campaigns = await runCampaignMigration({ store, batchSize: 2 });
      expect(await harness.snapshot()).toEqual(before);
      expect(campaigns.written).toBe(0);
      expect(campaigns.report.summary.writes).toBe(2);
    });

    it('applies: every usable event gets its canonical event, the payload is the original, bad rows are reported by id', async () => {
      const { harness, store, seed } = await fresh();
      const report = await runEventMigration({ store, apply: true, batchSize: 9 });
      expect(report.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
      expect(report.failures.map((f) => f.id)).toEqual(['evt-0040', 'evt-0080', 'evt-0120']);
      for (const failure of report.failures) expect(failure.reason).toContain(failure.id!);
      const snapshot = await harness.snapshot();
      for (const [i, row] of snapshot.events.entries()) {
        const original = seed.events[i]!;
        expect(row.event_data).toEqual(original.event_data);
        if (!usable(original)) {
          expect(row.canonical_event).toBeNull();
          continue;
        }
        const event = row.canonical_event as { event_id: string; payload: unknown; normalized: Record<string, unknown> };
        expect(event.event_id).toBe(row.id);
        expect(JSON.stringify(event.payload)).toBe(JSON.stringify(row.event_data));
        expect(event.normalized['meta.provider']).toBe(original.integration_type === 'zapier' ? 'zapier' : original.integration_type.toLowerCase());
      }
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'evt-0120', counts: { processed: 120, written: 117, failed: 3 } });
      const verification = await verifyMigration(store, { sampleSize: 50 });
      // The events are done; the campaigns are not migrated yet, and verify says which.
      expect(verification).toMatchObject({ ok: false, mismatches: [], events: { migrated: 117, remaining: 3, failed: 3 }, campaigns: { unexplained: 4 } });
      expect(verification.sampled).toBeGreaterThanOrEqual(40);
    });

    it("with canonicalPayload 'omit': every usable event gets its canonical event without a payload (the row keeps it in event_data), status counts it migrated, verify checks it against event_data", async () => {
      const { harness, store, seed } = await fresh();
      const report = await runEventMigration({ store, apply: true, batchSize: 9, canonicalPayload: 'omit' });
      expect(report.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
      const snapshot = await harness.snapshot();
      for (const [i, row] of snapshot.events.entries()) {
        const original = seed.events[i]!;
        expect(row.event_data).toEqual(original.event_data);
        if (!usable(original)) {
          expect(row.canonical_event).toBeNull();
          continue;
        }
        const event = row.canonical_event as Record<string, unknown> & { normalized: Record<string, unknown> };
        expect(event.event_id).toBe(row.id);
        expect(Object.keys(event)).not.toContain('payload');
        expect(event.normalized['meta.provider']).toBe(original.integration_type === 'zapier' ? 'zapier' : original.integration_type.toLowerCase());
      }
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      const verification = await verifyMigration(store, { sampleSize: 50 });
      expect(verification).toMatchObject({ mismatches: [], events: { migrated: 117, remaining: 3, failed: 3 } });
      expect(verification.sampled).toBeGreaterThanOrEqual(40);
      // The same normalizer version: a re-normalizing run selects none of them.
      expect((await runEventMigration({ store, renormalize: true })).counts).toMatchObject({ selected: 3 });
      await expect(runEventMigration({ store, canonicalPayload: 'none' as 'omit' })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'canonicalPayload' });
    });

    it('lists a row whose data the database refuses with its id and reason, writes the rest of its batch, and resumes past it', async () => {
      const { harness, store } = await fresh();
      // Rows the database itself refuses to write (harness.poisonEvents): the whole write fails, nothing is written.
      const poison = ['evt-0013', 'evt-0018'];
      const target = await refusingRows(harness, poison);
      let writes = 0;
      const counting: MigrationStore = Object.create(target);
      counting.writeEventBatch = async (write, selection) => {
        writes++;
        return target.writeEventBatch(write, selection);
      };
      const report = await runEventMigration({ store: counting, apply: true, batchSize: 10 });
      expect(report.counts).toMatchObject({ processed: 120, written: 115, failed: 5 });
      expect(report.failures.map((f) => [f.id, f.code])).toEqual([
        ['evt-0013', 'WRITE_REJECTED'],
        ['evt-0018', 'WRITE_REJECTED'],
        ['evt-0040', expect.any(String)],
        ['evt-0080', expect.any(String)],
        ['evt-0120', expect.any(String)],
      ]);
      for (const failure of report.failures.slice(0, 2)) expect(failure.reason).toContain(`Event ${failure.id}: the database refused its canonical event: `);
      expect(writes).toBeLessThan(12 + 2 * 8);
      const snapshot = await harness.snapshot();
      const migrated = snapshot.events.filter((e) => e.canonical_event !== null).map((e) => e.id);
      expect(migrated).toHaveLength(115);
      expect(migrated).not.toContain('evt-0013');
      expect(migrated).not.toContain('evt-0018');
      expect(migrated).toContain('evt-0012');
      expect(migrated).toContain('evt-0014');
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'evt-0120', counts: { written: 115, failed: 5 } });
      expect((await store.readCheckpoint('events'))!.failures.map((f) => f.id)).toEqual(['evt-0013', 'evt-0018', 'evt-0040', 'evt-0080', 'evt-0120']);
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 115, remaining: 5 });

      // A batch whose last row is refused still commits its checkpoint at the batch's end: a resume neither repeats nor skips.
      const second = await fresh();
      const lastRefused = await refusingRows(second.harness, ['evt-0010']);
      const limited = await runEventMigration({ store: lastRefused, apply: true, batchSize: 10, limit: 10 });
      expect(limited.counts).toMatchObject({ processed: 10, written: 9, failed: 1 });
      expect(limited.failures.map((f) => [f.id, f.code])).toEqual([['evt-0010', 'WRITE_REJECTED']]);
      expect(await second.store.readCheckpoint('events')).toMatchObject({ cursor: 'evt-0010', counts: { processed: 10, written: 9, failed: 1 } });
      const rest = await runEventMigration({ store: lastRefused, apply: true, resume: true, batchSize: 10 });
      expect(rest.counts).toMatchObject({ processed: 120, written: 116, failed: 4 });
      expect(await second.store.eventStatus()).toEqual({ total: 120, migrated: 116, remaining: 4 });
    });

    it('counts events from the checkpoint when asked: the same totals as counting every row, from key lookups past the cursor', async () => {
      const { store } = await fresh();
      const exact = () => store.eventStatus();
      const fromCheckpoint = async () => {
        const { basis: _, ...counts } = await store.eventStatus({ fromCheckpoint: true });
        return counts;
      };
      // Without a checkpoint every row is counted, and the answer says nothing of a checkpoint.
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual(await exact());
      await runEventMigration({ store, apply: true, batchSize: 10, limit: 50 });
      expect(await exact()).toEqual({ total: 120, migrated: 49, remaining: 71 });
      expect(await fromCheckpoint()).toEqual(await exact());
      expect(await store.eventStatus({ fromCheckpoint: true })).toMatchObject({ basis: 'checkpoint' });
      const report = await runEventMigration({ store, apply: true, resume: true, batchSize: 10 });
      // A resumed run counts only past its cursor: the 70 events left there.
      expect(report.counts.selected).toBe(70);
      expect(await exact()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      expect(await fromCheckpoint()).toEqual(await exact());
      const noop = await runEventMigration({ store, apply: true, resume: true });
      expect(noop.counts).toMatchObject({ selected: 0, processed: 120, written: 117, failed: 3 });

      // What the checkpoint says is what counts: failures beyond its list (MAX_STORED_FAILURES) are
      // remaining rows, and a checkpoint of a shard or of another selection is not used at all.
      const checkpoint = (await store.readCheckpoint('events'))!;
      expect(await store.acquireLease('events', 'status-check', 60_000)).toEqual({ acquired: true });
      await store.writeCheckpoint({ ...checkpoint, counts: { ...checkpoint.counts, failed: 5 } }, 'status-check');
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 120, migrated: 115, remaining: 5, basis: 'checkpoint' });
      expect(await exact()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      for (const scope of [{ ...checkpoint.scope!, renormalize: true }, { ...checkpoint.scope!, range: { after: null, upTo: 'evt-0060' } }, { ...checkpoint.scope!, source: `${checkpoint.scope!.source}_b` }, null]) {
        await store.writeCheckpoint({ ...checkpoint, counts: { ...checkpoint.counts, failed: 5 }, scope }, 'status-check');
        expect(await store.eventStatus({ fromCheckpoint: true })).toEqual(await exact());
      }
      await store.releaseLease('events', 'status-check');
    });

    it('keeps the count of events behind the cursor with each checkpoint: status adds the rows past it and never reads behind it, so rows inserted behind it since are not seen', async () => {
      const { harness, store, seed } = await fresh();
      const exact = () => store.eventStatus();
      const fromCheckpoint = async () => {
        const { basis, ...counts } = await store.eventStatus({ fromCheckpoint: true });
        expect(basis).toBe('checkpoint');
        return counts;
      };
      await runEventMigration({ store, apply: true, batchSize: 7, limit: 30 });
      expect(await fromCheckpoint()).toEqual(await exact());
      // A write refused for a lost lease moves neither the cursor nor the count.
      const checkpoint = (await store.readCheckpoint('events'))!;
      expect(await store.acquireLease('events', 'first', 60_000)).toEqual({ acquired: true });
      expect(await store.acquireLease('events', 'second', 60_000, { takeOverFrom: 'first' })).toEqual({ acquired: true });
      await expect(store.writeCheckpoint({ ...checkpoint, cursor: 'evt-0100' }, 'first')).rejects.toBeInstanceOf(LeaseLostError);
      expect(await fromCheckpoint()).toEqual(await exact());
      // A cursor moved back (a checkpoint written by hand) takes the rows between off the count; moved on, adds them.
      await store.writeCheckpoint({ ...checkpoint, cursor: 'evt-0010' }, 'second');
      expect(await fromCheckpoint()).toEqual({ total: 120, migrated: 30, remaining: 90 });
      await store.writeCheckpoint(checkpoint, 'second');
      expect(await fromCheckpoint()).toEqual(await exact());
      await store.releaseLease('events', 'second');
      await runEventMigration({ store, apply: true, resume: true, batchSize: 7 });
      expect(await exact()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      expect(await fromCheckpoint()).toEqual(await exact());
      if (harness.insertEvents === undefined) return;
      // The application inserts two events behind the cursor and one past it: status counts the
      // one past it (total and remaining), not the two behind (what the checkpoint counted is kept).
      const event = (id: string) => ({ ...seed.events[0]!, id, canonical_event: null });
      await harness.insertEvents([event('evt-0000-01'), event('evt-0000-02'), event('evt-0121')]);
      expect(await exact()).toEqual({ total: 123, migrated: 117, remaining: 6 });
      expect(await fromCheckpoint()).toEqual({ total: 121, migrated: 117, remaining: 4 });
      // A resume reads past the cursor only; a run that starts over counts the table again.
      await runEventMigration({ store, apply: true, resume: true });
      expect(await fromCheckpoint()).toEqual({ total: 121, migrated: 118, remaining: 3 });
      await runEventMigration({ store, apply: true });
      expect(await exact()).toEqual({ total: 123, migrated: 120, remaining: 3 });
      expect(await fromCheckpoint()).toEqual(await exact());
    });

    it('compares sampled payloads in the store: a canonical event whose payload is not its row\'s event_data is reported', async () => {
      const { store, seed } = await fresh();
      await runEventMigration({ store, apply: true, batchSize: 50 });
      const intact = await store.sampleMigratedEvents(500);
      expect(intact).toHaveLength(117);
      expect(intact.every((e) => e.payloadMatches)).toBe(true);

      // A writer that changed one field of one payload; `renormalize: {}` selects every migrated row.
      expect(await store.acquireLease('damage', 'bad-writer', 60_000)).toEqual({ acquired: true });
      const original = seed.events[1]!;
      const damaged = { event_id: original.id, payload: { ...(original.event_data as object), city: 'Bergen' } };
      const checkpoint = { runKey: 'damage', migration: 'events' as const, status: 'running' as const, cursor: original.id, counts: {}, failures: [], startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
      expect(await store.writeEventBatch({ holder: 'bad-writer', updates: [{ id: original.id, canonicalEvent: damaged }], checkpoint }, { renormalize: {} })).toBe(1);
      const sample = await store.sampleMigratedEvents(500);
      expect(sample.filter((e) => !e.payloadMatches).map((e) => e.id)).toEqual([original.id]);
      const verification = await verifyMigration(store, { sampleSize: 500 });
      expect(verification).toMatchObject({ ok: false, sampled: 117, mismatches: [{ id: original.id, problem: 'payload_differs' }] });
    });

    it('counts a canonical_event that is no event (a number, a string, an array) as not migrated: verify reports it as not_an_event, and the next run writes it', async () => {
      const values: Record<string, unknown> = { 'evt-0005': 42, 'evt-0006': 'not an event', 'evt-0007': [], 'evt-0008': [{ event_id: 'evt-0008' }] };
      const seed = conformanceSeed();
      for (const event of seed.events) if (Object.hasOwn(values, event.id)) event.canonical_event = values[event.id];
      const { harness, store } = await fresh(seed);
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 0, remaining: 120 });
      expect(await store.countEvents(ALL)).toBe(120);
      expect(await store.countEvents({ renormalize: { shopify: 1 } })).toBe(120);
      const before = await verifyMigration(store, { sampleSize: 500 });
      expect(before.sampled).toBe(4);
      expect(before.mismatches).toEqual(Object.keys(values).map((id) => ({ id, problem: 'not_an_event' })));
      expect(before.events).toMatchObject({ migrated: 0, remaining: 120, failed: 3 });
      const run = await runEventMigration({ store, apply: true, batchSize: 7 });
      expect(run.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
      const rewritten = (await harness.snapshot()).events.filter((event) => Object.hasOwn(values, event.id));
      expect(rewritten.map((event) => (event.canonical_event as { event_id?: unknown } | null)?.event_id)).toEqual(Object.keys(values));
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 117, remaining: 3 });
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 120, migrated: 117, remaining: 3, basis: 'checkpoint' });
      expect((await verifyMigration(store, { sampleSize: 500 })).mismatches).toEqual([]);
    });

    it('changes nothing when run again after completion', async () => {
      const { harness, store } = await fresh();
      await runEventMigration({ store, apply: true, batchSize: 50 });
      const after = await harness.snapshot();
      const again = await runEventMigration({ store, apply: true, batchSize: 50 });
      expect(again.counts).toMatchObject({ selected: 3, processed: 3, written: 0, failed: 3 });
      expect(await harness.snapshot()).toEqual(after);
    });

    // With the store's prepareEventBatch (the next batch's parameter built during the current write) and
    // without it (a store that has none builds it in the write), each with and without the payload copy.
    for (const [prepare, canonicalPayload] of [
      [true, 'copy'],
      [false, 'copy'],
      [true, 'omit'],
      [false, 'omit'],
    ] as const) {
      const how = `${prepare ? 'batches prepared as the store does' : 'prepareEventBatch hidden'}, canonicalPayload '${canonicalPayload}'`;
      it(`resumes after a crash exactly after the last committed batch: no row twice, none skipped (${how})`, async () => {
        const { harness, store, seed } = await fresh();
        const writes = new Map<string, number>();
        // What the runner prepared, and the writes of arrays it had not prepared.
        const prepared = new WeakSet<readonly unknown[]>();
        let unprepared = 0;
        const base: MigrationStore = Object.create(store);
        base.prepareEventBatch = prepare && store.prepareEventBatch !== undefined
          ? (updates) => {
              // The store's own form of the updates, when it gives one, is what the runner writes.
              const ready = store.prepareEventBatch!(updates);
              prepared.add(Array.isArray(ready) ? ready : updates);
              return ready;
            }
          : undefined;
        const counted = (crashAt: number) => {
          let batches = 0;
          const counting: MigrationStore = Object.create(base);
          counting.writeEventBatch = async (write, selection) => {
            if (++batches === crashAt) throw new Error('simulated crash before the 4th commit');
            if (write.updates.length > 0 && !prepared.has(write.updates)) unprepared++;
            for (const u of write.updates) writes.set(u.id, (writes.get(u.id) ?? 0) + 1);
            return store.writeEventBatch(write, selection);
          };
          return counting;
        };
        await expect(runEventMigration({ store: counted(4), apply: true, batchSize: 10, canonicalPayload })).rejects.toThrow('simulated crash');
        const checkpoint = await store.readCheckpoint('events');
        expect(checkpoint).toMatchObject({ status: 'running', cursor: 'evt-0030', counts: { processed: 30, written: 30 } });
        expect((await harness.snapshot()).events.filter((e) => e.canonical_event !== null)).toHaveLength(30);

        const resumed = await runEventMigration({ store: counted(0), apply: true, resume: true, batchSize: 10, canonicalPayload });
        expect(resumed).toMatchObject({ status: 'completed', resumedFrom: 'evt-0030', counts: { processed: 120, written: 117, failed: 3 } });
        expect([...writes.values()].every((n) => n === 1)).toBe(true);
        expect(writes.size).toBe(117);
        // Every write got the very array prepared for it, where the store prepares; none was prepared where hidden.
        expect(unprepared).toBe(prepare && store.prepareEventBatch !== undefined ? 0 : 12);
        for (const [i, row] of (await harness.snapshot()).events.entries()) {
          const original = seed.events[i]!;
          expect(row.event_data).toEqual(original.event_data);
          if (!usable(original)) {
            expect(row.canonical_event).toBeNull();
            continue;
          }
          const event = row.canonical_event as Record<string, unknown>;
          expect(event.event_id).toBe(row.id);
          if (canonicalPayload === 'copy') expect(JSON.stringify(event.payload)).toBe(JSON.stringify(row.event_data));
          else expect(Object.keys(event)).not.toContain('payload');
        }
        expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([]);
      });
    }

    it('with writesInFlight: 2 (where the store has two writes in flight), every row once, refused rows listed, and the checkpoint with its count behind the cursor as with one; a store that cannot refuses with INVALID_OPTION, writing nothing', async () => {
      const { harness, store } = await fresh();
      if ((store.maxWritesInFlight ?? 1) < 2) {
        const before = await harness.snapshot();
        const refused = await runEventMigration({ store, apply: true, writesInFlight: 2 }).catch((error: unknown) => error);
        expect(refused).toMatchObject({ code: 'INVALID_OPTION', option: 'writesInFlight' });
        expect(await harness.snapshot()).toEqual(before);
        expect(await store.readCheckpoint('events')).toBeNull();
        return;
      }
      // A timeout throttle forgets a batch ended on a timeout: not with a second write in flight behind it.
      await expect(runEventMigration({ store, apply: true, writesInFlight: 2, timeoutThrottle: {} })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'writesInFlight' });
      expect(await store.readCheckpoint('events')).toBeNull();
      // Refused rows in the 2nd and 4th batches: each is rolled back with the next batch's write in flight behind it.
      const target = await refusingRows(harness, ['evt-0013', 'evt-0035']);
      const followed: (string | null | undefined)[] = [];
      const refusals: unknown[] = [];
      const recording: MigrationStore = Object.create(target);
      recording.writeEventBatch = async (write, selection) => {
        followed.push(write.follows === undefined ? undefined : write.follows.cursor);
        return target.writeEventBatch(write, selection).catch((error: unknown) => {
          refusals.push((error as { code?: unknown }).code);
          throw error;
        });
      };
      const report = await runEventMigration({ store: recording, apply: true, batchSize: 10, writesInFlight: 2 });
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 120, written: 115, failed: 5 } });
      expect(report.failures.map((f) => f.id).sort()).toEqual(['evt-0013', 'evt-0035', 'evt-0040', 'evt-0080', 'evt-0120']);
      // The first write follows the run's start; after each refusal, the batch and the one behind it are written in order (no follows).
      expect(followed[0]).toBeNull();
      expect(followed.filter((cursor) => cursor !== undefined).length).toBeGreaterThanOrEqual(8);
      // Only the refused batches and the ones behind them gave up; every other checkpoint found the one before it committed
      // (as committed, under any isolation level: a snapshot read there would refuse them all).
      expect(refusals.every((code) => code === 'DATA_REJECTED' || code === 'BATCH_OUT_OF_ORDER')).toBe(true);
      expect(refusals.filter((code) => code === 'BATCH_OUT_OF_ORDER').length).toBeLessThanOrEqual(2);
      const checkpoint = await store.readCheckpoint('events');
      expect(checkpoint).toMatchObject({ status: 'completed', cursor: 'evt-0120', counts: { processed: 120, written: 115, failed: 5 } });
      expect(checkpoint!.failures.map((f) => f.id).sort()).toEqual(['evt-0013', 'evt-0035', 'evt-0040', 'evt-0080', 'evt-0120']);
      const migrated = (await harness.snapshot()).events.filter((e) => e.canonical_event !== null).map((e) => e.id);
      expect(migrated).toHaveLength(115);
      expect(migrated).not.toContain('evt-0013');
      expect(migrated).not.toContain('evt-0035');
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 115, remaining: 5 });
      // The count behind the cursor, kept by every checkpoint that followed another, is the one counted.
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 120, migrated: 115, remaining: 5, basis: 'checkpoint' });
      expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([]);
    });

    it('with writesInFlight: 2, a batch written while its predecessor is still in flight commits only after it, and writes nothing, rows or checkpoint, when the predecessor never commits', async (context) => {
      const { harness, store } = await fresh();
      if ((store.maxWritesInFlight ?? 1) < 2) context.skip();
      // The 4th batch (evt-0031…0040) is held back until the 5th has been sent and had time to write its rows; then it fails (a crash) or is written.
      const holdingFourth = (target: MigrationStore, fourth: 'crash' | 'write') => {
        let calls = 0;
        let fifthSent!: () => void;
        const sent = new Promise<void>((resolve) => {
          fifthSent = resolve;
        });
        let fifth: Promise<unknown> = Promise.resolve();
        let checkpointWhileHeld: unknown;
        const holding: MigrationStore = Object.create(target);
        holding.writeEventBatch = async (write, selection) => {
          const call = ++calls;
          if (call === 4) {
            await sent;
            await new Promise((resolve) => setTimeout(resolve, 50));
            checkpointWhileHeld = (await target.readCheckpoint('events'))?.cursor;
            if (fourth === 'crash') throw new Error('simulated crash of the 4th batch');
          }
          const result = target.writeEventBatch(write, selection);
          if (call === 5) {
            fifth = result.then(
              (written) => written,
              (error: unknown) => error,
            );
            fifthSent();
          }
          return result;
        };
        return { store: holding, fifth: () => fifth, checkpointWhileHeld: () => checkpointWhileHeld };
      };

      // The 4th batch never commits: the 5th, sent behind it, writes none of its rows nor its checkpoint.
      const crashing = holdingFourth(store, 'crash');
      await expect(runEventMigration({ store: crashing.store, apply: true, batchSize: 10, writesInFlight: 2 })).rejects.toThrow('simulated crash of the 4th batch');
      expect(await crashing.fifth()).toMatchObject({ code: 'BATCH_OUT_OF_ORDER' });
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', cursor: 'evt-0030', counts: { processed: 30, written: 30 } });
      const migrated = (await harness.snapshot()).events.filter((e) => e.canonical_event !== null).map((e) => e.id);
      expect(migrated).toEqual(Array.from({ length: 30 }, (_, i) => `evt-${String(i + 1).padStart(4, '0')}`));
      const resumed = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, writesInFlight: 2 });
      expect(resumed).toMatchObject({ status: 'completed', resumedFrom: 'evt-0030', counts: { processed: 120, written: 117, failed: 3 } });
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 120, migrated: 117, remaining: 3, basis: 'checkpoint' });

      // The 4th batch commits late: the 5th, its rows written meanwhile, has not moved the checkpoint past it, and commits after it.
      const second = await fresh();
      const late = holdingFourth(second.store, 'write');
      const report = await runEventMigration({ store: late.store, apply: true, batchSize: 10, writesInFlight: 2 });
      expect(late.checkpointWhileHeld()).toBe('evt-0030');
      expect(await late.fifth()).toBe(10);
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117, failed: 3 } });
      expect(await second.store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'evt-0120', counts: { processed: 120, written: 117, failed: 3 } });
      expect((await second.harness.snapshot()).events.filter((e) => e.canonical_event !== null)).toHaveLength(117);
      expect(await second.store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 120, migrated: 117, remaining: 3, basis: 'checkpoint' });
      expect((await verifyMigration(second.store, { sampleSize: 50 })).mismatches).toEqual([]);
    });

    it('sizes its batches while it runs (no batchSize): under the byte budget at the payload lengths the store reports, toward the target duration, with batch timeouts set, every row written once, the sizes in the report', async () => {
      // Ten times the seed: the first batch has DEFAULT_BATCH_SIZE rows (1,000), so later ones are sized.
      const seed = seedWithEvents(1_200);
      const { harness, store } = await fresh(seed);
      const maxBatchBytes = 20_000;
      const reads: { requested: number; rows: number; measured: number; bytes: number }[] = [];
      const writes = new Map<string, number>();
      const observed: MigrationStore = Object.create(store);
      observed.readEventBatch = async (selection, after, size) => {
        const rows = await store.readEventBatch(selection, after, size);
        const measured = rows.filter((row) => row.eventDataLength !== undefined);
        reads.push({ requested: size, rows: rows.length, measured: measured.length, bytes: measured.reduce((sum, row) => sum + row.eventDataLength!, 0) });
        return rows;
      };
      observed.writeEventBatch = async (write, selection) => {
        for (const update of write.updates) writes.set(update.id, (writes.get(update.id) ?? 0) + 1);
        return store.writeEventBatch(write, selection);
      };
      // With batch timeouts too, long enough never to end a batch here: each store sets them for the batch alone.
      const report = await runEventMigration({ store: observed, apply: true, targetBatchMs: 1, maxBatchBytes, batchTimeouts: { lockTimeoutMs: 10_000, statementTimeoutMs: 60_000 } });
      const usableIds = seed.events.filter(usable).map((e) => e.id);
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 1_200, written: usableIds.length, failed: 1_200 - usableIds.length } });
      // The first batch at the default size, every later one smaller: sized, not fixed.
      expect(reads[0]!.requested).toBe(1_000);
      expect(reads.length).toBeGreaterThan(2);
      for (const read of reads.slice(1)) expect(read.requested).toBeLessThan(1_000);
      // Each batch asked for after a measured one holds at most the byte budget at that batch's mean payload.
      for (const [i, read] of reads.slice(1).entries()) {
        const before = reads[i]!;
        if (before.measured > 0) expect(read.requested).toBeLessThanOrEqual(Math.max(1, Math.floor(maxBatchBytes / (before.bytes / before.measured))));
      }
      expect(report.batchSizes).toMatchObject({ first: 1_000, largest: 1_000 });
      expect(report.batchSizes!.smallest).toBeLessThanOrEqual(Math.min(...reads.map((read) => read.requested)));
      expect(report.batchSizes!.smallest).toBeLessThan(1_000);
      // Every usable row written once, none twice, whatever the sizes.
      expect([...writes.keys()].sort()).toEqual(usableIds);
      expect([...writes.values()].every((n) => n === 1)).toBe(true);
      expect(await migratedEvents(harness)).toBe(usableIds.length);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'evt-1200', counts: { processed: 1_200, written: usableIds.length } });
      expect((await verifyMigration(store, { sampleSize: 100 })).mismatches).toEqual([]);
    });

    it('pauses while a health probe reports a replica past its limit, writing nothing meanwhile; past maxWaitMs it ends limited saying why, and a resume writes the rest: every row once, the pauses in the report', async () => {
      const { harness, store } = await fresh();
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const now = () => new Date(clock);
      const writes = new Map<string, number>();
      let batchesWritten = 0;
      const counting: MigrationStore = Object.create(store);
      counting.writeEventBatch = async (write, selection) => {
        for (const update of write.updates) writes.set(update.id, (writes.get(update.id) ?? 0) + 1);
        const written = await store.writeEventBatch(write, selection);
        batchesWritten++;
        return written;
      };
      const healthy: DatabaseHealthReading = { replicas: [] };
      const lagging: DatabaseHealthReading = { replicas: [{ name: 'standby1', lagSeconds: 45, lagBytes: 1_024 }] };
      /** The readings in turn, the last one from then on. */
      const probe = (readings: DatabaseHealthReading[]): DatabaseHealth => {
        let reads = 0;
        return { readDatabaseHealth: async () => readings[Math.min(reads++, readings.length - 1)]! };
      };
      const paused: { reason: string; processed: number; batchesWritten: number }[] = [];
      const run = (health: DatabaseHealth, resume: boolean) =>
        runEventMigration({
          store: counting,
          apply: true,
          resume,
          batchSize: 25,
          now,
          maxWaitMs: 2_000,
          batchTimeouts: { lockTimeoutMs: 10_000 },
          throttle: { health, maxReplicationLagSeconds: 30, pauseMs: 5 },
          onProgress: (p) => {
            if (p.paused === undefined) return;
            paused.push({ reason: p.paused, processed: p.processed, batchesWritten });
            // Each reading that pauses "lasts" 800 ms of the run's clock.
            clock += 800;
          },
        });
      // Healthy for the first batch, lagging for two readings, healthy for two batches, then lagging past maxWaitMs.
      const first = await run(probe([healthy, lagging, lagging, healthy, healthy, lagging]), false);
      const reason = 'replica standby1 is 45 s behind (limit 30 s)';
      expect(first).toMatchObject({ status: 'limited', counts: { processed: 75 }, throttle: { pauses: 2, pausedMs: 2_400, pausedAtEnd: reason } });
      expect(paused).toEqual([
        { reason, processed: 25, batchesWritten: 1 },
        { reason, processed: 25, batchesWritten: 1 },
        { reason, processed: 75, batchesWritten: 3 },
      ]);
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true, cursor: 'evt-0075', counts: { processed: 75 } });
      const rest = await run(probe([healthy]), true);
      expect(rest).toMatchObject({ status: 'completed', resumedFrom: 'evt-0075', counts: { processed: 120, written: 117, failed: 3 }, throttle: { pauses: 0, pausedMs: 0 } });
      expect(rest.throttle).not.toHaveProperty('pausedAtEnd');
      expect(writes.size).toBe(117);
      expect([...writes.values()].every((n) => n === 1)).toBe(true);
      expect(await migratedEvents(harness)).toBe(117);
      expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([]);
    });

    it('stops after the current batch when aborted, and a limited run resumes where it stopped', async () => {
      const { store } = await fresh();
      const controller = new AbortController();
      const aborted = await runEventMigration({
        store,
        apply: true,
        batchSize: 10,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.batches === 2) controller.abort();
        },
      });
      expect(aborted).toMatchObject({ status: 'aborted', counts: { processed: 20, written: 20 } });
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'aborted', cursor: 'evt-0020' });
      const limited = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, limit: 25 });
      expect(limited).toMatchObject({ status: 'limited', counts: { processed: 45 } });
      // Stopped at its limit: resumable (running), marked as not at work.
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true });
      const progress: MigrationProgress[] = [];
      const rest = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, onProgress: (p) => progress.push(p) });
      expect(rest).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
      // evt-0040 failed before the cursor and is still selected: counted once, the total is reached.
      expect(progress.at(-1)).toMatchObject({ processed: 120, total: 120 });
      expect(await store.eventStatus()).toMatchObject({ migrated: 117 });
      // A run that starts over keeps the one it replaces in its checkpoint's history.
      await runEventMigration({ store, apply: true, batchSize: 10 });
      const rerun = await store.readCheckpoint('events');
      expect(rerun?.limited).toBeUndefined();
      expect(rerun).toMatchObject({ status: 'completed', counts: { processed: 3, written: 0, failed: 3 } });
      expect(rerun?.history).toEqual([{ status: 'completed', cursor: 'evt-0120', counts: expect.objectContaining({ processed: 120, written: 117 }), startedAt: expect.any(String), updatedAt: expect.any(String) }]);
    });

    it('stops a shard run and a campaign run on the signal before their next batch, with a consistent checkpoint, and a resume finishes with counts that add up', async () => {
      const seed = conformanceSeed();
      for (let n = 10; n < 20; n++) {
        seed.campaigns.push({ id: `campaign-${n}`, user_id: SEED_OWNER_A, data_source: 'shopify', native_config: null, integration_settings: { events: [`order.${n}`] }, data_sources_v2: null, name: `Shop ${n}` });
      }
      const { harness, store } = await fresh(seed);
      /** `store` whose writes after `controller` aborted are counted: a run must not start another batch. */
      const watching = (controller: AbortController) => {
        const late = { events: 0, campaigns: 0 };
        const watched: MigrationStore = Object.create(store);
        watched.writeEventBatch = async (write, selection) => {
          if (controller.signal.aborted) late.events++;
          return store.writeEventBatch(write, selection);
        };
        watched.writeCampaignBatch = async (write) => {
          if (controller.signal.aborted) late.campaigns++;
          return store.writeCampaignBatch(write);
        };
        return { watched, late };
      };

      // Shards: each stopped after its second batch, then resumed.
      const shardCounts: Record<string, number>[] = [];
      for (const index of [1, 2]) {
        const runKey = `events#${index}/2`;
        const controller = new AbortController();
        const { watched, late } = watching(controller);
        const stopped = await runEventMigration({
          store: watched,
          apply: true,
          batchSize: 10,
          shard: { index, count: 2 },
          signal: controller.signal,
          onProgress: (p) => {
            if (p.batches === 2) controller.abort();
          },
        });
        // Shard 2's first 20 events hold evt-0080, which no normalizer accepts.
        const counts = index === 1 ? { processed: 20, written: 20, failed: 0 } : { processed: 20, written: 19, failed: 1 };
        expect(stopped).toMatchObject({ runKey, status: 'aborted', counts });
        expect(late.events).toBe(0);
        const cursor = index === 1 ? 'evt-0020' : 'evt-0080';
        expect(await store.readCheckpoint(runKey)).toMatchObject({ status: 'aborted', cursor, counts });
        // What the checkpoint counts is what is in the table: the rows up to its cursor, none past it.
        const migrated = (await harness.snapshot()).events.filter((e) => e.canonical_event !== null).map((e) => e.id);
        expect(migrated.filter((id) => (index === 1 ? true : id > 'evt-0060'))).toHaveLength(counts.written);
        expect(migrated.filter((id) => id > cursor)).toEqual([]);
        const resumed = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, shard: { index, count: 2 } });
        expect(resumed).toMatchObject({ status: 'completed', resumedFrom: cursor, counts: { processed: 60 } });
        const { processed, written, failed } = resumed.counts;
        expect(await store.readCheckpoint(runKey)).toMatchObject({ status: 'completed', counts: { processed, written, failed } });
        shardCounts.push(resumed.counts);
      }
      const sum = (key: string) => shardCounts.reduce((n, counts) => n + (counts[key] ?? 0), 0);
      expect([sum('processed'), sum('written'), sum('failed')]).toEqual([120, 117, 3]);
      expect(await store.eventStatus()).toEqual({ total: 120, migrated: 117, remaining: 3 });

      // Campaigns: stopped after two batches of 3, then resumed.
      const migratedCampaigns = async () => (await harness.snapshot()).campaigns.filter((c) => Array.isArray(c.data_sources_v2) && c.data_sources_v2.length > 0).map((c) => c.id);
      const before = await migratedCampaigns();
      const controller = new AbortController();
      const { watched, late } = watching(controller);
      const stopped = await runCampaignMigration({
        store: watched,
        apply: true,
        batchSize: 3,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.batches === 2) controller.abort();
        },
      });
      expect(stopped).toMatchObject({ status: 'aborted', written: 6, rejected: [] });
      expect(late.campaigns).toBe(0);
      const written = (await migratedCampaigns()).filter((id) => !before.includes(id)).sort();
      expect(written).toHaveLength(6);
      const checkpoint = await store.readCheckpoint('campaigns');
      expect(checkpoint).toMatchObject({ status: 'aborted', cursor: written.at(-1), counts: { planned: 12, written: 6, failed: 0 } });
      const resumed = await runCampaignMigration({ store, apply: true, resume: true, batchSize: 3 });
      expect(resumed).toMatchObject({ status: 'completed', written: 6, totalWritten: 12, resumedFrom: written.at(-1), rejected: [] });
      // `planned` is what the resumed run planned (the 6 left); `written` adds up over both runs.
      expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { planned: 6, written: 12, failed: 0 } });
      expect((await migratedCampaigns()).filter((id) => !before.includes(id))).toHaveLength(12);
      expect(await store.campaignStatus()).toMatchObject({ migrated: before.length + 12 });
    });

    it('binds a checkpoint to its table, key column, shard range and selection: resume elsewhere refuses with CHECKPOINT_MISMATCH and writes nothing', async () => {
      const { harness, store } = await fresh();
      const source = await store.sourceOf('events');
      expect(source).not.toBe(await store.sourceOf('campaigns'));
      await runEventMigration({ store, apply: true, batchSize: 10, limit: 10 });
      expect(await store.readCheckpoint('events')).toMatchObject({ cursor: 'evt-0010', scope: { source, range: null, renormalize: false } });
      const before = await harness.snapshot();

      // The same store configured for another events table (the audit case: ev_a, then ev_b).
      const elsewhere: MigrationStore = Object.create(store);
      elsewhere.sourceOf = async (migration) => (migration === 'events' ? `${source}_b` : store.sourceOf(migration));
      const refused = await runEventMigration({ store: elsewhere, apply: true, resume: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CheckpointMismatchError);
      expect(refused).toMatchObject({ code: 'CHECKPOINT_MISMATCH', runKey: 'events' });
      expect((refused as Error).message).toContain(source);
      expect((refused as Error).message).toContain(`${source}_b`);
      await expect(runEventMigration({ store, apply: true, resume: true, renormalize: true })).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
      await expect(runEventMigration({ store: elsewhere, resume: true })).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
      expect(await harness.snapshot()).toEqual(before);
      expect(await store.readCheckpoint('events')).toMatchObject({ cursor: 'evt-0010' });
      // A shard records its range and keeps it on resume, even if the boundaries computed now differ (the table grew).
      const sharded = await runEventMigration({ store, apply: true, shard: { index: 2, count: 3 }, batchSize: 5, limit: 5 });
      const [first, second] = await store.keyBoundaries('events', 3);
      expect(await store.readCheckpoint(sharded.runKey)).toMatchObject({ scope: { source, range: { after: first, upTo: second }, renormalize: false } });
      const moved: MigrationStore = Object.create(store);
      moved.keyBoundaries = async () => ['evt-0001', 'evt-0002'];
      const resumed = await runEventMigration({ store: moved, apply: true, shard: { index: 2, count: 3 }, resume: true });
      expect(resumed.counts.processed).toBe(40);
      expect((await store.readCheckpoint(sharded.runKey))?.scope?.range).toEqual({ after: first, upTo: second });
      expect(await runEventMigration({ store, apply: true, resume: true, batchSize: 50 })).toMatchObject({ status: 'completed', resumedFrom: 'evt-0010' });
      expect(await store.eventStatus()).toMatchObject({ migrated: 117 });

      // Campaign checkpoints are bound to the campaigns table the same way.
      await runCampaignMigration({ store, apply: true, batchSize: 1, limit: 1 });
      const otherCampaigns: MigrationStore = Object.create(store);
      otherCampaigns.sourceOf = async (migration) => `${await store.sourceOf(migration)}_b`;
      await expect(runCampaignMigration({ store: otherCampaigns, apply: true, resume: true })).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
    });

    it('refuses a second runner of the same migration, and never writes for a runner that lost its lease', async () => {
      const { harness, store } = await fresh();
      expect(await store.acquireLease('events', 'runner-a', 60_000)).toEqual({ acquired: true });
      expect(await store.acquireLease('events', 'runner-a', 60_000)).toEqual({ acquired: true });
      const refused = await store.acquireLease('events', 'runner-b', 60_000);
      expect(refused).toMatchObject({ acquired: false, holder: 'runner-a' });
      const error = await runEventMigration({ store, apply: true, holder: 'runner-b' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunLockedError);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as RunLockedError).code).toBe('RUN_LOCKED');
      expect((error as Error).message).toContain('runner-a');

      const before = await harness.snapshot();
      const checkpoint = { runKey: 'events', migration: 'events' as const, status: 'running' as const, cursor: 'evt-0001', counts: {}, failures: [], startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
      await expect(store.writeEventBatch({ holder: 'runner-b', updates: [{ id: 'evt-0001', canonicalEvent: { event_id: 'evt-0001' } }], checkpoint }, ALL)).rejects.toBeInstanceOf(LeaseLostError);
      expect(await harness.snapshot()).toEqual(before);
      await store.releaseLease('events', 'runner-b');
      expect(await store.acquireLease('events', 'runner-b', 60_000)).toMatchObject({ acquired: false });
      await store.releaseLease('events', 'runner-a');
      expect(await store.acquireLease('events', 'runner-b', 60_000)).toEqual({ acquired: true });
      await store.releaseLease('events', 'runner-b');
      expect(await store.acquireLease('events', 'runner-c', 1)).toEqual({ acquired: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.acquireLease('events', 'runner-d', 60_000)).toEqual({ acquired: true });
    });

    it('stops a runner whose lease was taken over before it writes another row or count: the checkpoint counts exactly the rows written', async () => {
      const { harness, store } = await fresh();
      let takingOver: Promise<EventMigrationReport> | undefined;
      const first = runEventMigration({
        store: beforeEachWrite(store, async (write) => {
          if (write !== 3) return;
          // runner-a has renewed its lease for this batch and is about to write it when runner-b takes over.
          expect(await store.acquireLease('events', 'runner-b', 60_000)).toMatchObject({ acquired: false, holder: 'runner-a' });
          expect(await store.acquireLease('events', 'runner-b', 60_000, { takeOverFrom: 'runner-a' })).toEqual({ acquired: true });
          takingOver = runEventMigration({ store, apply: true, resume: true, holder: 'runner-b', batchSize: 8 });
        }),
        apply: true,
        holder: 'runner-a',
        batchSize: 8,
      }).catch((error: unknown) => error);
      // Both runners are live at once: runner-a's batch and runner-b's first batches go to the database together.
      const lost = await first;
      expect(lost).toBeInstanceOf(LeaseLostError);
      expect((lost as LeaseLostError).code).toBe('LEASE_LOST');
      const report = await takingOver!;
      expect(report).toMatchObject({ status: 'completed', resumedFrom: 'evt-0016', counts: { processed: 120, written: 117, failed: 3 } });
      const checkpoint = await store.readCheckpoint('events');
      expect(checkpoint).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117, failed: 3 } });
      expect(checkpoint!.failures).toHaveLength(3);
      expect(await migratedEvents(harness)).toBe(checkpoint!.counts.written);
      // The old runner cannot come back: its lease is runner-b's until released, and its checkpoint writes fail.
      await expect(store.writeCheckpoint({ ...checkpoint!, counts: {} }, 'runner-a')).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.readCheckpoint('events')).toEqual(checkpoint);
    });

    it('refuses a run beside an overlapping one (the whole table beside shards, shards of another count) with RUN_OVERLAP, writing nothing; shards of one count run side by side', async () => {
      const { harness, store } = await fresh();
      const before = await harness.snapshot();
      expect(await store.acquireLease('events#1/2', 'shard-1', 60_000)).toEqual({ acquired: true });
      expect(await store.acquireLease('events#2/2', 'shard-2', 60_000)).toEqual({ acquired: true });
      expect(await store.acquireLease('campaigns', 'campaigns-runner', 60_000)).toEqual({ acquired: true });
      expect(await store.acquireLease('events', 'whole', 60_000)).toMatchObject({ acquired: false, holder: 'shard-1', runKey: 'events#1/2' });
      const whole = await runEventMigration({ store, apply: true, holder: 'whole' }).catch((error: unknown) => error);
      expect(whole).toBeInstanceOf(RunOverlapError);
      expect(whole).toMatchObject({ code: 'RUN_OVERLAP', runKey: 'events', otherRunKey: 'events#1/2', holder: 'shard-1' });
      const thirds = await runEventMigration({ store, apply: true, shard: { index: 3, count: 3 } }).catch((error: unknown) => error);
      expect(thirds).toMatchObject({ code: 'RUN_OVERLAP', runKey: 'events#3/3' });
      expect(await harness.snapshot()).toEqual(before);
      for (const [runKey, holder] of [['events#1/2', 'shard-1'], ['events#2/2', 'shard-2'], ['campaigns', 'campaigns-runner']] as const) await store.releaseLease(runKey, holder);

      // A shard started while a run over the whole table writes is refused; the whole run's counts are every row it wrote.
      let refused: unknown;
      const report = await runEventMigration({
        store: beforeEachWrite(store, async (write) => {
          if (write === 2) refused = await runEventMigration({ store, apply: true, batchSize: 8, shard: { index: 2, count: 2 } }).catch((error: unknown) => error);
        }),
        apply: true,
        batchSize: 8,
      });
      expect(refused).toMatchObject({ code: 'RUN_OVERLAP', runKey: 'events#2/2', otherRunKey: 'events' });
      expect(report.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
      expect(await migratedEvents(harness)).toBe(117);

      // Lease requests racing each other: the runs granted never overlap.
      const keys = ['events#1/3', 'events', 'events#1/2', 'events#2/2', 'events', 'events#2/3', 'events#1/2'];
      const results = await Promise.all(keys.map((key, i) => store.acquireLease(key, `racer-${i}`, 60_000)));
      const granted = keys.filter((_, i) => results[i]!.acquired);
      expect(granted.length).toBeGreaterThan(0);
      expect(new Set(granted).size).toBe(granted.length);
      for (const a of granted) for (const b of granted) expect(runsOverlap(a, b)).toBe(false);
    });

    it('splits the work into shards by key range that together cover every row once', async () => {
      const { store } = await fresh();
      const boundaries = await store.keyBoundaries('events', 3);
      expect(boundaries).toHaveLength(2);
      expect([...boundaries].sort()).toEqual(boundaries);
      const reports = [];
      for (const index of [2, 3, 1]) reports.push(await runEventMigration({ store, apply: true, batchSize: 8, shard: { index, count: 3 } }));
      expect(reports.map((r) => r.runKey)).toEqual(['events#2/3', 'events#3/3', 'events#1/3']);
      expect(reports.reduce((n, r) => n + r.counts.processed, 0)).toBe(120);
      expect(reports.reduce((n, r) => n + r.counts.written, 0)).toBe(117);
      for (const r of reports) expect(r.counts.processed).toBeGreaterThanOrEqual(30);
    });

    it('runs the shards side by side as workers: every row once and counts that add up, after a stop, a failed worker and their resumes', async () => {
      const { harness, store } = await fresh();
      // Stopped (Ctrl-C) while the workers write: each stops after its batch in flight, its checkpoint counting exactly its rows.
      const controller = new AbortController();
      const stopping = beforeEachWrite(store, async (write) => {
        if (write === 3) controller.abort();
      });
      const stopped = await runEventMigrationWorkers({ store: stopping, apply: true, batchSize: 8, workers: 3, signal: controller.signal });
      expect(stopped).toMatchObject({ status: 'aborted', runKey: 'events#*/3' });
      expect(stopped.workers.map((report) => report.runKey)).toEqual(['events#1/3', 'events#2/3', 'events#3/3']);
      expect(stopped.counts.written).toBeGreaterThan(0);
      expect(stopped.counts.processed).toBeLessThan(120);
      expect(stopped.counts.written).toBe(await migratedEvents(harness));
      // One worker's write fails: the others stop too, and the error is the run's.
      const failing = beforeEachWrite(store, async (write) => {
        if (write === 2) throw new Error('connection reset by the test');
      });
      await expect(runEventMigrationWorkers({ store: failing, apply: true, resume: true, batchSize: 8, workers: 3 })).rejects.toThrow('connection reset by the test');
      const checkpoints = await Promise.all(['events#1/3', 'events#2/3', 'events#3/3'].map((runKey) => store.readCheckpoint(runKey)));
      expect(checkpoints.reduce((sum, checkpoint) => sum + (checkpoint?.counts.written ?? 0), 0)).toBe(await migratedEvents(harness));
      // None ran on to the end of its shard behind the failure.
      expect(checkpoints.map((checkpoint) => checkpoint?.status)).not.toContain('completed');
      for (const runKey of ['events#1/3', 'events#2/3', 'events#3/3']) expect(await store.acquireLease(runKey, 'probe', 60_000)).toEqual({ acquired: true });
      for (const runKey of ['events#1/3', 'events#2/3', 'events#3/3']) await store.releaseLease(runKey, 'probe');
      // Resumed, the workers finish the table: the resumed counts add up to the table's, each row once.
      const progress: MigrationProgress[] = [];
      const resumed = await runEventMigrationWorkers({ store, apply: true, resume: true, batchSize: 8, workers: 3, onProgress: (each) => progress.push(each) });
      expect(resumed.status).toBe('completed');
      expect(resumed.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
      expect(resumed.failures.map((failure) => failure.id).sort()).toEqual(['evt-0040', 'evt-0080', 'evt-0120']);
      expect(await migratedEvents(harness)).toBe(117);
      expect(progress.at(-1)).toMatchObject({ processed: 120, total: 120, written: 117, failed: 3, etaSeconds: 0 });
      // Nothing is left for a run over the whole table.
      expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ processed: 3, written: 0, failed: 3 });
    });

    it('reads the checkpoints of many runs in one call: each as readCheckpoint reads it, in the order asked, null for a run without one', async () => {
      const { store } = await fresh();
      expect(await store.readCheckpoints([])).toEqual([]);
      expect(await store.readCheckpoints(['events', 'events#1/3'])).toEqual([null, null]);
      for (const index of [1, 3]) await runEventMigration({ store, apply: true, batchSize: 16, shard: { index, count: 3 } });
      await runEventMigration({ store, apply: true, batchSize: 16, limit: 16, shard: { index: 2, count: 3 } });
      await runCampaignMigration({ store, apply: true });
      // The recorded shard layout shares the runs table and is no checkpoint; a key given twice is answered twice.
      const keys = ['events#3/3', 'campaigns', 'events', 'events#2/3', 'events#shards/3', 'events#1/3', 'events#3/3', 'EVENTS#1/3'];
      const one = await Promise.all(keys.map((key) => store.readCheckpoint(key)));
      expect(one.map((checkpoint) => checkpoint?.runKey ?? null)).toEqual(['events#3/3', 'campaigns', null, 'events#2/3', null, 'events#1/3', 'events#3/3', null]);
      expect(one[3]).toMatchObject({ status: 'running', limited: true, cursor: expect.any(String) });
      expect(await store.readCheckpoints(keys)).toEqual(one);
      // As many keys as `app-migrate status --shards` reads at most.
      const many = Array.from({ length: 1000 }, (_, i) => `events#${i + 1}/1000`);
      expect(await store.readCheckpoints([...many, 'events#2/3'])).toEqual([...many.map(() => null), one[3]]);
    });

    it('lists every checkpoint of a migration: the whole table first, then the shards by count and index, without layouts or the other migration', async (context) => {
      const { store } = await fresh();
      if (!hasRunListing(store)) return context.skip('the store does not implement RunListing');
      expect(await store.listCheckpoints('events')).toEqual([]);
      // Shards of two counts (12 sorts after 2 as a number), a whole-table run, and a campaigns run.
      await runEventMigration({ store, apply: true, batchSize: 2, limit: 2, shard: { index: 10, count: 12 } });
      expect((await store.listCheckpoints('events')).map((checkpoint) => checkpoint.runKey)).toEqual(['events#10/12']);
      for (const index of [2, 1]) await runEventMigration({ store, apply: true, batchSize: 16, shard: { index, count: 2 } });
      await runEventMigration({ store, apply: true, batchSize: 16 });
      await runCampaignMigration({ store, apply: true });
      const listed = await store.listCheckpoints('events');
      expect(listed.map((checkpoint) => checkpoint.runKey)).toEqual(['events', 'events#1/2', 'events#2/2', 'events#10/12']);
      // Each as readCheckpoint reads it: counts, status, cursor and failures included.
      expect(listed).toEqual(await store.readCheckpoints(listed.map((checkpoint) => checkpoint.runKey)));
      expect((await store.listCheckpoints('campaigns')).map((checkpoint) => checkpoint.runKey)).toEqual(['campaigns']);
    });

    it('fixes the shard boundaries once: shards started at different times partition the table exactly, however it changed in between', async () => {
      const { harness, store, seed } = await fresh();
      // A dry run records nothing: the boundaries are fixed by the first shard that writes.
      await runEventMigration({ store, batchSize: 16, shard: { index: 2, count: 2 } });
      const first = await runEventMigration({ store, apply: true, batchSize: 16, shard: { index: 1, count: 2 } });
      expect(await store.shardBoundaries('events', 2)).toEqual(['evt-0060']);
      // Rows inserted before the recorded boundary move the one computed now (to evt-0040).
      const inserted = harness.insertEvents === undefined ? [] : Array.from({ length: 40 }, (_, i) => ({ ...seed.events[0]!, id: `evt-0000-${String(i + 1).padStart(2, '0')}` }));
      if (harness.insertEvents !== undefined) {
        await harness.insertEvents(inserted);
        expect(await store.keyBoundaries('events', 2)).toEqual(['evt-0040']);
      }
      expect(await store.shardBoundaries('events', 2)).toEqual(['evt-0060']);
      // A dry run of the other shard uses the recorded boundaries too.
      expect((await runEventMigration({ store, batchSize: 16, shard: { index: 2, count: 2 } })).counts).toMatchObject({ processed: 60, wouldWrite: 58, failed: 2 });
      const second = await runEventMigration({ store, apply: true, batchSize: 16, shard: { index: 2, count: 2 } });
      expect((await store.readCheckpoint('events#1/2'))?.scope?.range).toEqual({ after: null, upTo: 'evt-0060' });
      expect((await store.readCheckpoint('events#2/2'))?.scope?.range).toEqual({ after: 'evt-0060', upTo: null });
      // No row processed or counted by both: the counts add up to the table's.
      expect(first.counts).toMatchObject({ processed: 60, written: 59, failed: 1 });
      expect(second.counts).toMatchObject({ processed: 60, written: 58, failed: 2 });
      expect([...first.failures, ...second.failures].map((failure) => failure.id)).toEqual(['evt-0040', 'evt-0080', 'evt-0120']);
      // Shards started again later (a new pass) still cut at the recorded keys.
      expect((await runEventMigration({ store, apply: true, shard: { index: 2, count: 2 } })).counts).toMatchObject({ processed: 2, written: 0, failed: 2 });
      // The rows inserted behind the first shard are left to a run over the whole table.
      const rest = await runEventMigration({ store, apply: true });
      expect(rest.counts).toMatchObject({ processed: inserted.length + 3, written: inserted.length, failed: 3 });
      expect(await store.eventStatus()).toEqual({ total: 120 + inserted.length, migrated: 117 + inserted.length, remaining: 3 });
    });

    it('re-normalizes only events written by another normalizer version when asked', async () => {
      const seed = conformanceSeed();
      const stale = { event_id: 'evt-0001', provider: 'stripe', normalized: { 'meta.normalizer': 'stripe', 'meta.normalizer_version': 0 } };
      seed.events[0]!.canonical_event = stale;
      const { harness, store } = await fresh(seed);
      const plain = await runEventMigration({ store, apply: true });
      expect(plain.counts).toMatchObject({ selected: 119, written: 116 });
      expect((await harness.snapshot()).events[0]!.canonical_event).toEqual(stale);
      const renormalized = await runEventMigration({ store, apply: true, renormalize: true });
      expect(renormalized.counts).toMatchObject({ selected: 4, written: 1, failed: 3 });
      const event = (await harness.snapshot()).events[0]!.canonical_event as { normalized: Record<string, unknown> };
      expect(event.normalized['meta.normalizer_version']).not.toBe(0);
      const again = await runEventMigration({ store, apply: true, renormalize: true });
      expect(again.counts).toMatchObject({ selected: 3, written: 0 });
    });

    it('migrates campaigns: writes only data_sources_v2, keeps every other column, and is idempotent', async () => {
      const { harness, store, seed } = await fresh();
      const run = await runCampaignMigration({ store, apply: true, batchSize: 1 });
      expect(run).toMatchObject({ mode: 'apply', status: 'completed', written: 2 });
      const campaigns = (await harness.snapshot()).campaigns;
      const byId = new Map(campaigns.map((c) => [c.id, c]));
      expect(byId.get('campaign-1')!.data_sources_v2).toEqual([{ integration_id: 'int-123', provider: 'shopify', filters: { events: ['order.created'] } }]);
      expect(byId.get('campaign-4')!.data_sources_v2).toEqual([{ integration_id: 'int-456', provider: 'woocommerce', filters: { events: ['order.created'] } }]);
      for (const original of seed.campaigns) {
        const { data_sources_v2: _, ...rest } = byId.get(original.id)!;
        const { data_sources_v2: __, ...expected } = original;
        expect(rest).toEqual(expected);
      }
      expect(byId.get('campaign-2')!.data_sources_v2).toBeNull();
      const again = await runCampaignMigration({ store, apply: true });
      expect(again.written).toBe(0);
      expect(await harness.snapshot()).toEqual(await harness.snapshot());
      expect(await store.campaignStatus()).toEqual({ total: 5, migrated: 3, remaining: 2 });
    });

    it('lists a campaign whose data_sources_v2 the database refuses with its id and reason, writes the rest of its batch, and tries it again next run', async () => {
      const seed = conformanceSeed();
      for (let n = 10; n < 20; n++) {
        seed.campaigns.push({ id: `campaign-${n}`, user_id: SEED_OWNER_A, data_source: 'shopify', native_config: null, integration_settings: { events: [`order.${n}`] }, data_sources_v2: null, name: `Shop ${n}` });
      }
      const { harness, store } = await fresh(seed);
      const refusing: MigrationStore = Object.create(store);
      let writes = 0;
      refusing.writeCampaignBatch = async (write) => {
        writes++;
        if (write.updates.some((update) => update.id === 'campaign-13' || update.id === 'campaign-19')) throw new DataRejectedError('unsupported Unicode escape sequence');
        return store.writeCampaignBatch(write);
      };
      const run = await runCampaignMigration({ store: refusing, apply: true, batchSize: 4 });
      expect(run).toMatchObject({ status: 'completed', written: 10 });
      expect(run.rejected.map((item) => [item.id, item.code])).toEqual([
        ['campaign-13', 'WRITE_REJECTED'],
        ['campaign-19', 'WRITE_REJECTED'],
      ]);
      for (const item of run.rejected) expect(item.reason).toContain(`Campaign ${item.id}: the database refused its data_sources_v2: unsupported Unicode escape sequence`);
      expect(writes).toBeLessThan(3 + 2 * 2 * 3);
      const migrated = (await harness.snapshot()).campaigns.filter((c) => Array.isArray(c.data_sources_v2) && c.data_sources_v2.length > 0).map((c) => c.id);
      expect(migrated).toHaveLength(11);
      expect(migrated).not.toContain('campaign-13');
      expect(migrated).toContain('campaign-12');
      expect(migrated).toContain('campaign-14');
      const checkpoint = await store.readCheckpoint('campaigns');
      expect(checkpoint).toMatchObject({ status: 'completed', counts: { written: 10, failed: 2 } });
      expect(checkpoint!.failures.filter((item) => item.code === 'WRITE_REJECTED').map((item) => item.id)).toEqual(['campaign-13', 'campaign-19']);
      const again = await runCampaignMigration({ store, apply: true, resume: true });
      expect(again).toMatchObject({ written: 2, rejected: [] });
      expect(await store.readCheckpoint('campaigns')).toMatchObject({ counts: { written: 12, failed: 0 } });
    });

    it('applies reviewer resolutions to ambiguous campaigns, and refuses an invalid resolutions file', async () => {
      const { harness, store } = await fresh();
      const before = await harness.snapshot();
      const invalid = runCampaignMigration({ store, apply: true, resolutions: { schemaVersion: 1, resolutions: { 'campaign-404': 'skip' } } });
      await expect(invalid).rejects.toMatchObject({ code: 'INVALID_RESOLUTIONS' });
      await expect(invalid).rejects.toThrow('campaign-404');
      expect(await harness.snapshot()).toEqual(before);

      const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };
      const dry = await runCampaignMigration({ store, resolutions });
      expect(dry.report.summary).toMatchObject({ writes: 3, resolutionsApplied: 2, resolutionErrors: 0 });
      expect(await harness.snapshot()).toEqual(before);
      const run = await runCampaignMigration({ store, apply: true, resolutions });
      expect(run.written).toBe(3);
      const campaign2 = (await harness.snapshot()).campaigns.find((c) => c.id === 'campaign-2')!;
      expect(Array.isArray(campaign2.data_sources_v2) && campaign2.data_sources_v2.length).toBe(1);
      expect(await store.campaignStatus()).toEqual({ total: 5, migrated: 4, remaining: 1 });
    });

    it('verifies every campaign as the campaign migration decides it: unexplained ones are listed and fail verification', async () => {
      const { store } = await fresh();
      const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };
      const campaignProblems = async (options: { resolutions?: unknown }) => {
        const verification = await verifyMigration(store, { sampleSize: 1, ...options });
        return verification.campaigns.problems.map((problem) => `${problem.code} ${problem.campaignId}`);
      };
      // No campaign run at all: a run would write campaigns 1 and 4, and 2 and 3 are undecided.
      expect(await campaignProblems({})).toEqual(['NOT_MIGRATED campaign-1', 'UNDECIDED campaign-2', 'UNDECIDED campaign-3', 'NOT_MIGRATED campaign-4']);
      await runEventMigration({ store, apply: true });
      await runCampaignMigration({ store, apply: true, resolutions });
      const done = await verifyMigration(store, { resolutions });
      expect(done).toMatchObject({ ok: true, campaigns: { total: 5, migrated: 4, remaining: 1, unexplained: 0, problems: [] } });
      // The applied run kept its decisions in its checkpoint: the skip stays explained without the file.
      expect(await campaignProblems({})).toEqual([]);
      expect(await campaignProblems({ resolutions: { schemaVersion: 1, resolutions: {} } })).toEqual(['UNDECIDED campaign-3']);

      // data_sources_v2 set by hand to something the migration would never write.
      expect(await store.acquireLease('by-hand', 'someone', 60_000)).toEqual({ acquired: true });
      const checkpoint = { runKey: 'by-hand', migration: 'campaigns' as const, status: 'running' as const, cursor: null, counts: {}, failures: [], startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
      await store.writeCampaignBatch({
        holder: 'someone',
        updates: [
          { id: 'campaign-1', dataSourcesV2: [{ provider: 'bogus' }] },
          { id: 'campaign-4', dataSourcesV2: [{ integration_id: 'int-123', provider: 'shopify', filters: {} }] },
        ],
        checkpoint,
      });
      const damaged = await verifyMigration(store, { resolutions });
      expect(damaged.ok).toBe(false);
      expect(damaged.campaigns.problems.map((problem) => `${problem.code} ${problem.campaignId} ${problem.field}`)).toEqual([
        'INVALID_DATA_SOURCES_V2 campaign-1 data_sources_v2.0.integration_id',
        'FOREIGN_INTEGRATION campaign-4 data_sources_v2[0].integration_id',
      ]);
    });

    describe('FlagStore: flags and their audit history', () => {
      const alice = { actor: 'alice@example.com' };

      it('lists, reads, creates, updates and deletes flags, recording each changed field with who and when', async () => {
        const { store } = await fresh();
        const listed = await store.listFlags();
        expect(listed.map((f) => f.name)).toEqual(['multi_integration_campaigns', 'playlist_orchestration', 'testimonial_system', 'v2_canonical_system']);
        const testimonial = await store.getFlag('testimonial_system');
        expect(testimonial).toMatchObject({ name: 'testimonial_system', description: 'Testimonials', enabled: false, rollout_percentage: 0 });
        expect(testimonial!.id).toEqual(expect.any(String));
        expect(new Date(testimonial!.updated_at).toISOString()).toBe(testimonial!.updated_at);
        expect(await store.getFlag('no_such_flag')).toBeNull();
        expect(await store.readFlagHistory()).toEqual([]);

        const rolled = await store.updateFlag('testimonial_system', { enabled: true, rollout_percentage: 10 }, alice);
        expect(rolled).toMatchObject({ ok: true, flag: { name: 'testimonial_system', enabled: true, rollout_percentage: 10 } });
        const [enabled, rollout] = rolled.ok ? rolled.changes : [];
        expect(enabled).toMatchObject({ flagName: 'testimonial_system', field: 'enabled', from: false, to: true, actor: alice.actor, revertsChangeId: null });
        expect(rollout).toMatchObject({ flagName: 'testimonial_system', field: 'rollout_percentage', from: 0, to: 10, actor: alice.actor });
        expect(Number(rollout!.id)).toBeGreaterThan(Number(enabled!.id));
        expect(new Date(enabled!.changedAt).toISOString()).toBe(enabled!.changedAt);
        expect(Math.abs(Date.parse(enabled!.changedAt) - Date.now())).toBeLessThan(60_000);
        expect(await store.getFlag('testimonial_system')).toMatchObject({ enabled: true, rollout_percentage: 10 });

        expect(await store.updateFlag('testimonial_system', { enabled: true, rollout_percentage: 10 }, alice)).toMatchObject({ ok: true, changes: [] });
        const described = await store.updateFlag('testimonial_system', { description: 'Collect <b>testimonials</b> & "quotes"' }, { actor: 'bob' });
        expect(described).toMatchObject({ ok: true, flag: { description: 'Collect <b>testimonials</b> & "quotes"' }, changes: [{ field: 'description', from: 'Testimonials', to: 'Collect <b>testimonials</b> & "quotes"', actor: 'bob' }] });
        expect(await store.updateFlag('testimonial_system', { description: null }, { actor: 'bob' })).toMatchObject({ ok: true, flag: { description: null }, changes: [{ from: 'Collect <b>testimonials</b> & "quotes"', to: null }] });

        const created = await store.createFlag({ name: 'checkout.new-flow', description: 'New checkout' }, { actor: 'carol' });
        expect(created).toMatchObject({ ok: true, flag: { name: 'checkout.new-flow', description: 'New checkout', enabled: false, rollout_percentage: 0 } });
        expect(created.ok && created.changes).toEqual([
          expect.objectContaining({ flagName: 'checkout.new-flow', field: 'flag', from: null, to: { description: 'New checkout', enabled: false, rollout_percentage: 0 }, actor: 'carol' }),
        ]);
        expect(await store.createFlag({ name: 'checkout.new-flow' }, { actor: 'carol' })).toEqual({ ok: false, reason: 'exists', name: 'checkout.new-flow' });
        expect((await store.listFlags()).map((f) => f.name)).toContain('checkout.new-flow');
        await store.updateFlag('checkout.new-flow', { enabled: true, rollout_percentage: 10 }, { actor: 'carol' });
        const deleted = await store.deleteFlag('checkout.new-flow', { actor: 'dave' });
        expect(deleted).toMatchObject({ ok: true, flag: null, changes: [{ field: 'flag', from: { description: 'New checkout', enabled: true, rollout_percentage: 10 }, to: null, actor: 'dave' }] });
        expect(await store.getFlag('checkout.new-flow')).toBeNull();
        expect(await store.deleteFlag('checkout.new-flow', { actor: 'dave' })).toEqual({ ok: false, reason: 'not_found', name: 'checkout.new-flow' });
        expect(await store.updateFlag('no_such_flag', { enabled: true }, alice)).toEqual({ ok: false, reason: 'not_found', name: 'no_such_flag' });

        const history = await store.readFlagHistory();
        expect(history.map((c) => [c.flagName, c.field])).toEqual([
          ['checkout.new-flow', 'flag'],
          ['checkout.new-flow', 'rollout_percentage'],
          ['checkout.new-flow', 'enabled'],
          ['checkout.new-flow', 'flag'],
          ['testimonial_system', 'description'],
          ['testimonial_system', 'description'],
          ['testimonial_system', 'rollout_percentage'],
          ['testimonial_system', 'enabled'],
        ]);
        const ids = history.map((c) => Number(c.id));
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        expect((await store.readFlagHistory({ name: 'testimonial_system' })).map((c) => c.id)).toEqual(history.slice(4).map((c) => c.id));
        expect(await store.readFlagHistory({ limit: 3 })).toEqual(history.slice(0, 3));
        expect(await store.readFlagHistory({ limit: 3, before: history[2]!.id })).toEqual(history.slice(3, 6));
        expect(await store.readFlagHistory({ name: 'testimonial_system', before: history[6]!.id })).toEqual(history.slice(7));
        expect(await store.readFlagChange(history[5]!.id)).toEqual(history[5]);
        expect(await store.readFlagChange('987654321')).toBeNull();
        expect(await store.readFlagChange('not-an-id')).toBeNull();
      });

      it('validates names and values as the flags schema does, and writes nothing for a bad write', async () => {
        const { harness, store } = await fresh();
        const before = await harness.snapshot();
        for (const name of ['', '<img src=x onerror=alert(1)>', 'has space', '_leading', 'x'.repeat(101)]) {
          const refused = await store.createFlag({ name }, alice);
          expect(refused).toMatchObject({ ok: false, reason: 'invalid', error: { code: 'INVALID_FLAG', field: 'name' } });
        }
        const cases: [Record<string, unknown>, string][] = [
          [{ rollout_percentage: 150 }, 'rollout_percentage'],
          [{ rollout_percentage: 12.5 }, 'rollout_percentage'],
          [{ rollout_percentage: -1 }, 'rollout_percentage'],
          [{ enabled: 'yes' }, 'enabled'],
          [{ enabled: 1 }, 'enabled'],
          [{ description: 42 }, 'description'],
        ];
        for (const [patch, field] of cases) {
          const refused = await store.updateFlag('testimonial_system', patch as never, alice);
          expect(refused).toMatchObject({ ok: false, reason: 'invalid', error: { field } });
          if (!refused.ok && refused.reason === 'invalid') expect(refused.error.message).toContain('testimonial_system');
        }
        expect(await store.createFlag({ name: 'fine_name', rollout_percentage: 101 }, alice)).toMatchObject({ ok: false, reason: 'invalid', error: { field: 'rollout_percentage' } });
        expect(await store.updateFlag('testimonial_system', { enabled: true }, { actor: ' ' })).toMatchObject({ ok: false, reason: 'invalid', error: { field: 'actor' } });
        expect(await store.deleteFlag('testimonial_system', { actor: '' })).toMatchObject({ ok: false, reason: 'invalid', error: { field: 'actor' } });
        expect(await harness.snapshot()).toEqual(before);
        expect(await store.readFlagHistory()).toEqual([]);
      });

      it('refuses a write when the flag is no longer what the writer saw, so two admins cannot overwrite each other', async () => {
        const { harness, store } = await fresh();
        const first = await store.updateFlag('v2_canonical_system', { rollout_percentage: 50 }, { actor: 'alice', expected: { enabled: true, rollout_percentage: 10 } });
        expect(first).toMatchObject({ ok: true, flag: { rollout_percentage: 50 } });
        const stale = await store.updateFlag('v2_canonical_system', { rollout_percentage: 100 }, { actor: 'bob', expected: { rollout_percentage: 10 } });
        expect(stale).toMatchObject({ ok: false, reason: 'conflict', fields: ['rollout_percentage'], flag: { name: 'v2_canonical_system', rollout_percentage: 50 } });
        expect(await store.deleteFlag('v2_canonical_system', { actor: 'bob', expected: { enabled: false } })).toMatchObject({ ok: false, reason: 'conflict', fields: ['enabled'] });
        expect(await store.updateFlag('v2_canonical_system', { description: 'x' }, { actor: 'bob', expected: { description: null } })).toMatchObject({ ok: false, reason: 'conflict', fields: ['description'] });
        expect((await store.readFlagHistory()).map((c) => c.actor)).toEqual(['alice']);

        // Two admins at once, both having seen 50 %: exactly one wins, the other is told.
        const before = await harness.snapshot();
        const raced = await Promise.all(
          [100, 10].map((rollout_percentage, i) => store.updateFlag('v2_canonical_system', { rollout_percentage }, { actor: `admin-${i}`, expected: { rollout_percentage: 50 } })),
        );
        expect(raced.filter((r) => r.ok)).toHaveLength(1);
        expect(raced.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(1);
        const winner = raced.find((r) => r.ok)!;
        expect(await store.getFlag('v2_canonical_system')).toMatchObject({ rollout_percentage: winner.ok ? winner.flag!.rollout_percentage : -1 });
        expect(await store.readFlagHistory({ limit: 5 })).toHaveLength(2);
        expect(await harness.snapshot()).not.toEqual(before);
      });

      it('reverts a recorded change and records the revert; a stale revert is refused', async () => {
        const { store } = await fresh();
        const raised = await store.updateFlag('v2_canonical_system', { rollout_percentage: 50 }, alice);
        const change = raised.ok ? raised.changes[0]! : undefined;
        const reverted = await revertFlagChange(store, change!.id, { actor: 'carol' });
        expect(reverted).toMatchObject({ ok: true, flag: { rollout_percentage: 10 }, changes: [{ field: 'rollout_percentage', from: 50, to: 10, actor: 'carol', revertsChangeId: change!.id }] });
        expect(await revertFlagChange(store, change!.id, { actor: 'carol' })).toMatchObject({ ok: false, reason: 'conflict', fields: ['rollout_percentage'] });
        expect(await revertFlagChange(store, '987654321', { actor: 'carol' })).toMatchObject({ ok: false, reason: 'not_found' });

        const created = await store.createFlag({ name: 'beta_banner', description: 'Banner', enabled: true, rollout_percentage: 10 }, alice);
        const creation = created.ok ? created.changes[0]! : undefined;
        const undone = await revertFlagChange(store, creation!.id, { actor: 'carol' });
        expect(undone).toMatchObject({ ok: true, flag: null, changes: [{ field: 'flag', to: null, revertsChangeId: creation!.id }] });
        expect(await store.getFlag('beta_banner')).toBeNull();
        const deletion = undone.ok ? undone.changes[0]! : undefined;
        const restored = await revertFlagChange(store, deletion!.id, { actor: 'carol' });
        expect(restored).toMatchObject({ ok: true, flag: { name: 'beta_banner', description: 'Banner', enabled: true, rollout_percentage: 10 } });
        expect(await revertFlagChange(store, deletion!.id, { actor: 'carol' })).toEqual({ ok: false, reason: 'exists', name: 'beta_banner' });
        expect((await store.readFlagHistory({ name: 'beta_banner' })).map((c) => c.revertsChangeId)).toEqual([deletion!.id, creation!.id, null]);
      });

      it('restores a deleted flag with its metadata (its rollout plan) when the deletion is reverted, and creates a flag with metadata', async () => {
        const { store } = await fresh();
        const metadata = { owner: 'growth', rolloutPlan: createRolloutPlan(Date.parse('2026-03-02T09:00:00.000Z')) };
        await store.updateFlag('testimonial_system', { metadata, enabled: true, rollout_percentage: 10 }, alice);
        const deleted = await store.deleteFlag('testimonial_system', { actor: 'dave' });
        expect(deleted).toMatchObject({ ok: true, changes: [{ field: 'flag', from: { enabled: true, rollout_percentage: 10, metadata }, to: null }] });
        const deletion = deleted.ok ? deleted.changes[0]! : undefined;
        const restored = await revertFlagChange(store, deletion!.id, { actor: 'carol' });
        expect(restored).toMatchObject({ ok: true, flag: { name: 'testimonial_system', enabled: true, rollout_percentage: 10, metadata }, changes: [{ field: 'flag', from: null, to: { metadata } }] });
        expect((await store.getFlag('testimonial_system'))!.metadata).toEqual(metadata);

        const created = await store.createFlag({ name: 'planned_banner', enabled: true, metadata }, alice);
        expect(created).toMatchObject({ ok: true, flag: { name: 'planned_banner', metadata }, changes: [{ field: 'flag', from: null, to: { enabled: true, metadata } }] });
        expect((await store.getFlag('planned_banner'))!.metadata).toEqual(metadata);
        // Undoing the creation expects the metadata it created: changed since, the undo is refused.
        await store.updateFlag('planned_banner', { metadata: { owner: 'growth' } }, alice);
        expect(await revertFlagChange(store, created.ok ? created.changes[0]!.id : '', { actor: 'carol' })).toMatchObject({ ok: false, reason: 'conflict', fields: ['metadata'] });
        // A flag without metadata records none, and comes back without any.
        await store.createFlag({ name: 'plain_flag', enabled: true }, alice);
        const plain = await store.deleteFlag('plain_flag', alice);
        expect(plain.ok && plain.changes[0]!.from).toEqual({ description: null, enabled: true, rollout_percentage: 0 });
        expect(await revertFlagChange(store, plain.ok ? plain.changes[0]!.id : '', alice)).toMatchObject({ ok: true, flag: { name: 'plain_flag', enabled: true, metadata: null } });
      });

      it('lists every readable flag when one row cannot be read, and reports that row by name and column', async () => {
        const { harness, store } = await fresh();
        if (harness.breakFlagRow === undefined) return;
        const before = await store.listFlags();
        expect(before.errors).toEqual([]);
        expect(before.length).toBeGreaterThan(2);
        const broken = before[1]!.name;
        await harness.breakFlagRow(broken);
        const listed = await store.listFlags();
        expect(listed.map((flag) => flag.name)).toEqual(before.map((flag) => flag.name).filter((name) => name !== broken));
        expect([...listed]).toEqual(before.filter((flag) => flag.name !== broken));
        expect(listed.errors).toHaveLength(1);
        expect(listed.errors[0]).toMatchObject({ code: 'UNREADABLE_FLAG_ROW', name: broken, column: 'created_at' });
        expect(listed.errors[0]!.message).toContain(`"${broken}"`);
        expect(listed.errors[0]!.message).toContain('created_at');
      });

      it('writes a flag change and its history row in one transaction: when the history cannot be written, the flag is unchanged', async () => {
        const { harness, store } = await fresh();
        if (harness.dropFlagHistory === undefined) return;
        const before = await harness.snapshot();
        await harness.dropFlagHistory();
        await expect(store.updateFlag('testimonial_system', { enabled: true, rollout_percentage: 10 }, alice)).rejects.toMatchObject({ code: 'STORE_ERROR' });
        await expect(store.createFlag({ name: 'orphan_flag' }, alice)).rejects.toMatchObject({ code: 'STORE_ERROR' });
        await expect(store.deleteFlag('playlist_orchestration', alice)).rejects.toMatchObject({ code: 'STORE_ERROR' });
        expect(await harness.snapshot()).toEqual(before);
      });
    });

    describe('FlagMetricsStore: flag telemetry', () => {
      const W0 = '2026-03-02T09:00:00.000Z';
      const W1 = '2026-03-02T09:01:00.000Z';
      const W2 = '2026-03-02T09:02:00.000Z';
      const row = (windowStart: string, flagName: string, metric: string, variant: 'on' | 'off', reason: string, count: number): FlagMetricRow => ({ windowStart, flagName, metric, variant, reason, count });
      const total = (flagName: string, metric: string, variant: 'on' | 'off', reason: string, count: number) => ({ flagName, metric, variant, reason, count });

      it('adds the counts of the same window and key, and sums the selected windows per flag, metric, variant and reason', async () => {
        const { store } = await fresh();
        expect(await store.readFlagMetrics()).toEqual([]);
        await store.writeFlagMetrics([]);
        await store.writeFlagMetrics([
          row(W0, 'banner', '$evaluation', 'on', 'SPLIT', 3),
          row(W0, 'banner', '$evaluation', 'off', 'SPLIT', 2),
          row(W1, 'banner', 'error', 'on', '', 1),
          // Names are keys: another case is another flag, on every database.
          row(W0, 'Banner', '$evaluation', 'on', 'SPLIT', 7),
        ]);
        await store.writeFlagMetrics([
          row(W0, 'banner', '$evaluation', 'on', 'SPLIT', 4),
          row(W1, 'banner', '$evaluation', 'on', 'SPLIT', 5),
          // The same window written another way, and twice in one write: one key.
          row('2026-03-02T10:02:00+01:00', 'checkout', '$evaluation', 'on', 'DISABLED', 1),
          row(W2, 'checkout', '$evaluation', 'on', 'DISABLED', 1),
          row(W2, 'banner', 'error', 'on', '', 2),
        ]);
        expect(await store.readFlagMetrics()).toEqual([
          total('Banner', '$evaluation', 'on', 'SPLIT', 7),
          total('banner', '$evaluation', 'off', 'SPLIT', 2),
          total('banner', '$evaluation', 'on', 'SPLIT', 12),
          total('banner', 'error', 'on', '', 3),
          total('checkout', '$evaluation', 'on', 'DISABLED', 2),
        ]);
        expect(await store.readFlagMetrics({ flagName: 'banner', since: W1 })).toEqual([total('banner', '$evaluation', 'on', 'SPLIT', 5), total('banner', 'error', 'on', '', 3)]);
        expect(await store.readFlagMetrics({ flagName: 'banner', until: W1 })).toEqual([total('banner', '$evaluation', 'off', 'SPLIT', 2), total('banner', '$evaluation', 'on', 'SPLIT', 7)]);
        expect(await store.readFlagMetrics({ since: W1, until: W2 })).toEqual([total('banner', '$evaluation', 'on', 'SPLIT', 5), total('banner', 'error', 'on', '', 1)]);
        expect(await store.readFlagMetrics({ since: '2026-03-02T09:00:00.001Z', until: '2026-03-02T09:01:00.001Z' })).toEqual([total('banner', '$evaluation', 'on', 'SPLIT', 5), total('banner', 'error', 'on', '', 1)]);
        expect(await store.readFlagMetrics({ since: W2, until: W1 })).toEqual([]);
        expect(await store.readFlagMetrics({ since: '0001-01-01T00:00:00.000Z', until: '+100000-01-01T00:00:00.000Z', flagName: 'checkout' })).toEqual([total('checkout', '$evaluation', 'on', 'DISABLED', 2)]);
        expect(await store.readFlagMetrics({ flagName: 'no_such_flag' })).toEqual([]);
        await expect(store.readFlagMetrics({ since: 'yesterday' })).rejects.toThrow(/since must be an ISO 8601 time/);
      });

      it('keeps names exact: a flag or metric name differing only in case or trailing spaces is another key', async () => {
        const { store } = await fresh();
        await store.writeFlagMetrics([
          row(W0, 'banner', 'error', 'on', '', 1),
          row(W0, 'banner ', 'error', 'on', '', 2),
          row(W0, 'banner', 'error ', 'on', '', 4),
          row(W0, 'banner', 'error', 'on', ' ', 8),
          row(W0, 'BANNER', 'error', 'on', '', 16),
        ]);
        // In the port's order (the keys' JSON as JavaScript compares strings: a space sorts before the closing quote).
        expect(await store.readFlagMetrics()).toEqual([
          total('BANNER', 'error', 'on', '', 16),
          total('banner ', 'error', 'on', '', 2),
          total('banner', 'error ', 'on', '', 4),
          total('banner', 'error', 'on', ' ', 8),
          total('banner', 'error', 'on', '', 1),
        ]);
        expect(await store.readFlagMetrics({ flagName: 'banner ' })).toEqual([total('banner ', 'error', 'on', '', 2)]);
        expect((await store.readFlagMetrics({ flagName: 'banner' })).map((t) => t.count)).toEqual([4, 8, 1]);

        const write = { actor: 'conformance' };
        expect(await store.createFlag({ name: 'beta_banner', enabled: true, rollout_percentage: 10 }, write)).toMatchObject({ ok: true });
        // Another case is another flag (the name pattern allows it), with its own history.
        expect(await store.createFlag({ name: 'Beta_Banner' }, write)).toMatchObject({ ok: true, flag: { name: 'Beta_Banner', enabled: false } });
        expect(await store.getFlag('beta_banner ')).toBeNull();
        expect(await store.getFlag('BETA_BANNER')).toBeNull();
        expect(await store.getFlag('beta_banner')).toMatchObject({ name: 'beta_banner', enabled: true });
        expect(await store.updateFlag('beta_banner ', { enabled: false }, write)).toMatchObject({ ok: false });
        expect((await store.readFlagHistory({ name: 'beta_banner' })).map((change) => change.flagName)).toEqual(['beta_banner']);
        expect(await store.readFlagHistory({ name: 'beta_banner ' })).toEqual([]);
        expect((await store.listFlags()).filter((flag) => flag.name.toLowerCase() === 'beta_banner').map((flag) => flag.name).sort()).toEqual(['Beta_Banner', 'beta_banner']);
      });

      it('writes all rows of a write or none: one bad row refuses the whole write, naming the row and the field', async () => {
        const { store } = await fresh();
        await store.writeFlagMetrics([row(W0, 'banner', '$evaluation', 'on', 'SPLIT', 1)]);
        const before = await store.readFlagMetrics();
        const good = Array.from({ length: 450 }, (_, i) => row(new Date(Date.parse(W0) + i * 60_000).toISOString(), 'banner', '$evaluation', i % 2 === 0 ? 'on' : 'off', 'SPLIT', i + 1));
        const bad: [Partial<FlagMetricRow>, RegExp][] = [
          [{ count: 0 }, /telemetry row 450: count must be a positive integer/],
          [{ count: 1.5 }, /telemetry row 450: count/],
          [{ count: Number.MAX_SAFE_INTEGER + 2 }, /telemetry row 450: count/],
          [{ variant: 'maybe' as never }, /telemetry row 450: variant/],
          [{ metric: '' }, /telemetry row 450: metric/],
          [{ metric: 'm'.repeat(101) }, /telemetry row 450: metric/],
          [{ reason: 'r'.repeat(33) }, /telemetry row 450: reason/],
          [{ flagName: '' }, /telemetry row 450: flagName/],
          [{ windowStart: 'not a time' }, /telemetry row 450: windowStart/],
          [{ windowStart: '+010000-01-01T00:00:00.000Z' }, /telemetry row 450: windowStart/],
        ];
        for (const [fault, message] of bad) {
          await expect(store.writeFlagMetrics([...good, { ...row(W1, 'banner', 'error', 'on', '', 1), ...fault }])).rejects.toThrow(message);
        }
        expect(await store.readFlagMetrics()).toEqual(before);
        // The same 450 rows without the bad one: several statements of one write, all of them.
        await store.writeFlagMetrics(good);
        const sum = (variant: 'on' | 'off') => good.filter((r) => r.variant === variant).reduce((s, r) => s + r.count, 0);
        expect(await store.readFlagMetrics()).toEqual([total('banner', '$evaluation', 'off', 'SPLIT', sum('off')), total('banner', '$evaluation', 'on', 'SPLIT', sum('on') + 1)]);
      });

      it('deletes the windows that started before a time (the retention), of every flag, and counts the stored rows it deleted', async () => {
        const { store } = await fresh();
        await store.writeFlagMetrics([
          row(W0, 'banner', '$evaluation', 'on', 'SPLIT', 3),
          row(W0, 'banner', '$evaluation', 'on', 'SPLIT', 4),
          row(W0, 'checkout', 'error', 'off', '', 1),
          row(W1, 'banner', '$evaluation', 'on', 'SPLIT', 5),
          row(W2, 'checkout', 'error', 'off', '', 2),
        ]);
        await expect(store.deleteFlagMetrics({ before: 'last month' })).rejects.toThrow(/before must be an ISO 8601 time/);
        expect(await store.deleteFlagMetrics({ before: '1969-12-31T00:00:00.000Z' })).toBe(0);
        // W0 rows of one key are one stored row: two deleted, and W1 (not before W1) kept.
        expect(await store.deleteFlagMetrics({ before: W1 })).toBe(2);
        expect(await store.readFlagMetrics()).toEqual([total('banner', '$evaluation', 'on', 'SPLIT', 5), total('checkout', 'error', 'off', '', 2)]);
        expect(await store.deleteFlagMetrics({ before: W1 })).toBe(0);
        expect(await store.deleteFlagMetrics({ before: '2026-03-02T09:01:00.001Z' })).toBe(1);
        expect(await store.readFlagMetrics()).toEqual([total('checkout', 'error', 'off', '', 2)]);
        expect(await store.deleteFlagMetrics({ before: '+100000-01-01T00:00:00.000Z' })).toBe(1);
        expect(await store.readFlagMetrics()).toEqual([]);
      });

      it('adds up exactly under concurrent writers: every count of every write, none twice', async () => {
        const { store } = await fresh();
        const writers = 12;
        const writesEach = 4;
        const expected = new Map<string, number>();
        const writes = Array.from({ length: writers }, (_, writer) => async () => {
          for (let write = 0; write < writesEach; write++) {
            // Every writer adds to the same keys (and creates some of them), in both windows.
            const rows = [
              row(W0, 'banner', '$evaluation', 'on', 'SPLIT', writer + 1),
              row(W1, 'banner', '$evaluation', write % 2 === 0 ? 'on' : 'off', 'SPLIT', write + 1),
              row(W1, 'banner', 'error', 'on', '', 1),
              row(W0, `flag_${write}`, '$evaluation', 'off', 'DEFAULT', 2),
            ];
            for (const r of rows) expected.set(JSON.stringify([r.flagName, r.metric, r.variant, r.reason]), (expected.get(JSON.stringify([r.flagName, r.metric, r.variant, r.reason])) ?? 0) + r.count);
            await store.writeFlagMetrics(rows);
          }
        });
        await Promise.all(writes.map((run) => run()));
        const totals = await store.readFlagMetrics();
        expect(Object.fromEntries(totals.map((t) => [JSON.stringify([t.flagName, t.metric, t.variant, t.reason]), t.count]))).toEqual(Object.fromEntries(expected));
        expect(totals.reduce((s, t) => s + t.count, 0)).toBe([...expected.values()].reduce((s, c) => s + c, 0));
      });
    });

    it('keeps rollout_percentage an integer from 0 to 100: a fraction or an out-of-range value is refused as invalid on every store, and the flag is unchanged', async () => {
      const { store } = await fresh();
      const write = { actor: 'conformance' };
      const before = await store.getFlag('v2_canonical_system');
      for (const rollout of [50.5, 0.1, 99.99, 101, -1]) {
        const refused = await store.updateFlag('v2_canonical_system', { rollout_percentage: rollout }, write);
        expect(refused).toMatchObject({ ok: false, reason: 'invalid' });
        if (!refused.ok && refused.reason === 'invalid') expect(refused.error.field).toBe('rollout_percentage');
      }
      expect(await store.getFlag('v2_canonical_system')).toEqual(before);
      expect(await store.updateFlag('v2_canonical_system', { rollout_percentage: 100 }, write)).toMatchObject({ ok: true, flag: { rollout_percentage: 100 } });
    });

    it('stores a rollout plan in metadata: validated, compared as JSON, recorded in the history and revertible', async () => {
      const { harness, store } = await fresh();
      const write = { actor: 'planner' };
      const plan = createRolloutPlan(Date.parse('2026-03-02T09:00:00.000Z'), { guardrails: [{ metric: 'error', threshold: 0.05, action: 'rollback', minSamples: 100 }] });
      const metadata = { owner: 'growth', rolloutPlan: plan };
      const started = await store.updateFlag('testimonial_system', { metadata, enabled: true }, write);
      expect(started).toMatchObject({ ok: true, flag: { metadata, enabled: true }, changes: [{ field: 'metadata', from: {}, to: metadata }, { field: 'enabled' }] });
      expect((await store.getFlag('testimonial_system'))!.metadata).toEqual(metadata);
      // The same JSON in another key order is no change, and is what the writer expected.
      const reordered = { rolloutPlan: Object.fromEntries(Object.entries(plan).reverse()), owner: 'growth' };
      expect(await store.updateFlag('testimonial_system', { metadata: reordered }, { ...write, expected: { metadata: reordered } })).toMatchObject({ ok: true, changes: [] });
      const paused = { ...metadata, rolloutPlan: { ...plan, state: 'paused', pausedAt: '2026-03-02T12:00:00.000Z' } };
      expect(await store.updateFlag('testimonial_system', { metadata: paused }, { ...write, expected: { metadata: { owner: 'growth' } } })).toMatchObject({ ok: false, reason: 'conflict', fields: ['metadata'] });
      const pausing = await store.updateFlag('testimonial_system', { metadata: paused }, { ...write, expected: { metadata } });
      expect(pausing).toMatchObject({ ok: true, changes: [{ field: 'metadata', from: metadata, to: paused }] });

      const before = await harness.snapshot();
      for (const [bad, field] of [
        [{ rolloutPlan: { ...plan, stages: [{ percentage: 50 }, { percentage: 10 }] } }, 'metadata.rolloutPlan.stages'],
        [{ rolloutPlan: { ...plan, state: 'paused' } }, 'metadata.rolloutPlan.pausedAt'],
        [{ rolloutPlan: { ...plan, stages: [{ percentage: 10, hold: 'a day' }] } }, 'metadata.rolloutPlan.stages.0.hold'],
        [['not', 'an', 'object'], 'metadata'],
      ] as const) {
        const refused = await store.updateFlag('testimonial_system', { metadata: bad as never }, write);
        expect(refused).toMatchObject({ ok: false, reason: 'invalid', error: { field } });
      }
      expect(await harness.snapshot()).toEqual(before);

      const reverted = await revertFlagChange(store, pausing.ok ? pausing.changes[0]!.id : '', { actor: 'planner' });
      expect(reverted).toMatchObject({ ok: true, flag: { metadata }, changes: [{ field: 'metadata', from: paused, to: metadata }] });
      expect(await store.updateFlag('testimonial_system', { metadata: null }, write)).toMatchObject({ ok: true, flag: { metadata: null } });
    });
  });
}
