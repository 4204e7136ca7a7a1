import type { MigrationReport } from '@app/campaign-migrator';
import { type MigrationStore, type RunCheckpoint, type SchemaInspection, type TableStatus, runCampaignMigration } from '@app/migrate';

/** Where the events backfill stands, read from its checkpoint and the table. */
export interface EventProgress {
  /** The checkpoint's status; `null` before the first applied slice. */
  status: RunCheckpoint['status'] | null;
  processed: number;
  /** Rows processed plus the rows still to come after the checkpoint's cursor. */
  total: number;
  written: number;
  failed: number;
  failures: RunCheckpoint['failures'];
  updatedAt: string | null;
}

/** Everything the migration page shows, read from the database on every request. */
export interface MigrationState {
  schema: SchemaInspection;
  /** `null` while the schema is not ready. */
  events: TableStatus | null;
  campaigns: TableStatus | null;
  eventProgress: EventProgress | null;
  campaignCheckpoint: RunCheckpoint | null;
  /** The campaign plan as it stands (a dry run, nothing written); `null` while the schema is not ready. */
  plan: MigrationReport | null;
}

/** The events backfill's progress: the checkpoint, plus a count of what is left after its cursor. */
export async function readEventProgress(store: MigrationStore): Promise<EventProgress> {
  const checkpoint = await store.readCheckpoint('events');
  const resumable = checkpoint !== null && checkpoint.status !== 'completed';
  const left = await store.countEvents(resumable ? { range: { after: checkpoint.cursor, upTo: null } } : {});
  if (checkpoint === null) return { status: null, processed: 0, total: left, written: 0, failed: 0, failures: [], updatedAt: null };
  const processed = checkpoint.counts.processed ?? 0;
  return {
    status: checkpoint.status,
    processed,
    // A completed run's leftovers are the rows it could not migrate: they count toward a new run, not this one.
    total: resumable ? processed + left : processed,
    written: checkpoint.counts.written ?? 0,
    failed: checkpoint.counts.failed ?? 0,
    failures: checkpoint.failures,
    updatedAt: checkpoint.updatedAt,
  };
}

/** Reads the state of both migrations. Only reads: a missing schema is reported, never created. */
export async function readMigrationState(store: MigrationStore): Promise<MigrationState> {
  const schema = await store.inspectSchema();
  if (!schema.ready) return { schema, events: null, campaigns: null, eventProgress: null, campaignCheckpoint: null, plan: null };
  const [events, campaigns, eventProgress, campaignCheckpoint, planned] = await Promise.all([
    store.eventStatus(),
    store.campaignStatus(),
    readEventProgress(store),
    store.readCheckpoint('campaigns'),
    runCampaignMigration({ store }),
  ]);
  return { schema, events, campaigns, eventProgress, campaignCheckpoint, plan: planned.report };
}
