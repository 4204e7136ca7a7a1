import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { type BatchTimeouts, type MigrationStore, createMemoryStore, runCampaignMigration, runEventMigration, runEventMigrationWorkers } from '../src/index.js';

/** The memory store, recording the timeouts each event (or campaign) batch write got (checkpoints alone go through writeCheckpoint). */
function recordingStore(): { store: MigrationStore; batches: (BatchTimeouts | undefined)[]; campaignBatches: (BatchTimeouts | undefined)[] } {
  const memory = createMemoryStore(conformanceSeed());
  const batches: (BatchTimeouts | undefined)[] = [];
  const campaignBatches: (BatchTimeouts | undefined)[] = [];
  const store: MigrationStore = Object.create(memory);
  store.writeEventBatch = async (write, selection) => {
    batches.push(write.timeouts);
    return memory.writeEventBatch(write, selection);
  };
  store.writeCampaignBatch = async (write) => {
    campaignBatches.push(write.timeouts);
    return memory.writeCampaignBatch(write);
  };
  return { store, batches, campaignBatches };
}

describe('runEventMigration: batchTimeouts', () => {
  it('gives every batch it writes the limits, as given, to apply to that batch alone', async () => {
    const { store, batches } = recordingStore();
    const report = await runEventMigration({ store, apply: true, batchSize: 50, batchTimeouts: { lockTimeoutMs: 2_000, statementTimeoutMs: 30_000 } });
    expect(report).toMatchObject({ status: 'completed', counts: { written: 117 } });
    expect(batches).toEqual([
      { lockTimeoutMs: 2_000, statementTimeoutMs: 30_000 },
      { lockTimeoutMs: 2_000, statementTimeoutMs: 30_000 },
      { lockTimeoutMs: 2_000, statementTimeoutMs: 30_000 },
    ]);
  });

  it('gives none without them, or when they set no limit; each worker gets them too', async () => {
    for (const batchTimeouts of [undefined, {}]) {
      const { store, batches } = recordingStore();
      await runEventMigration({ store, apply: true, batchSize: 60, ...(batchTimeouts === undefined ? {} : { batchTimeouts }) });
      expect(batches).toEqual([undefined, undefined]);
    }
    const { store, batches } = recordingStore();
    const report = await runEventMigrationWorkers({ store, apply: true, workers: 2, batchSize: 30, batchTimeouts: { lockTimeoutMs: 500 } });
    expect(report).toMatchObject({ status: 'completed', counts: { written: 117 } });
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.every((timeouts) => timeouts?.lockTimeoutMs === 500 && timeouts.statementTimeoutMs === undefined)).toBe(true);
  });

  it('refuses a limit that is not a positive integer of ms, naming it, before anything is read or written', async () => {
    const { store, batches } = recordingStore();
    for (const [batchTimeouts, option] of [
      [{ lockTimeoutMs: 0 }, 'batchTimeouts.lockTimeoutMs'],
      [{ statementTimeoutMs: 1.5 }, 'batchTimeouts.statementTimeoutMs'],
      [{ lockTimeoutMs: 1_000, statementTimeoutMs: -1 }, 'batchTimeouts.statementTimeoutMs'],
    ] as const) {
      await expect(runEventMigration({ store, apply: true, batchTimeouts })).rejects.toMatchObject({ code: 'INVALID_OPTION', option });
    }
    expect(batches).toEqual([]);
    expect(await store.readCheckpoint('events')).toBeNull();
  });
});

describe('runCampaignMigration: batchTimeouts', () => {
  it('gives every batch of data_sources_v2 it writes the limits, as given; none without them', async () => {
    const { store, campaignBatches } = recordingStore();
    const run = await runCampaignMigration({ store, apply: true, batchSize: 1, batchTimeouts: { lockTimeoutMs: 2_000, statementTimeoutMs: 30_000 } });
    expect(run.status).toBe('completed');
    expect(run.written).toBeGreaterThan(1);
    expect(campaignBatches).toHaveLength(run.written);
    expect(campaignBatches.every((timeouts) => timeouts?.lockTimeoutMs === 2_000 && timeouts.statementTimeoutMs === 30_000)).toBe(true);
    const unlimited = recordingStore();
    await runCampaignMigration({ store: unlimited.store, apply: true, batchSize: 1 });
    expect(unlimited.campaignBatches.length).toBeGreaterThan(0);
    expect(unlimited.campaignBatches.every((timeouts) => timeouts === undefined)).toBe(true);
  });

  it('refuses a limit that is not a positive integer of ms, naming it, before anything is read or written', async () => {
    const { store, campaignBatches } = recordingStore();
    await expect(runCampaignMigration({ store, apply: true, batchTimeouts: { lockTimeoutMs: 0 } })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'batchTimeouts.lockTimeoutMs' });
    expect(campaignBatches).toEqual([]);
    expect(await store.readCheckpoint('campaigns')).toBeNull();
  });
});
