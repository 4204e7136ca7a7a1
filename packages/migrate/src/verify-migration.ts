import { type NormalizerRegistry, defaultRegistry } from '@app/canonical-events';
import { assertSchemaReady } from './assert-schema-ready.js';
import type { SchemaNotReadyError } from './errors.js';
import type { MigrationStore, RowKey, TableStatus } from './migration-store.js';
import { DEFAULT_BATCH_SIZE } from './run-event-migration.js';
import { nextTurn } from './run-options.js';

/** Options of {@link verifyMigration}. */
export interface VerifyMigrationOptions {
  /** How many migrated events to read back and compare with their original payload (200). */
  sampleSize?: number;
  /** The normalizers the events were migrated with; `defaultRegistry` of `@app/canonical-events` by default. */
  registry?: NormalizerRegistry;
}

/** A sampled event whose canonical event does not match its row. */
export interface EventMismatch {
  id: string;
  problem: 'payload_differs' | 'event_id_differs' | 'not_an_event';
}

/** What {@link verifyMigration} found. `ok` when nothing is left and every sample matches. */
export interface MigrationVerification {
  /** `failed`: remaining events the normalizers reject — the rows a run reports as failed. */
  events: TableStatus & { failed: number };
  campaigns: TableStatus;
  sampled: number;
  mismatches: EventMismatch[];
  ok: boolean;
}

/**
 * How many events without a canonical event the normalizers reject, read from the rows
 * themselves: runs keep their counts in one checkpoint per shard (`events#2/4`) and a new run
 * starts its counts afresh, so no checkpoint holds the total, while the rows always do.
 */
async function countUnmigratable(store: MigrationStore, registry: NormalizerRegistry): Promise<number> {
  let failed = 0;
  for (let after: RowKey | null = null; ; ) {
    // A turn per batch, as the runners take: on a synchronous driver a signal is seen only then.
    await nextTurn();
    const rows = await store.readEventBatch({}, after, DEFAULT_BATCH_SIZE);
    if (rows.length === 0) return failed;
    for (const row of rows) if (!registry.normalizeEvent(row).success) failed++;
    after = rows.at(-1)!.id;
  }
}

/**
 * The verify step: counts of migrated, remaining and failed rows, and a sample of migrated
 * events whose `payload` must equal the row's original `event_data` exactly. The payloads are
 * compared by the store (`payloadMatches`, in SQL for database adapters), not here: values parsed
 * by a driver can look equal when the stored JSON is not (integers past 2^53, key order).
 *
 * Failed rows are counted by normalizing every event still lacking a canonical event, so sharded
 * runs count like one; after a complete migration those are only the failed rows.
 *
 * Read-only: a store lacking the migration schema gets a {@link SchemaNotReadyError}.
 */
export async function verifyMigration(store: MigrationStore, options: VerifyMigrationOptions = {}): Promise<MigrationVerification> {
  await assertSchemaReady(store);
  const [events, campaigns, failed, sample] = await Promise.all([
    store.eventStatus(),
    store.campaignStatus(),
    countUnmigratable(store, options.registry ?? defaultRegistry),
    store.sampleMigratedEvents(options.sampleSize ?? 200),
  ]);
  const mismatches: EventMismatch[] = [];
  for (const row of sample) {
    const event = row.canonical_event as { event_id?: unknown; payload?: unknown } | null;
    if (typeof event !== 'object' || event === null) mismatches.push({ id: row.id, problem: 'not_an_event' });
    else if (event.event_id !== row.id) mismatches.push({ id: row.id, problem: 'event_id_differs' });
    else if (!row.payloadMatches) mismatches.push({ id: row.id, problem: 'payload_differs' });
  }
  return {
    events: { ...events, failed },
    campaigns,
    sampled: sample.length,
    mismatches,
    // `<=`: a failing row inserted between the two reads is still a failing row, not a gap.
    ok: mismatches.length === 0 && events.remaining <= failed,
  };
}
