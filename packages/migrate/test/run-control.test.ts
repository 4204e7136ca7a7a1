import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { type MigrationProgress, type MigrationStore, createMemoryStore, runCampaignMigration, runEventMigration, runEventMigrationWorkers, verifyMigration } from '../src/index.js';

// The seed's resolutions that leave no campaign ambiguous: 3 campaigns to write, one per batch below.
const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };

describe('verifyMigration after sharded runs', () => {
  it('counts every shard: the 3 unusable rows are failed, nothing else remains, ok', async () => {
    const store = createMemoryStore(conformanceSeed());
    for (const index of [1, 2]) await runEventMigration({ store, apply: true, shard: { index, count: 2 }, batchSize: 25 });
    await runCampaignMigration({ store, apply: true, resolutions });
    expect(await store.readCheckpoint('events')).toBeNull();
    const verification = await verifyMigration(store, { sampleSize: 50, resolutions });
    expect(verification.events).toEqual({ total: 120, migrated: 117, remaining: 3, failed: 3 });
    expect(verification.ok).toBe(true);
  });

  it('is not ok while a shard has not run', async () => {
    const store = createMemoryStore(conformanceSeed());
    await runEventMigration({ store, apply: true, shard: { index: 1, count: 2 } });
    const verification = await verifyMigration(store);
    expect(verification.events.remaining).toBeGreaterThan(verification.events.failed);
    expect(verification.ok).toBe(false);
  });
});

describe('runCampaignMigration: lease, limit, resume, progress', () => {
  it('takes its lease before it reads: a runner started while another reads is refused, so no campaign is planned from an old read and written (and counted) twice', async () => {
    const store = createMemoryStore(conformanceSeed());
    let second: unknown;
    const reading: MigrationStore = Object.create(store);
    reading.readCampaignBatch = async (after, limit, range) => {
      const batch = await store.readCampaignBatch(after, limit, range);
      second ??= await runCampaignMigration({ store, apply: true, resolutions }).catch((error: unknown) => error);
      return batch;
    };
    const first = await runCampaignMigration({ store: reading, apply: true, resolutions });
    expect(second).toMatchObject({ code: 'RUN_LOCKED' });
    expect(first.written).toBe(3);
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 3 } });
    expect((await runCampaignMigration({ store, apply: true, resolutions })).written).toBe(0);
  });

  it('renews its lease before every batch, so a run longer than the lease TTL completes', async () => {
    let clock = Date.parse('2025-06-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    // Each batch "takes" 600 ms against a 1 s lease: without renewal the third write finds it lapsed.
    const run = await runCampaignMigration({ store, apply: true, resolutions, batchSize: 1, leaseTtlMs: 1_000, now, onProgress: () => (clock += 600) });
    expect(run).toMatchObject({ status: 'completed', written: 3 });
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 3 } });
  });

  it('reports progress in a dry run too, writing nothing', async () => {
    const store = createMemoryStore(conformanceSeed());
    const progress: MigrationProgress[] = [];
    const run = await runCampaignMigration({ store, resolutions, batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(run).toMatchObject({ mode: 'dry-run', status: 'completed', written: 0 });
    expect(progress.map((p) => [p.mode, p.processed, p.total, p.written])).toEqual([
      // Campaigns processed of the five, not writes: the third write is campaign-4, and with it all five are done.
      ['dry-run', 2, 5, 0],
      ['dry-run', 5, 5, 0],
    ]);
    expect(await store.readCheckpoint('campaigns')).toBeNull();
  });

  it('stops at limit, and resume continues with the counts of the run it resumes', async () => {
    const store = createMemoryStore(conformanceSeed());
    const first = await runCampaignMigration({ store, apply: true, resolutions, limit: 1 });
    expect(first).toMatchObject({ status: 'limited', written: 1, totalWritten: 1, resumedFrom: null });
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'running', cursor: 'campaign-1' });
    const second = await runCampaignMigration({ store, apply: true, resolutions, resume: true });
    expect(second).toMatchObject({ status: 'completed', written: 2, totalWritten: 3, resumedFrom: 'campaign-1' });
    expect((await store.campaignStatus()).migrated).toBe(4);
  });

  it('refuses a limit that is not a positive integer', async () => {
    const store = createMemoryStore(conformanceSeed());
    await expect(runCampaignMigration({ store, apply: true, resolutions, limit: 0.5 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('runCampaignMigration: owners', () => {
  // The seed's example has no owner column at all: one team's single-tenant table.
  const unowned = () =>
    createMemoryStore({
      campaigns: [{ id: 'campaign-1', data_source: 'shopify', integration_settings: { events: ['order.created'] }, data_sources_v2: null }],
      integrations: [{ id: 'int-123', provider: 'shopify', status: 'active', deleted_at: null }],
    });

  it('refuses an owner column the rows lack, naming it and the option, rather than make every campaign NO_OWNER; nothing written', async () => {
    const store = unowned();
    const refused = runCampaignMigration({ store, apply: true });
    await expect(refused).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY', absent: [{ table: 'campaigns', column: 'user_id', key: 'ownerKey' }, { table: 'integrations', column: 'user_id', key: 'integrationOwnerKey' }] });
    await expect(refused).rejects.toThrow('column campaigns.user_id does not exist: set the ownerKey option to the column that holds it, or pass singleOwner: true');
    await expect(verifyMigration(store)).rejects.toMatchObject({ code: 'SCHEMA_NOT_READY' });
    expect(store.snapshot().campaigns[0]?.data_sources_v2).toBeNull();
  });

  it('never matches a campaign whose owner is empty: NO_OWNER for review, nothing written', async () => {
    const store = createMemoryStore({
      campaigns: [{ id: 'campaign-1', user_id: null, data_source: 'shopify', data_sources_v2: null }],
      integrations: [{ id: 'int-123', user_id: null, provider: 'shopify', status: 'active' }],
    });
    const run = await runCampaignMigration({ store, apply: true });
    expect(run.report.summary.reasons.NO_OWNER).toBe(1);
    expect(run.written).toBe(0);
  });

  it('maps it under singleOwner, as the seed example expects', async () => {
    const store = unowned();
    const run = await runCampaignMigration({ store, apply: true, singleOwner: true });
    expect(run.written).toBe(1);
    expect(store.snapshot().campaigns[0]?.data_sources_v2).toEqual([{ integration_id: 'int-123', provider: 'shopify', filters: { events: ['order.created'] } }]);
  });
});

describe('runEventMigrationWorkers: progress', () => {
  it('sums every shard at the end, a shard with nothing left to read included', async () => {
    const store = createMemoryStore(conformanceSeed());
    await runEventMigration({ store, apply: true, shard: { index: 1, count: 2 } });
    const progress: MigrationProgress[] = [];
    const report = await runEventMigrationWorkers({ store, apply: true, resume: true, workers: 2, onProgress: (each) => progress.push(each) });
    expect(report.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
    expect(progress.at(-1)).toMatchObject({ processed: 120, total: 120, written: 117, failed: 3, etaSeconds: 0 });
  });
});
