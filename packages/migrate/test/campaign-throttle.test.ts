import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { type DatabaseHealth, type DatabaseHealthReading, type MigrationProgress, type MigrationStore, createMemoryStore, runCampaignMigration } from '../src/index.js';

const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };
const lagging: DatabaseHealthReading = { replicas: [{ name: 'standby1', lagSeconds: 45, lagBytes: 0 }] };
const healthy: DatabaseHealthReading = { replicas: [] };

/** A database whose replicas report the readings in turn, the last one from then on. */
function scriptedHealth(readings: DatabaseHealthReading[]): DatabaseHealth & { reads: number } {
  const health = {
    reads: 0,
    readDatabaseHealth: async () => readings[Math.min(health.reads++, readings.length - 1)]!,
  };
  return health;
}

/** The memory store, counting the campaigns each batch write carries. */
function countingStore(store: MigrationStore): { store: MigrationStore; writes: number[] } {
  const writes: number[] = [];
  const counting: MigrationStore = Object.create(store);
  counting.writeCampaignBatch = async (write) => {
    writes.push(write.updates.length);
    return store.writeCampaignBatch(write);
  };
  return { store: counting, writes };
}

describe('runCampaignMigration with a throttle', () => {
  it('writes nothing while a replica lags, then goes on, says why it waited and counts the pauses', async () => {
    const memory = createMemoryStore(conformanceSeed());
    const { store, writes } = countingStore(memory);
    const progress: MigrationProgress[] = [];
    const run = await runCampaignMigration({
      store,
      apply: true,
      resolutions,
      batchSize: 1,
      // Healthy before the first batch, lagging for three readings before the second, then healthy.
      throttle: { health: scriptedHealth([healthy, lagging, lagging, lagging, healthy]), maxReplicationLagSeconds: 30, pauseMs: 5 },
      onProgress: (p) => {
        progress.push(p);
        if (p.paused !== undefined) expect(writes).toEqual([1]);
      },
    });
    expect(run).toMatchObject({ status: 'completed', written: 3, throttle: { pauses: 1 } });
    expect(run.throttle?.pausedMs).toBeGreaterThan(0);
    expect(run.throttle).not.toHaveProperty('pausedAtEnd');
    expect(progress.filter((p) => p.paused !== undefined).map((p) => [p.paused, p.processed, p.written, p.etaSeconds])).toEqual([
      ['replica standby1 is 45 s behind (limit 30 s)', 1, 1, null],
      ['replica standby1 is 45 s behind (limit 30 s)', 1, 1, null],
      ['replica standby1 is 45 s behind (limit 30 s)', 1, 1, null],
    ]);
    expect(await memory.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 3 } });
  });

  it('renews its lease while paused longer than the lease lasts, so no other runner takes the run', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    const rivals: boolean[] = [];
    let reads = 0;
    const health: DatabaseHealth = {
      readDatabaseHealth: async () => {
        reads++;
        if (reads > 1) rivals.push((await store.acquireLease('campaigns', 'rival', 1_000)).acquired);
        return reads > 8 ? healthy : lagging;
      },
    };
    const run = await runCampaignMigration({
      store,
      apply: true,
      resolutions,
      leaseTtlMs: 1_000,
      now,
      throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 1 },
      onProgress: (p) => {
        // Each pause "lasts" 400 ms: eight of them outlast the 1 s lease three times over.
        if (p.paused !== undefined) clock += 400;
      },
    });
    expect(rivals).toHaveLength(8);
    expect(rivals.some(Boolean)).toBe(false);
    expect(run).toMatchObject({ status: 'completed', written: 3, throttle: { pauses: 1, pausedMs: 3_200 } });
  });

  it('ends limited once it has waited maxWaitMs in all, saying why, saying why, and a resume writes the rest once the replica caught up', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const memory = createMemoryStore(conformanceSeed(), { now });
    const { store, writes } = countingStore(memory);
    const boxed = (health: DatabaseHealth, resume: boolean) =>
      runCampaignMigration({
        store,
        apply: true,
        resume,
        resolutions,
        batchSize: 1,
        now,
        maxWaitMs: 2_000,
        throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 5 },
        onProgress: (p) => {
          if (p.paused !== undefined) clock += 800;
        },
      });
    const first = await boxed(scriptedHealth([healthy, lagging]), false);
    expect(first).toMatchObject({ status: 'limited', written: 1, throttle: { pauses: 1, pausedMs: 2_400, pausedAtEnd: 'replica standby1 is 45 s behind (limit 1 s)' } });
    expect(await memory.readCheckpoint('campaigns')).toMatchObject({ status: 'running', limited: true, counts: { written: 1 } });
    const rest = await boxed(scriptedHealth([healthy]), true);
    expect(rest).toMatchObject({ status: 'completed', written: 2, totalWritten: 3, throttle: { pauses: 0, pausedMs: 0 } });
    expect(writes).toEqual([1, 1, 1]);
  });

  it('is not cut short by maxWaitMs when it never waits, however long its batches take', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const memory = createMemoryStore(conformanceSeed(), { now: () => new Date(clock) });
    const slow: MigrationStore = Object.create(memory);
    slow.writeCampaignBatch = async (write) => {
      clock += 10_000;
      return memory.writeCampaignBatch(write);
    };
    const run = await runCampaignMigration({
      store: slow,
      apply: true,
      resolutions,
      batchSize: 1,
      now: () => new Date(clock),
      maxWaitMs: 1,
      throttle: { health: scriptedHealth([healthy]), maxReplicationLagSeconds: 1 },
    });
    expect(run).toMatchObject({ status: 'completed', written: 3, throttle: { pauses: 0, pausedMs: 0 } });
  });

  it('stops on the signal while paused, with nothing of the waiting batch written', async () => {
    const memory = createMemoryStore(conformanceSeed());
    const { store, writes } = countingStore(memory);
    const controller = new AbortController();
    const run = await runCampaignMigration({
      store,
      apply: true,
      resolutions,
      batchSize: 1,
      signal: controller.signal,
      throttle: { health: scriptedHealth([healthy, lagging]), maxReplicationLagSeconds: 1, pauseMs: 60_000 },
      onProgress: (p) => {
        if (p.paused !== undefined) controller.abort();
      },
    });
    expect(run).toMatchObject({ status: 'aborted', written: 1 });
    expect(writes).toEqual([1]);
    expect(await memory.readCheckpoint('campaigns')).toMatchObject({ status: 'aborted', counts: { written: 1 } });
  });

  it('is checked before anything is read, and a dry run writes nothing so never waits', async () => {
    const store = createMemoryStore(conformanceSeed());
    await expect(runCampaignMigration({ store, apply: true, resolutions, throttle: { health: scriptedHealth([healthy]) } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'throttle',
    });
    await expect(runCampaignMigration({ store, apply: true, resolutions, maxWaitMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'maxWaitMs' });
    expect(await store.readCheckpoint('campaigns')).toBeNull();
    const health = scriptedHealth([lagging]);
    const dryRun = await runCampaignMigration({ store, resolutions, throttle: { health, maxReplicationLagSeconds: 1 } });
    expect(dryRun).toMatchObject({ status: 'completed', written: 0, throttle: { pauses: 0, pausedMs: 0 } });
    expect(health.reads).toBe(0);
  });
});
