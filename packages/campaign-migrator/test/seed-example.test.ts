import { describe, expect, it } from 'vitest';
import { migrateCampaign, planCampaignMigration, verifyCampaignMigration } from '../src/index.js';
import { applyReport, deepFreeze } from './helpers.js';

// The "Campaign Migration Example" of the legacy product summary (shared/seed), verbatim. The
// seed's "After" block carries a `// Preserved for compatibility` comment, which JSON cannot hold;
// it is left out, nothing else is changed.
const SEED_BEFORE = `{
  "id": "campaign-1",
  "data_source": "shopify",
  "integration_settings": {
    "events": ["order.created"]
  }
}`;
const SEED_AFTER = `{
  "id": "campaign-1",
  "data_source": "shopify",
  "data_sources_v2": [
    {
      "integration_id": "int-123",
      "provider": "shopify",
      "filters": {
        "events": ["order.created"]
      }
    }
  ]
}`;

// The seed's campaign has no owner column, so its integration has none either: single-owner
// data, which must be said explicitly (without it an unowned campaign is NO_OWNER, see below).
const integrations = deepFreeze([{ id: 'int-123', provider: 'shopify', status: 'active' }]);
const singleOwner = { singleOwner: true } as const;

describe('the seed campaign migration example', () => {
  it('adds the data_sources_v2 of the seed "After" block and keeps every original field', () => {
    const before = deepFreeze(JSON.parse(SEED_BEFORE));
    const result = migrateCampaign(before, integrations, singleOwner);
    expect(result.outcome).toBe('migrated');
    if (result.outcome !== 'migrated') return;
    const after = JSON.parse(SEED_AFTER);
    expect(result.campaign).toMatchObject(after);
    expect(result.campaign.data_sources_v2).toEqual(after.data_sources_v2);
    expect(result.campaign.data_source).toBe(after.data_source);
    expect(result.campaign.id).toBe(after.id);
    // The seed's After block abbreviates; the real row also keeps integration_settings as it was.
    expect(JSON.stringify({ ...result.campaign, data_sources_v2: undefined })).toBe(JSON.stringify(before));
    expect(result.campaign).toEqual({ ...before, data_sources_v2: after.data_sources_v2 });
  });

  it('runs the seed workflow: dry run, report, apply, verify, and a second run changes nothing', () => {
    const campaigns = deepFreeze([JSON.parse(SEED_BEFORE)]);
    const dryRun = planCampaignMigration(campaigns, integrations, singleOwner);
    expect(dryRun.summary.outcomes).toEqual({ migrated: 1, native: 0, already_migrated: 0, ambiguous: 0, skipped: 0, invalid: 0 });
    expect(dryRun.items[0]?.patch).toEqual({ data_sources_v2: JSON.parse(SEED_AFTER).data_sources_v2 });

    const written = applyReport(campaigns, dryRun);
    expect(verifyCampaignMigration(campaigns, written, { report: dryRun })).toEqual({
      ok: true,
      counts: { campaigns: 1, migrated: 1, alreadyMigrated: 0, accountedFor: 0 },
      problems: [],
    });
    const secondRun = planCampaignMigration(written, integrations, singleOwner);
    expect(secondRun.summary.outcomes.already_migrated).toBe(1);
    expect(secondRun.summary.writes).toBe(0);
  });

  it('without singleOwner, the ownerless seed campaign is NO_OWNER: it is never matched by default', () => {
    const result = migrateCampaign(deepFreeze(JSON.parse(SEED_BEFORE)), integrations);
    expect(result).toMatchObject({ outcome: 'ambiguous', reasons: ['NO_OWNER'] });
    expect(result.message).toContain('user_id');
    expect(result.message).toContain('ownerKey');
  });
});
