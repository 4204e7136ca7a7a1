import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { throttledSummary } from '../src/cli/throttled-summary.js';
import { conformanceSeed } from '../src/conformance-seed.js';
import {
  type BatchTimeoutKind,
  type EventUpdate,
  type MigrationProgress,
  type MigrationStore,
  EventMigrationReportSchema,
  afterBatchTimeout,
  batchTimeoutKindOf,
  createMemoryStore,
  runEventMigration,
  runEventMigrationWorkers,
  timeoutThrottleOf,
} from '../src/index.js';

const throttle = { maxTimeouts: 2, windowMs: 60_000, pauseMs: 5_000 };

describe('afterBatchTimeout', () => {
  it('pauses after a timeout while the window holds no more than maxTimeouts, naming the limit', () => {
    expect(afterBatchTimeout('lock', [], 1_000_000, Number.POSITIVE_INFINITY, throttle)).toEqual({
      action: 'pause',
      ms: 5_000,
      code: 'lock-timeouts',
      recent: 1,
      reason: 'the database ended a batch on its lock timeout (1 of 2 allowed within 60 s): rolled back, read again at half the size after 5 s',
    });
    expect(afterBatchTimeout('statement', [990_000], 1_000_000, Number.POSITIVE_INFINITY, throttle)).toMatchObject({ action: 'pause', code: 'statement-timeouts', recent: 2 });
  });

  it('stops once more than maxTimeouts came within the window, counting only the window (a timeout windowMs old is out)', () => {
    expect(afterBatchTimeout('lock', [950_000, 990_000], 1_000_000, Number.POSITIVE_INFINITY, throttle)).toEqual({ action: 'stop', recent: 3 });
    expect(afterBatchTimeout('lock', [940_000, 990_000], 1_000_000, Number.POSITIVE_INFINITY, throttle)).toMatchObject({ action: 'pause', recent: 2 });
    expect(afterBatchTimeout('statement', [], 0, Number.POSITIVE_INFINITY, { ...throttle, maxTimeouts: 0 })).toEqual({ action: 'stop', recent: 1 });
  });

  it('ends the run limited, rather than pause past `until` (the time box, or the wait left)', () => {
    expect(afterBatchTimeout('lock', [], 1_000, 5_999, throttle)).toMatchObject({ action: 'limited', code: 'lock-timeouts', reason: expect.stringContaining('lock timeout') });
    expect(afterBatchTimeout('lock', [], 1_000, 6_000, throttle)).toMatchObject({ action: 'pause', ms: 5_000 });
  });

  it('never pauses past maxWaitMs in all, and stops exactly when the window holds more than maxTimeouts (any run of timeouts)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 120_000 }), kind: fc.constantFrom<BatchTimeoutKind>('lock', 'statement') }), { maxLength: 60 }),
        fc.record({ maxTimeouts: fc.integer({ min: 0, max: 8 }), windowMs: fc.integer({ min: 1, max: 600_000 }), pauseMs: fc.integer({ min: 1, max: 30_000 }) }),
        fc.integer({ min: 1, max: 200_000 }),
        (timeouts, limits, maxWaitMs) => {
          let now = 0;
          let pausedMs = 0;
          const earlier: number[] = [];
          for (const { gap, kind } of timeouts) {
            now += gap;
            const decision = afterBatchTimeout(kind, earlier, now, now + maxWaitMs - pausedMs, limits);
            const inWindow = 1 + earlier.filter((at) => now - at < limits.windowMs).length;
            expect(decision.action === 'stop').toBe(inWindow > limits.maxTimeouts);
            earlier.push(now);
            if (decision.action !== 'pause') break;
            pausedMs += decision.ms;
            now += decision.ms;
            expect(pausedMs).toBeLessThanOrEqual(maxWaitMs);
          }
        },
      ),
    );
  });
});

describe('timeoutThrottleOf', () => {
  it('fills in the defaults and refuses a bad field, naming it', () => {
    expect(timeoutThrottleOf(undefined)).toBeNull();
    expect(timeoutThrottleOf({})).toEqual({ maxTimeouts: 5, windowMs: 600_000, pauseMs: 5_000 });
    expect(timeoutThrottleOf({ maxTimeouts: 0, windowMs: 1, pauseMs: 1 })).toEqual({ maxTimeouts: 0, windowMs: 1, pauseMs: 1 });
    expect(() => timeoutThrottleOf({ maxTimeouts: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'timeoutThrottle.maxTimeouts' }));
    expect(() => timeoutThrottleOf({ windowMs: 0 })).toThrow(expect.objectContaining({ option: 'timeoutThrottle.windowMs' }));
    expect(() => timeoutThrottleOf({ pauseMs: 1.5 })).toThrow(expect.objectContaining({ option: 'timeoutThrottle.pauseMs' }));
  });
});

