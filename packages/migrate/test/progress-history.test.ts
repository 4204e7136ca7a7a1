import { describe, expect, it } from 'vitest';
import { type MigrationProgress, createMemoryStore, lastMeaningfulRun, runCampaignMigration, runEventMigration } from '../src/index.js';
import { conformanceSeed } from '../src/conformance-seed.js';
import { createProgressPrinter } from '../src/cli/progress-printer.js';

// The seed's 120 events: every 40th is unusable (evt-0040, evt-0080, evt-0120).
describe('progress of a resumed events run', () => {
  it('reaches its total: the failures before the cursor are counted once', async () => {
    const store = createMemoryStore(conformanceSeed());
    await runEventMigration({ store, apply: true, batchSize: 10, limit: 50 });
    const progress: MigrationProgress[] = [];
    const report = await runEventMigration({ store, apply: true, resume: true, batchSize: 10, onProgress: (p) => progress.push(p) });
    expect(report.counts).toMatchObject({ processed: 120, written: 117, failed: 3 });
    // Before: 121 (evt-0040 failed in the first run, is still selected, and was counted again).
    expect(progress.map((p) => p.total)).toEqual(progress.map(() => 120));
    expect(progress.at(-1)).toMatchObject({ processed: 120, total: 120, etaSeconds: 0 });
  });

  it('gives the time to the limit, not to the end of the table, in a run with a limit', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = createMemoryStore(conformanceSeed());
    const progress: MigrationProgress[] = [];
    // Each batch of 10 "takes" a second: after the second, 20 rows in 1 s, 10 left to the limit of 30
    // (0.5 s), where the end of the table is 100 rows away (5 s).
    await runEventMigration({ store, apply: true, batchSize: 10, limit: 30, now: () => new Date(clock), onProgress: (p) => (progress.push(p), (clock += 1_000)) });
    expect(progress[1]).toMatchObject({ processed: 20, total: 120 });
    expect(progress[1]!.etaSeconds).toBeCloseTo(0.5, 5);
    expect(progress.at(-1)!.etaSeconds).toBe(0);
  });
});

describe('the checkpoint of a run stopped at its limit, and the history of runs', () => {
  it('marks a limited run, keeps it when the next run starts over, and finds the last run that wrote rows', async () => {
    const store = createMemoryStore(conformanceSeed());
    await runEventMigration({ store, apply: true, batchSize: 10, limit: 50 });
    const limited = await store.readCheckpoint('events');
    expect(limited).toMatchObject({ status: 'running', limited: true, history: [] });
    await runEventMigration({ store, apply: true, resume: true });
    const completed = (await store.readCheckpoint('events'))!;
    expect(completed).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 }, history: [] });
    expect(completed.limited).toBeUndefined();
    // A re-run that starts over meets only the three rows that fail every time: it writes nothing.
    await runEventMigration({ store, apply: true });
    const rerun = (await store.readCheckpoint('events'))!;
    expect(rerun.counts).toMatchObject({ processed: 3, written: 0, failed: 3 });
    expect(rerun.history).toEqual([expect.objectContaining({ status: 'completed', counts: expect.objectContaining({ processed: 120, written: 117 }) })]);
    expect(lastMeaningfulRun(rerun)).toMatchObject({ status: 'completed', counts: { written: 117 } });
    await runEventMigration({ store, apply: true });
    expect((await store.readCheckpoint('events'))!.history).toHaveLength(2);
  });

  it('counts campaigns processed, not writes, and a no-op re-run keeps the run that wrote', async () => {
    const resolutions = { schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } };
    const store = createMemoryStore(conformanceSeed());
    const progress: MigrationProgress[] = [];
    const run = await runCampaignMigration({ store, apply: true, resolutions, batchSize: 1, onProgress: (p) => progress.push(p) });
    expect(run.written).toBe(3);
    // campaign-1, campaign-2, then campaign-4 (campaign-3 skipped before it) and campaign-5 (already migrated) with the last write.
    expect(progress.map((p) => [p.processed, p.total, p.written])).toEqual([
      [1, 5, 1],
      [2, 5, 2],
      [5, 5, 3],
    ]);
    const noop: MigrationProgress[] = [];
    const again = await runCampaignMigration({ store, apply: true, resolutions, onProgress: (p) => noop.push(p) });
    expect(again.written).toBe(0);
    expect(noop.map((p) => [p.processed, p.total, p.written])).toEqual([[5, 5, 0]]);
    const checkpoint = (await store.readCheckpoint('campaigns'))!;
    expect(checkpoint.counts.written).toBe(0);
    expect(lastMeaningfulRun(checkpoint)).toMatchObject({ status: 'completed', counts: { written: 3 } });
  });
});

describe('the progress printer', () => {
  const sample: MigrationProgress = { migration: 'events', mode: 'apply', processed: 30, total: 120, written: 30, failed: 0, ratePerSecond: 10, etaSeconds: 9, batches: 3 };
  const printed = (tty: boolean, end: 'completed' | 'limited' | 'aborted') => {
    let text = '';
    const printer = createProgressPrinter({ stdout: { write: (t: string) => (text += t), isTTY: tty }, stderr: { write: () => true }, now: () => 0 });
    printer.update(sample);
    printer.finish(end);
    return text;
  };

  it('ends a run stopped at --limit without an ETA, on a terminal and in a log', () => {
    const log = printed(false, 'limited').trimEnd().split('\n');
    expect(log.at(-1)).toBe('progress: stopped at --limit  30/120 events  failed 0');
    const terminal = printed(true, 'limited');
    expect(terminal.endsWith('stopped at --limit  30/120 events  failed 0\x1b[K\n')).toBe(true);
    expect(terminal.slice(terminal.lastIndexOf('\r'))).not.toContain('ETA');
    expect(printed(false, 'completed').trimEnd().split('\n').at(-1)).toBe('progress: done  30/120 events  failed 0');
  });
});

describe('acknowledged failures', () => {
  it('skips the failed rows the last checkpoint lists, keeps the mode, counts only new failures, and retries on request', async () => {
    const store = createMemoryStore(conformanceSeed());
    const first = await runEventMigration({ store, apply: true });
    expect(first.counts).toMatchObject({ failed: 3 });
    expect(first.counts.newFailed).toBeUndefined();
    const acknowledged = await runEventMigration({ store, apply: true, acknowledgeFailures: true });
    expect(acknowledged.counts).toMatchObject({ processed: 3, skipped: 3, failed: 0, newFailed: 0 });
    expect(acknowledged.failures.map((f) => f.id)).toEqual(['evt-0040', 'evt-0080', 'evt-0120']);
    expect(await store.readCheckpoint('events')).toMatchObject({ acknowledgedFailures: true });
    // Kept without the option; retried on request, failing again they stay known (not new).
    const kept = await runEventMigration({ store, apply: true });
    expect(kept.counts).toMatchObject({ skipped: 3, newFailed: 0 });
    const retried = await runEventMigration({ store, apply: true, retryFailed: true });
    expect(retried.counts).toMatchObject({ processed: 3, skipped: 0, failed: 3, newFailed: 0 });
    expect(retried.failures).toHaveLength(3);
  });
});
