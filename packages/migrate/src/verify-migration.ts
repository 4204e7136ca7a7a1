import type { NormalizerRegistry } from '@app/canonical-events/core';
// The zod-free entry: the package root loads zod for its schemas (about 10 MB of a runner's memory).
import { defaultRegistry } from '@app/canonical-events/default-registry';
import { type CampaignStateProblem, type MigrationOptions, verifyCampaigns } from '@app/campaign-migrator';
import { assertSchemaReady } from './assert-schema-ready.js';
import { SchemaNotReadyError } from './errors.js';
import { absentOwnerColumns } from './owner-columns.js';
import { recordedResolutions } from './run-campaign-migration.js';
import type { MigrationStore, RowKey, StoredRow, TableStatus } from './migration-store.js';
import { DEFAULT_BATCH_SIZE } from './run-event-migration.js';
import { nextTurn } from './run-options.js';

/**
 * Options of {@link verifyMigration}. The campaign options are those the campaign migration ran
 * with (`ownerKey`, `integrationOwnerKey`, `singleOwner`, its `resolutions` file): campaigns are
 * checked the way it decides them.
 */
export interface VerifyMigrationOptions extends Pick<MigrationOptions, 'ownerKey' | 'integrationOwnerKey' | 'singleOwner' | 'activeStatuses'> {
  /**
   * The resolutions file (parsed JSON) the campaigns were applied with: its `skip` and explicit
   * choices explain campaigns. By default, the decisions the applied runs kept in the campaigns
   * checkpoint.
   */
  resolutions?: unknown;
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

/**
 * What {@link verifyMigration} found. `ok` when every event is migrated or failed, every sample
 * matches, and every campaign is migrated correctly or explained.
 */
export interface MigrationVerification {
  /** `failed`: remaining events the normalizers reject — the rows a run reports as failed. */
  events: TableStatus & { failed: number };
  /**
   * `unexplained`: campaigns `verifyCampaigns` of `@app/campaign-migrator` finds a problem with
   * (not migrated, undecided, invalid, a `data_sources_v2` naming a missing or foreign
   * integration…), each listed in `problems`.
   */
  campaigns: TableStatus & { unexplained: number; problems: CampaignStateProblem[] };
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
 * Whether `event_data` as read can be the payload of a canonical event written without one
 * (`canonicalPayload: 'omit'`), which readers take from the row: a JSON object or array, as every
 * payload the normalizers read. A text column no longer holding JSON reads as a string.
 */
const isPayload = (eventData: unknown): boolean => typeof eventData === 'object' && eventData !== null;

/** Every campaign, read in keyset batches with a turn between them. */
async function readAllCampaigns(store: MigrationStore): Promise<StoredRow[]> {
  const campaigns: StoredRow[] = [];
  for (let after: RowKey | null = null; ; ) {
    await nextTurn();
    const rows = await store.readCampaignBatch(after, DEFAULT_BATCH_SIZE);
    if (rows.length === 0) return campaigns;
    campaigns.push(...rows);
    after = rows.at(-1)!.id;
  }
}

/**
 * The verify step: counts of migrated, remaining and failed rows, and a sample of migrated
 * events whose `payload` must equal the row's original `event_data` exactly. The payloads are
 * compared by the store (`payloadMatches`, in SQL for database adapters), not here: values parsed
 * by a driver can look equal when the stored JSON is not (integers past 2^53, key order). An
 * event written without its payload (`canonicalPayload: 'omit'` of the run) is checked against
 * `event_data` itself, its payload: the row's `event_data` must still be a JSON object or array
 * (a legacy text column changed to text that is not JSON is a payload that differs).
 *
 * Every campaign is checked with `verifyCampaigns` of `@app/campaign-migrator`: a valid
 * `data_sources_v2` whose integrations exist and belong to the campaign's owner, or an explicit
 * resolution; anything else is listed in `campaigns.problems` and makes the result not `ok`.
 *
 * Failed rows are counted by normalizing every event still lacking a canonical event, so sharded
 * runs count like one; after a complete migration those are only the failed rows.
 *
 * Read-only, and it needs only the legacy tables: before `ensureSchema()` nothing counts as
 * migrated. A store lacking a legacy table or column it reads, or rows lacking the owner columns,
 * gets a {@link SchemaNotReadyError}.
 */
export async function verifyMigration(store: MigrationStore, options: VerifyMigrationOptions = {}): Promise<MigrationVerification> {
  await assertSchemaReady(store, 'read');
  const [events, campaigns, failed, sample, campaignRows, integrations] = await Promise.all([
    store.eventStatus(),
    store.campaignStatus(),
    countUnmigratable(store, options.registry ?? defaultRegistry),
    store.sampleMigratedEvents(options.sampleSize ?? 200),
    readAllCampaigns(store),
    store.readIntegrations(),
  ]);
  const absentOwners = absentOwnerColumns(campaignRows, integrations, options);
  if (absentOwners.length > 0) throw new SchemaNotReadyError([], absentOwners);
  // Without a resolutions file, the decisions the applied runs kept in their checkpoint explain campaigns.
  const resolutions = options.resolutions ?? recordedResolutions(await store.readCheckpoint('campaigns'));
  const campaignCheck = verifyCampaigns(campaignRows, integrations, {
    ...(options.ownerKey === undefined ? {} : { ownerKey: options.ownerKey }),
    ...(options.integrationOwnerKey === undefined ? {} : { integrationOwnerKey: options.integrationOwnerKey }),
    ...(options.singleOwner === undefined ? {} : { singleOwner: options.singleOwner }),
    ...(options.activeStatuses === undefined ? {} : { activeStatuses: options.activeStatuses }),
    ...(resolutions === undefined ? {} : { resolutions }),
  });
  const mismatches: EventMismatch[] = [];
  for (const row of sample) {
    const event = row.canonical_event as { event_id?: unknown; payload?: unknown } | null;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) mismatches.push({ id: row.id, problem: 'not_an_event' });
    else if (event.event_id !== row.id) mismatches.push({ id: row.id, problem: 'event_id_differs' });
    else if (!(Object.hasOwn(event, 'payload') ? row.payloadMatches : isPayload(row.event_data))) mismatches.push({ id: row.id, problem: 'payload_differs' });
  }
  return {
    events: { ...events, failed },
    campaigns: { ...campaigns, unexplained: campaignCheck.counts.unexplained, problems: campaignCheck.problems },
    sampled: sample.length,
    mismatches,
    // `<=`: a failing row inserted between the two reads is still a failing row, not a gap.
    ok: mismatches.length === 0 && events.remaining <= failed && campaignCheck.ok,
  };
}
