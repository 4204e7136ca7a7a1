import { type MigrationReport, planCampaignMigration } from '@app/campaign-migrator';
import { type MigrationStore, type StoredRow, recordedResolutions } from '@app/migrate';

/**
 * The report of the applied campaign migration — what `app-migrate campaigns --apply --report`
 * writes, and what the page showed after Apply — or `null` before any apply (no campaigns
 * checkpoint). Planning the rows as they are now would report every campaign the apply wrote as
 * `already_migrated`; so, as the events' apply report is read from the run's checkpoint, this one
 * plans the campaigns as the apply found them: their legacy columns, with the `data_sources_v2`
 * the migration writes set aside, and the reviewers' decisions the apply kept in its checkpoint.
 * The migration never changes the legacy columns, so the plan is the one that was applied.
 */
export async function campaignApplyReport(store: MigrationStore, batchSize: number): Promise<MigrationReport | null> {
  const checkpoint = await store.readCheckpoint('campaigns');
  if (checkpoint === null) return null;
  const integrations = await store.readIntegrations();
  const campaigns: StoredRow[] = [];
  for (let after: string | null = null; ; ) {
    const batch = await store.readCampaignBatch(after, batchSize);
    if (batch.length === 0) break;
    for (const { data_sources_v2: _written, ...legacy } of batch) campaigns.push(legacy as StoredRow);
    after = batch.at(-1)!.id;
  }
  const resolutions = recordedResolutions(checkpoint);
  return planCampaignMigration(campaigns, integrations, resolutions === undefined ? {} : { resolutions });
}
