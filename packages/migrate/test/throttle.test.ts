import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import {
  type DatabaseHealth,
  type DatabaseHealthReading,
  type MigrationProgress,
  type MigrationStore,
  EventMigrationReportSchema,
  createMemoryStore,
  runEventMigration,
  runEventMigrationWorkers,
  throttleOf,
  throttleReason,
  waitForHealthyDatabase,
} from '../src/index.js';
import { replicationLagOption } from '../src/cli/replication-lag-option.js';

const replica = (lagSeconds: number | null, lagBytes: number | null, name = 'standby1') => ({ name, lagSeconds, lagBytes });
const reading = (...replicas: DatabaseHealthReading['replicas']): DatabaseHealthReading => ({ replicas });

/** A database whose replicas report the readings in turn, the last one from then on. */
function scriptedHealth(readings: DatabaseHealthReading[]): DatabaseHealth & { reads: number } {
  const health = {
    reads: 0,
    readDatabaseHealth: async () => readings[Math.min(health.reads++, readings.length - 1)]!,
  };
  return health;
}

describe('throttleReason', () => {
  const limits = { maxReplicationLagSeconds: 10, maxReplicationLagBytes: 64 * 1024 * 1024 };

  it('names the first replica past a limit, in seconds or in bytes', () => {
    expect(throttleReason(reading(replica(2, 100), replica(12.5, 0, 'standby2')), limits)).toBe('replica standby2 is 12.5 s behind (limit 10 s)');
    expect(throttleReason(reading(replica(1, 100 * 1024 * 1024, 'slot cdc')), limits)).toBe('replica slot cdc has 100 MB of log to apply (limit 64 MB)');
  });

  it('lets a run write at the limit, without replicas, and when a lag is not reported', () => {
    expect(throttleReason(reading(replica(10, 64 * 1024 * 1024)), limits)).toBeNull();
    expect(throttleReason(reading(), limits)).toBeNull();
    expect(throttleReason(reading(replica(null, null)), limits)).toBeNull();
  });
});

describe('throttleOf', () => {
  const health = scriptedHealth([reading()]);

  it('needs something to read and a limit, each valid', () => {
    expect(throttleOf(undefined)).toBeNull();
    expect(() => throttleOf({ health: {} as DatabaseHealth, maxReplicationLagSeconds: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'throttle.health' }));
    expect(() => throttleOf({ health })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'throttle' }));
    expect(() => throttleOf({ health, maxReplicationLagSeconds: -1 })).toThrow(expect.objectContaining({ option: 'throttle.maxReplicationLagSeconds' }));
    expect(() => throttleOf({ health, maxReplicationLagBytes: Number.NaN })).toThrow(expect.objectContaining({ option: 'throttle.maxReplicationLagBytes' }));
    expect(() => throttleOf({ health, maxReplicationLagBytes: 1, pauseMs: 0 })).toThrow(expect.objectContaining({ option: 'throttle.pauseMs' }));
    expect(throttleOf({ health, maxReplicationLagBytes: 1 })).toMatchObject({ maxReplicationLagBytes: 1, maxReplicationLagSeconds: Number.POSITIVE_INFINITY, pauseMs: 5_000 });
  });
});

