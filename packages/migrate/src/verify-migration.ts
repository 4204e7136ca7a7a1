import type { MigrationStore, TableStatus } from './migration-store.js';

/** Options of {@link verifyMigration}. */
export interface VerifyMigrationOptions {
  /** How many migrated events to read back and compare with their original payload (200). */
  sampleSize?: number;
}

/** A sampled event whose canonical event does not match its row. */
export interface EventMismatch {
  id: string;
  problem: 'payload_differs' | 'event_id_differs' | 'not_an_event';
}

/** What {@link verifyMigration} found. `ok` when nothing is left and every sample matches. */
export interface MigrationVerification {
  events: TableStatus & { failed: number };
  campaigns: TableStatus;
  sampled: number;
  mismatches: EventMismatch[];
  ok: boolean;
}

// Both sides come from the same store, which returns JSON in its own canonical key order
// (jsonb, MySQL JSON), so equal documents serialize to equal text.
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The verify step: counts of migrated, remaining and failed rows, and a sample of migrated
 * events whose `payload` must equal the row's original `event_data` exactly.
 */
export async function verifyMigration(store: MigrationStore, options: VerifyMigrationOptions = {}): Promise<MigrationVerification> {
  const [events, campaigns, checkpoint, sample] = await Promise.all([
    store.eventStatus(),
    store.campaignStatus(),
    store.readCheckpoint('events'),
    store.sampleMigratedEvents(options.sampleSize ?? 200),
  ]);
  const mismatches: EventMismatch[] = [];
  for (const row of sample) {
    const event = row.canonical_event as { event_id?: unknown; payload?: unknown } | null;
    if (typeof event !== 'object' || event === null) mismatches.push({ id: row.id, problem: 'not_an_event' });
    else if (event.event_id !== row.id) mismatches.push({ id: row.id, problem: 'event_id_differs' });
    else if (!sameJson(event.payload, row.event_data)) mismatches.push({ id: row.id, problem: 'payload_differs' });
  }
  const failed = checkpoint?.counts.failed ?? 0;
  return {
    events: { ...events, failed },
    campaigns,
    sampled: sample.length,
    mismatches,
    ok: mismatches.length === 0 && events.remaining === failed,
  };
}
