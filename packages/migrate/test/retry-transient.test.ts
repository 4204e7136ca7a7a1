import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { MAX_BATCH_RETRIES, type MigrationStore, createMemoryStore, isRetryable, runEventMigration } from '../src/index.js';

/** A store whose event batch writes fail with `error` the first `failures` times. */
function failingWrites(store: MigrationStore, failures: number, error: () => Error): { store: MigrationStore; attempts: () => number } {
  let attempts = 0;
  const failing: MigrationStore = Object.create(store);
  failing.writeEventBatch = async (write, selection) => {
    attempts++;
    if (attempts <= failures) throw error();
    return store.writeEventBatch(write, selection);
  };
  return { store: failing, attempts: () => attempts };
}

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: 'STORE_ERROR', retryable: true });

describe('batches the database gave up on for a reason that passes', () => {
  it('are tried again: the run completes, every row once, the retries counted in the report', async () => {
    const memory = createMemoryStore(conformanceSeed());
    const { store, attempts } = failingWrites(memory, 2, deadlock);
    const report = await runEventMigration({ store, apply: true, batchSize: 50 });
    expect(report).toMatchObject({ status: 'completed', retries: 2, counts: { processed: 120, written: 117, failed: 3 } });
    expect(attempts()).toBe(3 + 2);
    expect(await memory.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { written: 117 } });
  });

  it(`end the run after ${MAX_BATCH_RETRIES} retries, with the database's error and the checkpoint at the last committed batch`, async () => {
    const memory = createMemoryStore(conformanceSeed());
    const { store, attempts } = failingWrites(memory, Number.POSITIVE_INFINITY, deadlock);
    await expect(runEventMigration({ store, apply: true, batchSize: 50 })).rejects.toThrow('deadlock detected');
    expect(attempts()).toBe(1 + MAX_BATCH_RETRIES);
    expect(await memory.readCheckpoint('events')).toMatchObject({ status: 'running', cursor: null, counts: { written: 0 } });
  }, 20_000);

  it('never retries any other error, nor one seen after an abort', async () => {
    const other = failingWrites(createMemoryStore(conformanceSeed()), 1, () => Object.assign(new Error('permission denied'), { code: 'STORE_ERROR' }));
    await expect(runEventMigration({ store: other.store, apply: true })).rejects.toThrow('permission denied');
    expect(other.attempts()).toBe(1);
    const controller = new AbortController();
    const aborted = failingWrites(createMemoryStore(conformanceSeed()), 1, () => {
      controller.abort();
      return deadlock();
    });
    await expect(runEventMigration({ store: aborted.store, apply: true, signal: controller.signal })).rejects.toThrow('deadlock detected');
    expect(aborted.attempts()).toBe(1);
    expect([isRetryable(deadlock()), isRetryable(new Error('x')), isRetryable(null), isRetryable({ retryable: 'yes' })]).toEqual([true, false, false, false]);
  });
});