describe('waitForHealthyDatabase', () => {
  it('reads again after each pause until the replicas are back under the limit, renewing in between', async () => {
    const health = scriptedHealth([reading(replica(30, 0)), reading(replica(20, 0)), reading(replica(3, 0))]);
    const throttle = throttleOf({ health, maxReplicationLagSeconds: 10, pauseMs: 1_000 })!;
    let clock = 0;
    const reasons: string[] = [];
    let renewals = 0;
    const waited = await waitForHealthyDatabase(throttle, {
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      onPause: (reason) => reasons.push(reason),
      afterPause: () => void renewals++,
    });
    expect(waited).toEqual({ paused: true, pausedMs: 2_000, healthy: true });
    expect(reasons).toEqual(['replica standby1 is 30 s behind (limit 10 s)', 'replica standby1 is 20 s behind (limit 10 s)']);
    expect([health.reads, renewals]).toEqual([3, 2]);
  });

  it('does not pause on a healthy reading, and stops waiting at once on the signal', async () => {
    expect(await waitForHealthyDatabase(throttleOf({ health: scriptedHealth([reading()]), maxReplicationLagSeconds: 1 })!)).toEqual({ paused: false, pausedMs: 0, healthy: true });
    const controller = new AbortController();
    const lagging = throttleOf({ health: scriptedHealth([reading(replica(99, 0))]), maxReplicationLagSeconds: 1, pauseMs: 60_000 })!;
    const started = Date.now();
    const waiting = waitForHealthyDatabase(lagging, { signal: controller.signal, onPause: () => controller.abort() });
    expect(await waiting).toEqual({ paused: true, pausedMs: expect.any(Number), healthy: false, reason: 'replica standby1 is 99 s behind (limit 1 s)' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stops waiting at `until`, unhealthy and saying why, its last sleep cut to the time left', async () => {
    const health = scriptedHealth([reading(replica(30, 0))]);
    const throttle = throttleOf({ health, maxReplicationLagSeconds: 10, pauseMs: 1_000 })!;
    let clock = 0;
    const sleeps: number[] = [];
    const waited = await waitForHealthyDatabase(throttle, { now: () => clock, until: 2_500, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)) });
    expect(waited).toEqual({ paused: true, pausedMs: 2_500, healthy: false, reason: 'replica standby1 is 30 s behind (limit 10 s)' });
    expect(sleeps).toEqual([1_000, 1_000, 500]);
    expect(health.reads).toBe(4);
  });
});

