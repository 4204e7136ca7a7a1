import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { createMemoryStore, runEventMigration } from '../src/index.js';

// A web page (or an edge function with a request time limit) drives a long migration as a series
// of time-boxed slices: each one resumes from the checkpoint, stops once its time is up, and the
// series together processes every row exactly once.
describe('runEventMigration: maxDurationMs (time-boxed slices)', () => {
  it('stops after the batch that used up the time box, checkpoint running, and resumed slices finish the run exactly once', async () => {
    let clock = Date.parse('2025-06-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    // Each batch "takes" 400 ms: a 1 s box holds three batches (the check comes before each batch).
    const tick = () => (clock += 400);
    const statuses: string[] = [];
    const processedPerSlice: number[] = [];
    let previous = 0;
    for (let slice = 0; slice < 10; slice++) {
      const report = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, maxDurationMs: 1_000, now, onProgress: tick });
      statuses.push(report.status);
      processedPerSlice.push(report.counts.processed - previous);
      previous = report.counts.processed;
      if (report.status === 'completed') break;
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running' });
    }
    expect(statuses).toEqual(['limited', 'limited', 'limited', 'limited', 'completed']);
    expect(processedPerSlice).toEqual([30, 30, 30, 30, 0]);
    const checkpoint = await store.readCheckpoint('events');
    expect(checkpoint).toMatchObject({ status: 'completed', counts: { processed: 120, failed: 3, written: 117 } });
    expect(await store.eventStatus()).toEqual({ total: 120, migrated: 117, remaining: 3 });
  });

  it('always processes at least one batch, however small the box', async () => {
    let clock = 0;
    const now = () => new Date((clock += 5_000));
    const store = createMemoryStore(conformanceSeed());
    const report = await runEventMigration({ store, apply: true, batchSize: 7, maxDurationMs: 1, now });
    expect(report).toMatchObject({ status: 'limited', counts: { processed: 7 } });
  });

  it('refuses a maxDurationMs that is not a positive integer, naming it', async () => {
    const store = createMemoryStore(conformanceSeed());
    await expect(runEventMigration({ store, maxDurationMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('maxDurationMs') });
  });
});
