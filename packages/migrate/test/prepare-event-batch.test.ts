import { describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { type EventUpdate, type MigrationStore, createMemoryStore, runEventMigration } from '../src/index.js';

/** The memory store with a prepareEventBatch that records what it got, and a log of what each write got. */
function preparingStore() {
  const store = createMemoryStore(conformanceSeed());
  const prepared: (readonly EventUpdate[])[] = [];
  const writes: { updates: readonly EventUpdate[]; preparedBefore: boolean }[] = [];
  const preparing: MigrationStore = Object.create(store);
  preparing.prepareEventBatch = (updates) => {
    prepared.push(updates);
  };
  preparing.writeEventBatch = (write, selection) => {
    writes.push({ updates: write.updates, preparedBefore: prepared.includes(write.updates) });
    return store.writeEventBatch(write, selection);
  };
  return { store: preparing, prepared, writes };
}

describe('prepareEventBatch', () => {
  it('gets every batch an applying run writes before its write, and the write gets that very array', async () => {
    const { store, prepared, writes } = preparingStore();
    const report = await runEventMigration({ store, apply: true, batchSize: 2 });
    expect(report.status).toBe('completed');
    const rowWrites = writes.filter((write) => write.updates.length > 0);
    expect(rowWrites.length).toBeGreaterThan(2);
    expect(rowWrites.every((write) => write.preparedBefore)).toBe(true);
    // Nothing is prepared that the run does not write: each prepared batch with rows is written once.
    expect(prepared.filter((updates) => updates.length > 0)).toEqual(rowWrites.map((write) => write.updates));
    expect(report.counts.written).toBe(rowWrites.reduce((sum, write) => sum + write.updates.length, 0));
  });

  it('is never called by a dry run', async () => {
    const { store, prepared } = preparingStore();
    const report = await runEventMigration({ store, batchSize: 2 });
    expect(report.counts.wouldWrite).toBeGreaterThan(0);
    expect(prepared).toEqual([]);
  });
});