describe('batchTimeoutKindOf', () => {
  it("reads the store's mark, through the errors that wrap it (the CLI's rewording)", () => {
    const store = Object.assign(new Error('canceling statement due to statement timeout'), { timeout: 'statement' });
    expect(batchTimeoutKindOf(store)).toBe('statement');
    expect(batchTimeoutKindOf(new Error('reworded', { cause: new Error('again', { cause: Object.assign(new Error('x'), { timeout: 'lock' }) }) }))).toBe('lock');
    expect(batchTimeoutKindOf(Object.assign(new Error('deadlock'), { retryable: true }))).toBeNull();
    expect(batchTimeoutKindOf(undefined)).toBeNull();
  });
});

/** The store's error for a batch the database ended on a limit, as the SQL stores mark it. */
const timeoutError = (kind: BatchTimeoutKind) =>
  Object.assign(new Error(kind === 'lock' ? 'canceling statement due to lock timeout' : 'canceling statement due to statement timeout'), {
    code: 'STORE_ERROR',
    timeout: kind,
    retryable: kind === 'lock',
  });

/**
 * The memory store, whose batch writes holding row `held` end on a `kind` timeout while `holds()`
 * says so (nothing of them written); every row each write committed is counted in `writes`.
 */
function timingOut(kind: BatchTimeoutKind, held: (update: EventUpdate) => boolean, holds: () => boolean, now?: () => Date) {
  const memory = createMemoryStore(conformanceSeed(), now === undefined ? {} : { now });
  const writes = new Map<string, number>();
  const attempts: { updates: number; held: boolean }[] = [];
  const store: MigrationStore = Object.create(memory);
  store.writeEventBatch = async (write, selection) => {
    attempts.push({ updates: write.updates.length, held: write.updates.some(held) });
    if (write.updates.some(held) && holds()) throw timeoutError(kind);
    const written = await memory.writeEventBatch(write, selection);
    for (const update of write.updates) writes.set(update.id, (writes.get(update.id) ?? 0) + 1);
    return written;
  };
  return { store, writes, attempts };
}

/** The 50th row of the seed in key order: in the second batch of 40. */
const fiftieth = async () => {
  const rows = await createMemoryStore(conformanceSeed()).readEventBatch({}, null, 50);
  return rows[49]!.id;
};