describe('runEventMigration with a throttle', () => {
  it('writes nothing while a replica lags, then goes on, says why it waited and counts the pauses', async () => {
    const store = createMemoryStore(conformanceSeed());
    const writes: number[] = [];
    const counting: MigrationStore = Object.create(store);
    counting.writeEventBatch = async (write, selection) => {
      writes.push(write.updates.length);
      return store.writeEventBatch(write, selection);
    };
    // Healthy for the first batch, lagging for three readings, then healthy.
    const lagging = reading(replica(45, 0, 'standby1'));
    const health = scriptedHealth([reading(), lagging, lagging, lagging, reading()]);
    const progress: MigrationProgress[] = [];
    const report = await runEventMigration({
      store: counting,
      apply: true,
      batchSize: 40,
      throttle: { health, maxReplicationLagSeconds: 30, pauseMs: 5 },
      onProgress: (p) => {
        progress.push(p);
        if (p.paused !== undefined) expect(writes).toHaveLength(1);
      },
    });
    expect(report.status).toBe('completed');
    expect(report.counts.written).toBe(117);
    expect(report.throttle?.pauses).toBe(1);
    expect(report.throttle?.pausedMs).toBeGreaterThan(0);
    expect(EventMigrationReportSchema.parse(report).throttle).toEqual(report.throttle);
    expect(progress.filter((p) => p.paused !== undefined).map((p) => [p.paused, p.processed])).toEqual([
      ['replica standby1 is 45 s behind (limit 30 s)', 40],
      ['replica standby1 is 45 s behind (limit 30 s)', 40],
      ['replica standby1 is 45 s behind (limit 30 s)', 40],
    ]);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { written: 117 } });
  });

  it('renews its lease while paused longer than the lease lasts, so its next write still holds it', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    const lagging = reading(replica(99, 0));
    // Another runner tries to take the run at every reading after the first pause.
    const rivals: { acquired: boolean }[] = [];
    let reads = 0;
    const health: DatabaseHealth = {
      readDatabaseHealth: async () => {
        reads++;
        if (reads > 2) rivals.push(await store.acquireLease('events', 'rival', 1_000));
        return reads === 1 || reads > 11 ? reading() : lagging;
      },
    };
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 60,
      leaseTtlMs: 1_000,
      now,
      throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 1 },
      onProgress: (p) => {
        // Each pause "lasts" 400 ms: ten of them outlast the 1 s lease four times over.
        if (p.paused !== undefined) clock += 400;
      },
    });
    expect(rivals.length).toBeGreaterThan(0);
    expect(rivals.some((lease) => lease.acquired)).toBe(false);
    expect(report).toMatchObject({ status: 'completed', counts: { written: 117 }, throttle: { pauses: 1, pausedMs: 4_000 } });
  });

  it('ends a time-boxed run while paused when its box ends: limited, saying why, and the resume goes on once the replica caught up', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    const lagging = reading(replica(99, 0));
    const progress: MigrationProgress[] = [];
    const boxed = (health: DatabaseHealth) =>
      runEventMigration({
        store,
        apply: true,
        resume: true,
        batchSize: 40,
        now,
        maxDurationMs: 2_000,
        throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 5 },
        onProgress: (p) => {
          progress.push(p);
          // Each reading that pauses "lasts" 800 ms of the run's clock.
          if (p.paused !== undefined) clock += 800;
        },
      });
    // Healthy for the first batch, then lagging past the 2 s box: it stops after three readings, not when the replica catches up.
    const first = await boxed(scriptedHealth([reading(), lagging]));
    expect(first).toMatchObject({ status: 'limited', counts: { processed: 40 }, throttle: { pauses: 1, pausedMs: 2_400, pausedAtEnd: 'replica standby1 is 99 s behind (limit 1 s)' } });
    expect(EventMigrationReportSchema.parse(first).throttle).toEqual(first.throttle);
    expect(progress.filter((p) => p.paused !== undefined)).toHaveLength(3);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true, counts: { processed: 40 } });
    // A slice that starts while the replica still lags writes nothing and ends with its box.
    const waiting = await boxed(scriptedHealth([lagging]));
    expect(waiting).toMatchObject({ status: 'limited', counts: { processed: 40 }, throttle: { pauses: 1, pausedAtEnd: expect.stringContaining('99 s behind') } });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true, counts: { processed: 40 } });
    // Caught up: the next slices go on from the checkpoint, and the last has nothing to say about pauses.
    let last = await boxed(scriptedHealth([reading()]));
    while (last.status === 'limited') last = await boxed(scriptedHealth([reading()]));
    expect(last).toMatchObject({ status: 'completed', throttle: { pauses: 0, pausedMs: 0 } });
    expect(last.throttle).not.toHaveProperty('pausedAtEnd');
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
  });

  it('ends limited once it has waited maxWaitMs in all, saying why, with nothing of the waiting batch written, and a resume goes on once the replica caught up', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    const lagging = reading(replica(99, 0));
    const writes: number[] = [];
    const counting: MigrationStore = Object.create(store);
    counting.writeEventBatch = async (write, selection) => {
      writes.push(write.updates.length);
      return store.writeEventBatch(write, selection);
    };
    const waitingAtMost = (health: DatabaseHealth, resume: boolean) =>
      runEventMigration({
        store: counting,
        apply: true,
        resume,
        batchSize: 40,
        now,
        maxWaitMs: 2_000,
        throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 5 },
        onProgress: (p) => {
          // Each reading that pauses "lasts" 800 ms of the run's clock.
          if (p.paused !== undefined) clock += 800;
        },
      });
    // Healthy for the first batch, then lagging: it stops after three readings (2.4 s), not when the replica catches up.
    const first = await waitingAtMost(scriptedHealth([reading(), lagging]), false);
    expect(first).toMatchObject({ status: 'limited', counts: { processed: 40 }, throttle: { pauses: 1, pausedMs: 2_400, pausedAtEnd: 'replica standby1 is 99 s behind (limit 1 s)' } });
    expect(EventMigrationReportSchema.parse(first).throttle).toEqual(first.throttle);
    // One batch written: none of the batch it waited for.
    expect(writes).toHaveLength(1);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true, counts: { processed: 40 } });
    const rest = await waitingAtMost(scriptedHealth([reading()]), true);
    expect(rest).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 }, throttle: { pauses: 0, pausedMs: 0 } });
    expect(writes).toHaveLength(3);
    expect(writes.reduce((sum, n) => sum + n, 0)).toBe(117);
  });

  it('counts every pause toward maxWaitMs, and is not cut short by it when it never waits, however long its batches take', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const store = createMemoryStore(conformanceSeed(), { now });
    const slow: MigrationStore = Object.create(store);
    slow.writeEventBatch = async (write, selection) => {
      clock += 10_000;
      return store.writeEventBatch(write, selection);
    };
    const lagging = reading(replica(99, 0));
    const unpaused = await runEventMigration({ store: slow, apply: true, batchSize: 40, now, maxWaitMs: 1, throttle: { health: scriptedHealth([reading()]), maxReplicationLagSeconds: 1 } });
    expect(unpaused).toMatchObject({ status: 'completed', counts: { processed: 120 }, throttle: { pauses: 0, pausedMs: 0 } });
    // The first pause (600 ms) ends under the limit of 1 s; the second stretch of waiting reaches it.
    const again = createMemoryStore(conformanceSeed(), { now });
    const health = scriptedHealth([reading(), lagging, reading(), lagging, reading(), lagging]);
    const paused = await runEventMigration({
      store: again,
      apply: true,
      batchSize: 20,
      now,
      maxWaitMs: 1_000,
      throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 5 },
      onProgress: (p) => {
        if (p.paused !== undefined) clock += 600;
      },
    });
    expect(paused).toMatchObject({ status: 'limited', counts: { processed: 40 }, throttle: { pauses: 2, pausedMs: 1_200, pausedAtEnd: expect.stringContaining('99 s behind') } });
  });

  it('refuses a maxWaitMs that is not a positive integer, naming it, before anything is read', async () => {
    const store = createMemoryStore(conformanceSeed());
    await expect(runEventMigration({ store, apply: true, maxWaitMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'maxWaitMs' });
    await expect(runEventMigration({ store, apply: true, maxWaitMs: 1.5 })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'maxWaitMs' });
    expect(await store.readCheckpoint('events')).toBeNull();
  });

  it('stops on the signal while paused, with the checkpoint at the last written batch, and resumes', async () => {
    const store = createMemoryStore(conformanceSeed());
    const controller = new AbortController();
    const health = scriptedHealth([reading(), reading(replica(99, 0))]);
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 50,
      signal: controller.signal,
      throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 60_000 },
      onProgress: (p) => {
        if (p.paused !== undefined) controller.abort();
      },
    });
    expect(report).toMatchObject({ status: 'aborted', counts: { processed: 50 } });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'aborted', counts: { processed: 50 } });
    const resumed = await runEventMigration({ store, apply: true, resume: true });
    expect(resumed).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
  });

  it('is checked before anything is read, and a dry run writes nothing so never waits', async () => {
    const store = createMemoryStore(conformanceSeed());
    await expect(runEventMigration({ store, apply: true, throttle: { health: scriptedHealth([reading()]) } })).rejects.toMatchObject({ code: 'INVALID_OPTION', option: 'throttle' });
    const health = scriptedHealth([reading(replica(99, 0))]);
    const dryRun = await runEventMigration({ store, throttle: { health, maxReplicationLagSeconds: 1 } });
    expect(dryRun).toMatchObject({ status: 'completed', counts: { wouldWrite: 117 } });
    expect(dryRun.throttle).toEqual({ pauses: 0, pausedMs: 0 });
    expect(health.reads).toBe(0);
  });

  it('throttles every worker, and the workers report sums their pauses', async () => {
    const store = createMemoryStore(conformanceSeed());
    const lagging = reading(replica(99, 0));
    const health = scriptedHealth([reading(), reading(), lagging, lagging, reading()]);
    const report = await runEventMigrationWorkers({ store, apply: true, workers: 2, batchSize: 20, throttle: { health, maxReplicationLagSeconds: 1, pauseMs: 5 } });
    expect(report).toMatchObject({ status: 'completed', counts: { written: 117 } });
    expect(report.throttle?.pauses).toBeGreaterThanOrEqual(1);
    expect(report.throttle?.pauses).toBe(report.workers.reduce((sum, worker) => sum + (worker.throttle?.pauses ?? 0), 0));
  });
});

