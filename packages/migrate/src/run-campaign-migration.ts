import {
  type MigrationReport,
  type PlanCampaignMigrationOptions,
  planCampaignMigration,
} from '@app/campaign-migrator';
import { MigrationError, RunLockedError } from './errors.js';
import type { MigrationProgress } from './migration-progress.js';
import type { CampaignUpdate, MigrationStore, RunCheckpoint, StoredRow } from './migration-store.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_LEASE_TTL_MS } from './run-event-migration.js';

/** Options of {@link runCampaignMigration}. */
export interface CampaignMigrationOptions extends Omit<PlanCampaignMigrationOptions, 'resolutions'> {
  store: MigrationStore;
  /** Write `data_sources_v2`. `false` (the default) is a dry run that writes nothing at all. */
  apply?: boolean;
  /** A resolutions file (parsed JSON) deciding ambiguous campaigns; see `@app/campaign-migrator`. */
  resolutions?: unknown;
  /** Campaigns per read and per write transaction; {@link DEFAULT_BATCH_SIZE} by default. */
  batchSize?: number;
  /** Stops between write batches (Ctrl-C in the CLI). */
  signal?: AbortSignal;
  onProgress?: (progress: MigrationProgress) => void;
  holder?: string;
  leaseTtlMs?: number;
  now?: () => Date;
}

/** What {@link runCampaignMigration} did: the planner's report, and how much of it was written. */
export interface CampaignMigrationRun {
  mode: 'dry-run' | 'apply';
  status: 'completed' | 'aborted';
  /** The campaign-migrator's report: per-campaign outcome, reasons, candidates, before/after. */
  report: MigrationReport;
  /** Campaigns whose `data_sources_v2` was written by this run (0 in a dry run). */
  written: number;
}

/**
 * Migrates campaigns from `data_source` to `data_sources_v2`: reads every campaign (keyset
 * batches) and integration, plans with `planCampaignMigration` (applying `resolutions`), and —
 * with `apply: true` — writes only `data_sources_v2` of the campaigns the plan migrates, in
 * batches committed with a checkpoint. Running it again is safe: migrated campaigns plan as
 * `already_migrated` and are not written twice, which is also how a resumed run continues.
 *
 * Campaigns are planned in memory (the planner needs every integration of an owner); campaign
 * tables are small next to events. An invalid resolutions file refuses to apply.
 */
export async function runCampaignMigration(options: CampaignMigrationOptions): Promise<CampaignMigrationRun> {
  const { store, apply = false, resolutions, batchSize = DEFAULT_BATCH_SIZE } = options;
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? `runner-${globalThis.crypto.randomUUID()}`;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const runKey = 'campaigns';
  const started = now();

  const integrations = await store.readIntegrations();
  const campaigns: StoredRow[] = [];
  for (let after: string | null = null; ; ) {
    const batch = await store.readCampaignBatch(after, batchSize);
    if (batch.length === 0) break;
    campaigns.push(...batch);
    after = batch.at(-1)!.id;
  }
  const report = planCampaignMigration(campaigns, integrations, {
    ...(options.ownerKey === undefined ? {} : { ownerKey: options.ownerKey }),
    ...(options.integrationOwnerKey === undefined ? {} : { integrationOwnerKey: options.integrationOwnerKey }),
    ...(options.activeStatuses === undefined ? {} : { activeStatuses: options.activeStatuses }),
    ...(options.conflictingSources === undefined ? {} : { conflictingSources: options.conflictingSources }),
    ...(resolutions === undefined ? {} : { resolutions }),
  });
  if (!apply) return { mode: 'dry-run', status: 'completed', report, written: 0 };

  if (report.resolutionErrors.length > 0) {
    const first = report.resolutionErrors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ');
    throw new MigrationError(
      'INVALID_RESOLUTIONS',
      `The resolutions file has ${report.resolutionErrors.length} error(s), so nothing was applied: ${first}`,
    );
  }

  const updates: CampaignUpdate[] = report.items.flatMap((item) =>
    item.patch !== null && item.campaignId !== null ? [{ id: item.campaignId, dataSourcesV2: item.patch.data_sources_v2 }] : [],
  );
  const lease = await store.acquireLease(runKey, holder, leaseTtlMs);
  if (!lease.acquired) throw new RunLockedError(runKey, lease.holder, lease.expiresAt);
  try {
    const counts: Record<string, number> = { planned: updates.length, written: 0 };
    const checkpoint = (status: RunCheckpoint['status'], cursor: string | null): RunCheckpoint => ({
      runKey,
      migration: 'campaigns',
      status,
      cursor,
      counts: { ...counts },
      failures: [],
      startedAt: started.toISOString(),
      updatedAt: now().toISOString(),
    });
    let status: CampaignMigrationRun['status'] = 'completed';
    let cursor: string | null = null;
    for (let i = 0; i < updates.length; i += batchSize) {
      if (options.signal?.aborted) {
        status = 'aborted';
        break;
      }
      const batch = updates.slice(i, i + batchSize);
      cursor = batch.at(-1)!.id;
      counts.written! += batch.length;
      const written = await store.writeCampaignBatch({ holder, updates: batch, checkpoint: checkpoint('running', cursor) });
      counts.written! += written - batch.length;
      const elapsedSeconds = Math.max((now().getTime() - started.getTime()) / 1000, 1e-3);
      const done = Math.min(i + batchSize, updates.length);
      options.onProgress?.({
        migration: 'campaigns',
        mode: 'apply',
        processed: done,
        total: updates.length,
        written: counts.written!,
        failed: 0,
        ratePerSecond: done / elapsedSeconds,
        etaSeconds: ((updates.length - done) * elapsedSeconds) / Math.max(done, 1),
        batches: Math.ceil(done / batchSize),
      });
    }
    await store.writeCheckpoint(checkpoint(status, cursor), holder);
    return { mode: 'apply', status, report, written: counts.written! };
  } finally {
    await store.releaseLease(runKey, holder);
  }
}