describe('runEventMigration: timeoutThrottle', () => {
  for (const kind of ['lock', 'statement'] as const) {
    it(`on a ${kind} timeout forgets the batch, pauses, halves the batch and reads it again: every row written once, the pauses in the report by reason`, async () => {
      const id = await fiftieth();
      let timeouts = 0;
      const { store, writes, attempts } = timingOut(kind, (update) => update.id === id, () => timeouts++ < 2);
      const progress: MigrationProgress[] = [];
      const report = await runEventMigration({
        store,
        apply: true,
        batchSize: 40,
        batchTimeouts: { lockTimeoutMs: 1_000, statementTimeoutMs: 1_000 },
        timeoutThrottle: { pauseMs: 1, maxTimeouts: 3 },
        onProgress: (p) => progress.push(p),
      });
      expect(report).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
      expect(report.throttle).toMatchObject({ pauses: 2, reasons: { [`${kind}-timeouts`]: 2 } });
      expect(EventMigrationReportSchema.parse(report).throttle).toEqual(report.throttle);
      // Not retried at once: the throttle had them.
      expect(report.retries).toBeUndefined();
      expect([...writes.values()].every((n) => n === 1)).toBe(true);
      expect(writes.size).toBe(117);
      // The writes holding the row: the second batch of 40 (39 updates: one row fails to
      // normalize), then half of it, then a quarter, which the database took.
      expect(attempts.filter((attempt) => attempt.held).map((attempt) => attempt.updates)).toEqual([39, 20, 10]);
      expect(progress.filter((p) => p.paused !== undefined).map((p) => p.paused)).toEqual([
        expect.stringContaining(`its ${kind} timeout (1 of 3 allowed`),
        expect.stringContaining(`its ${kind} timeout (2 of 3 allowed`),
      ]);
      // Progress never counts a forgotten batch: processed only grows, by the rows written.
      const processed = progress.map((p) => p.processed);
      expect(processed).toEqual([...processed].sort((a, b) => a - b));
      expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
    });
  }

  it('without it, a statement timeout ends the run with the store error and a lock timeout is retried at once, as before', async () => {
    const id = await fiftieth();
    const statement = timingOut('statement', (update) => update.id === id, () => true);
    await expect(runEventMigration({ store: statement.store, apply: true, batchSize: 40 })).rejects.toMatchObject({ timeout: 'statement' });
    expect(await statement.store.readCheckpoint('events')).toMatchObject({ status: 'running', counts: { processed: 40 } });
    let held = 1;
    const lock = timingOut('lock', (update) => update.id === id, () => held-- > 0);
    const report = await runEventMigration({ store: lock.store, apply: true, batchSize: 40 });
    expect(report).toMatchObject({ status: 'completed', retries: 1 });
    expect(report.throttle).toBeUndefined();
  });

  it('stops past maxTimeouts within the window with TIMEOUT_LIMIT, its checkpoint at the last committed batch, counts that add up; resume finishes', async () => {
    const id = await fiftieth();
    let healed = false;
    const { store, writes } = timingOut('statement', (update) => update.id === id, () => !healed);
    const failed = await runEventMigration({ store, apply: true, batchSize: 40, timeoutThrottle: { pauseMs: 1, maxTimeouts: 2 } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ name: 'TimeoutLimitError', code: 'TIMEOUT_LIMIT', kind: 'statement', timeouts: 3, maxTimeouts: 2, cause: { timeout: 'statement' } });
    // Batches of 40, then 20 and 10 around the held row: the rows before it are written, once.
    const checkpoint = await store.readCheckpoint('events');
    expect(checkpoint).toMatchObject({ status: 'running' });
    expect(checkpoint!.counts.processed).toBe(writes.size + checkpoint!.failures.length);
    expect(checkpoint!.counts.written).toBe(writes.size);
    healed = true;
    const resumed = await runEventMigration({ store, apply: true, resume: true, batchSize: 40, timeoutThrottle: { pauseMs: 1, maxTimeouts: 2 } });
    expect(resumed).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    expect(writes.size).toBe(117);
  });

  it('never pauses longer than maxWaitMs in all: a pause that would pass it ends the run limited, saying why; resume goes on', async () => {
    const id = await fiftieth();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => new Date(clock);
    let healed = false;
    const { store, writes } = timingOut('lock', (update) => update.id === id, () => !healed, now);
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 40,
      now,
      maxWaitMs: 250,
      timeoutThrottle: { pauseMs: 100, maxTimeouts: 10 },
      // Each pause lasts 100 ms of the run's clock.
      onProgress: (p) => {
        if (p.paused !== undefined) clock += 100;
      },
    });
    // Two pauses of 100 ms fit in 250; a third would not.
    expect(report).toMatchObject({ status: 'limited', throttle: { pauses: 2, pausedMs: 200, reasons: { 'lock-timeouts': 2 }, pausedAtEnd: expect.stringContaining('lock timeout (3 of 10') } });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'running', limited: true });
    healed = true;
    const resumed = await runEventMigration({ store, apply: true, resume: true, now, batchSize: 40 });
    expect(resumed).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 } });
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
  });

  it('stops at once on the signal while paused, with its checkpoint at the last committed batch', async () => {
    const id = await fiftieth();
    const stop = new AbortController();
    const { store, writes } = timingOut('lock', (update) => update.id === id, () => true);
    const report = await runEventMigration({
      store,
      apply: true,
      batchSize: 40,
      signal: stop.signal,
      timeoutThrottle: { pauseMs: 60_000 },
      onProgress: (p) => {
        if (p.paused !== undefined) stop.abort();
      },
    });
    expect(report).toMatchObject({ status: 'aborted', throttle: { pauses: 1, reasons: { 'lock-timeouts': 1 } } });
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'aborted', counts: { processed: 40, written: writes.size } });
  });

  it('each worker pauses on its own timeouts; the report adds up the reasons', async () => {
    const id = await fiftieth();
    let timeouts = 0;
    const { store, writes } = timingOut('lock', (update) => update.id === id, () => timeouts++ < 1);
    const report = await runEventMigrationWorkers({ store, apply: true, workers: 2, batchSize: 30, timeoutThrottle: { pauseMs: 1 } });
    expect(report).toMatchObject({ status: 'completed', counts: { processed: 120, written: 117 }, throttle: { pauses: 1, reasons: { 'lock-timeouts': 1 } } });
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('throttledSummary', () => {
  it('says why the run paused: one reason as before, several counted each', () => {
    expect(throttledSummary({ pauses: 3, pausedMs: 48_500, reasons: { 'replication-lag': 3 } })).toBe('Throttled: paused 3 times for lagging replicas, 48.5 s in all.');
    expect(throttledSummary({ pauses: 1, pausedMs: 5_000, reasons: { 'lock-timeouts': 1 } })).toBe('Throttled: paused once for a lock timeout, 5.0 s in all.');
    expect(throttledSummary({ pauses: 3, pausedMs: 15_012, reasons: { 'lock-timeouts': 2, 'statement-timeouts': 1 } })).toBe(
      'Throttled: paused 3 times (2 for lock timeouts, 1 for a statement timeout), 15.0 s in all.',
    );
  });
});