describe('--max-replication-lag', () => {
  it('takes a time, a size of log, or both', () => {
    expect(replicationLagOption(undefined)).toBeUndefined();
    expect(replicationLagOption(['10s'])).toEqual({ maxReplicationLagSeconds: 10 });
    expect(replicationLagOption(['500ms', '64MB'])).toEqual({ maxReplicationLagSeconds: 0.5, maxReplicationLagBytes: 64 * 1024 * 1024 });
    expect(replicationLagOption(['2min', '1.5kB'])).toEqual({ maxReplicationLagSeconds: 120, maxReplicationLagBytes: 1536 });
  });

  it('refuses anything else, naming the option', () => {
    for (const bad of ['10', 'ten s', '5h', '-1s', '10s 64MB']) {
      expect(() => replicationLagOption([bad])).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: '--max-replication-lag' }));
    }
    expect(() => replicationLagOption(['10s', '20s'])).toThrow(/at most once each/);
  });
});

describe('a stopped replica', () => {
  it('pauses whatever the limits', () => {
    expect(throttleReason(reading({ name: 'db-replica-2', lagSeconds: null, lagBytes: null, stopped: true }), { maxReplicationLagSeconds: 3600, maxReplicationLagBytes: 1e12 })).toBe(
      'replica db-replica-2 has stopped replicating',
    );
  });
});
