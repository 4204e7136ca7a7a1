import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_BATCH_SIZE_BOUNDS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_BATCH_BYTES,
  InvalidOptionError,
  type MigrationStore,
  createMemoryStore,
  runEventMigration,
} from '../src/index.js';

/** A Shopify order whose note makes its JSON text about `length` characters long. */
function order(n: number, length: number) {
  const event_data = { id: n, created_at: '2026-01-01T00:00:00Z', total_price: '12.50', currency: 'EUR', customer: { first_name: 'Anna' }, note: '' };
  event_data.note = 'x'.repeat(Math.max(0, length - JSON.stringify(event_data).length));
  return { id: `evt-${String(n).padStart(6, '0')}`, integration_type: 'shopify', event_type: 'orders/create', event_data };
}

/** The store with every batch read recorded: the size asked for and the payload lengths it held. */
function recorded(store: MigrationStore) {
  const reads: { limit: number; lengths: number[] }[] = [];
  const readEventBatch: MigrationStore['readEventBatch'] = async (selection, after, limit) => {
    const rows = await store.readEventBatch(selection, after, limit);
    reads.push({ limit, lengths: rows.map((row) => JSON.stringify(row.event_data).length) });
    return rows;
  };
  return { store: { ...store, readEventBatch }, reads };
}

/** A clock for which every batch lasts 1 ms: sized by time alone, batches would grow to the ceiling. */
function fastClock() {
  let ms = Date.parse('2026-01-01T00:00:00Z');
  return () => new Date((ms += 1));
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('adaptive batches keep to a byte budget (maxBatchBytes)', () => {
  it('a table of 20 kB payloads is read 50 rows at a time after the first batch, not 5,000', async () => {
    const events = Array.from({ length: 1_500 }, (_, i) => order(i + 1, 20_000));
    const { store, reads } = recorded(createMemoryStore({ events }));
    const report = await runEventMigration({ store, apply: true, now: fastClock() });
    expect(report.counts).toMatchObject({ processed: 1_500, written: 1_500, failed: 0 });
    // The first batch comes before any payload was seen; every later one keeps to the budget.
    expect(reads[0]!.limit).toBe(DEFAULT_BATCH_SIZE);
    for (const read of reads.slice(1)) expect(read.limit * 20_000).toBeLessThanOrEqual(DEFAULT_MAX_BATCH_BYTES);
    expect(report.batchSizes).toMatchObject({ first: DEFAULT_BATCH_SIZE, last: 50 });
  });

  it('small payloads still grow to the row ceiling', async () => {
    // 1,000 + 2,000 + 4,000 rows, then the ceiling.
    const events = Array.from({ length: 12_000 }, (_, i) => order(i + 1, 150));
    const { store, reads } = recorded(createMemoryStore({ events }));
    const report = await runEventMigration({ store, apply: true, now: fastClock() });
    expect(report.counts.written).toBe(12_000);
    expect(Math.max(...reads.map((read) => read.limit))).toBe(ADAPTIVE_BATCH_SIZE_BOUNDS.max);
  });

  it('law: every batch after the first asks for no more rows than the budget holds at the last batch’s mean payload', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 100, max: 40_000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1_000, max: 400_000 }),
        async (lengths, maxBatchBytes) => {
          const events = lengths.map((length, i) => order(i + 1, length));
          const { store, reads } = recorded(createMemoryStore({ events }));
          const report = await runEventMigration({ store, apply: true, now: fastClock(), maxBatchBytes });
          expect(report.counts.written).toBe(lengths.length);
          for (let i = 1; i < reads.length; i++) {
            const before = reads[i - 1]!.lengths;
            const allowed = Math.max(1, Math.floor(maxBatchBytes / mean(before)));
            expect(reads[i]!.limit).toBeLessThanOrEqual(allowed);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a given batchSize is kept whatever the payloads weigh', async () => {
    const events = Array.from({ length: 900 }, (_, i) => order(i + 1, 20_000));
    const { store, reads } = recorded(createMemoryStore({ events }));
    await runEventMigration({ store, apply: true, batchSize: 300, now: fastClock() });
    // The fourth read finds the table's end.
    expect(reads.map((read) => read.limit)).toEqual([300, 300, 300, 300]);
  });

  it('refuses a maxBatchBytes that is not a positive integer before reading anything', async () => {
    const { store, reads } = recorded(createMemoryStore({ events: [order(1, 500)] }));
    for (const maxBatchBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(runEventMigration({ store, apply: true, maxBatchBytes })).rejects.toThrow(InvalidOptionError);
      await expect(runEventMigration({ store, apply: true, maxBatchBytes })).rejects.toMatchObject({ option: 'maxBatchBytes' });
    }
    expect(reads).toEqual([]);
  });
});
