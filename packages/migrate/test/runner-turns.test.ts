import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { InvalidOptionError, MAX_BATCH_SIZE, type MigrationProgress, createMemoryStore, runCampaignMigration, runEventMigration } from '../src/index.js';

const seed = conformanceSeed();
const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const databases: Database.Database[] = [];

afterEach(() => {
  for (const database of databases.splice(0)) database.close();
});

/**
 * better-sqlite3 answers synchronously, so a run on it chains promise callbacks only: unless the
 * runner yields, no timer (nor a signal handler) runs before the whole migration has.
 */
async function sqliteStore(events: number) {
  const database = new Database(':memory:');
  databases.push(database);
  const store = createSqliteStore({ database, createLegacyTables: true });
  await store.ensureSchema();
  const insert = database.prepare('INSERT INTO events (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)');
  database.transaction(() => {
    for (let n = 0; n < events; n++) {
      const e = seed.events[n % seed.events.length]!;
      insert.run(`evt-${String(n + 1).padStart(6, '0')}`, e.integration_type, e.event_type, json(e.event_data), e.created_at);
    }
  })();
  return store;
}

describe('the runners give the event loop a turn between batches', () => {
  it('runEventMigration on SQLite stops after the batch during which a timer aborted it', async () => {
    const store = await sqliteStore(2_000);
    const controller = new AbortController();
    const batches: number[] = [];
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p: MigrationProgress) => {
        batches.push(p.batches);
        // The abort comes from a timer, as Ctrl-C does: it can only fire on a turn of the event loop.
        if (p.batches === 3) setTimeout(() => controller.abort(), 0);
      },
    });
    expect(report.status).toBe('aborted');
    // The timer fires on the runner's next turn, before it reads the next batch.
    expect(batches).toEqual([1, 2, 3]);
    expect(report.counts.processed).toBe(30);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'aborted', cursor: 'evt-000030', counts: { processed: 30 } });
    expect((await store.eventStatus()).migrated).toBe(report.counts.written);
  });

  it('runEventMigration in a dry run is stopped by a timer set before it started', async () => {
    // 20,000 one-row batches take far longer than the timer; 50 ms leaves the checks before the first batch time to finish on a busy machine.
    const store = await sqliteStore(20_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const report = await runEventMigration({ store, batchSize: 1, signal: controller.signal });
    expect(report.status).toBe('aborted');
    // On a loaded machine the timer may fire before the first batch: what matters is that it
    // fires at all before the synchronous driver has read every row.
    expect(report.counts.processed).toBeLessThan(20_000);
  });

  it('runCampaignMigration stops after the batch during which a timer aborted it', async () => {
    const store = createMemoryStore(seed);
    const controller = new AbortController();
    const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };
    const run = await runCampaignMigration({
      store,
      apply: true,
      resolutions,
      batchSize: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batches === 1) setTimeout(() => controller.abort(), 0);
      },
    });
    expect(run).toMatchObject({ status: 'aborted', written: 1 });
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'aborted', counts: { written: 1 } });
  });
});

describe('batchSize', () => {
  it(`is a positive integer of at most ${MAX_BATCH_SIZE}, checked before the store is read`, async () => {
    expect(MAX_BATCH_SIZE).toBe(10_000);
    for (const batchSize of [0, -1, 1.5, Number.NaN, MAX_BATCH_SIZE + 1]) {
      const store = createMemoryStore(seed);
      const reads = { count: 0 };
      const counting = new Proxy(store, {
        get(target, key, receiver) {
          if (typeof key === 'string' && key.startsWith('read')) reads.count++;
          return Reflect.get(target, key, receiver);
        },
      });
      for (const run of [() => runEventMigration({ store: counting, apply: true, batchSize }), () => runCampaignMigration({ store: counting, apply: true, batchSize })]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'batchSize' });
        expect((error as Error).message).toMatch(/^batchSize: /);
      }
      expect(reads.count).toBe(0);
    }
    const store = createMemoryStore(seed);
    expect(await runEventMigration({ store, batchSize: MAX_BATCH_SIZE })).toMatchObject({ status: 'completed', batchSize: MAX_BATCH_SIZE });
    expect(await runCampaignMigration({ store, batchSize: MAX_BATCH_SIZE })).toMatchObject({ status: 'completed' });
  });
});
