import type { MigrationReport } from '@app/campaign-migrator';
import { type MigrationStore, type RunCheckpoint, type SchemaInspection, type TableStatus, groupShardRuns, hasRunListing, runCampaignMigration } from '@app/migrate';

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

/**
 * The events runs over shards of one count (`app-migrate events --apply --workers 4`, or
 * `--shard i/4` runs), from their checkpoints: each shard keeps its own, which the page's own
 * Apply (a whole-table run) never reads.
 */
export interface ShardedEventRuns {
  /** The shard count: `n` of `events#i/n`. */
  count: number;
  /** The checkpoint of each shard that ran, by index; a shard that never ran has none. */
  shards: RunCheckpoint[];
  /** Shards whose run completed. */
  completed: number;
  /** Summed over the shards. */
  processed: number;
  written: number;
  failed: number;
  /** The latest checkpoint's time. */
  updatedAt: string;
}

/** Everything the migration page shows, read from the database on every request. */
export interface MigrationState {
  schema: SchemaInspection;
  /** `null` while the schema is not ready. */
  events: TableStatus | null;
  campaigns: TableStatus | null;
  eventProgress: EventProgress | null;
  /**
   * The sharded events runs, one entry per shard count, the latest first; empty when none ran or
   * when the store cannot list its runs (`RunListing` of `@app/migrate`).
   */
  shardedRuns: ShardedEventRuns[];
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

/** The store's sharded events runs, grouped by shard count, the group updated last first. */
export async function readShardedEventRuns(store: MigrationStore): Promise<ShardedEventRuns[]> {
  if (!hasRunListing(store)) return [];
  const sum = (shards: RunCheckpoint[], key: string) => shards.reduce((total, shard) => total + (shard.counts[key] ?? 0), 0);
  return groupShardRuns('events', await store.listCheckpoints('events'))
    .map(({ count, checkpoints }) => {
      const shards = checkpoints.filter((checkpoint) => checkpoint !== null);
      return {
        count,
        shards,
        completed: shards.filter((shard) => shard.status === 'completed').length,
        processed: sum(shards, 'processed'),
        written: sum(shards, 'written'),
        failed: sum(shards, 'failed'),
        updatedAt: shards.map((shard) => shard.updatedAt).reduce((latest, time) => (Date.parse(time) > Date.parse(latest) ? time : latest)),
      };
    })
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

/**
 * The sharded run the checklist goes by: the latest whose shards all completed (a later trial
 * that stopped early does not undo a finished run), else the latest; `undefined` without any.
 */
export function decisiveShardedRun(runs: readonly ShardedEventRuns[]): ShardedEventRuns | undefined {
  return runs.find((run) => run.completed === run.count) ?? runs[0];
}

/** Reads the state of both migrations. Only reads: a missing schema is reported, never created. */
export async function readMigrationState(store: MigrationStore): Promise<MigrationState> {
  const schema = await store.inspectSchema();
  if (!schema.ready) return { schema, events: null, campaigns: null, eventProgress: null, shardedRuns: [], campaignCheckpoint: null, plan: null };
  const [events, campaigns, eventProgress, shardedRuns, campaignCheckpoint, planned] = await Promise.all([
    store.eventStatus(),
    store.campaignStatus(),
    readEventProgress(store),
    readShardedEventRuns(store),
    store.readCheckpoint('campaigns'),
    runCampaignMigration({ store }),
  ]);
  return { schema, events, campaigns, eventProgress, shardedRuns, campaignCheckpoint, plan: planned.report };
}
