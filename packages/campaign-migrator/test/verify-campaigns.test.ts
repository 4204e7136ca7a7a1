import { describe, expect, it } from 'vitest';
import { planCampaignMigration, verifyCampaigns } from '../src/index.js';
import { applyReport, deepFreeze } from './helpers.js';

const integrations = deepFreeze([
  { id: 'shop', user_id: 'u1', provider: 'shopify' },
  { id: 'stripe', user_id: 'u1', provider: 'stripe' },
  { id: 'other', user_id: 'u2', provider: 'shopify' },
  { id: 'gone', user_id: 'u1', provider: 'shopify', deleted_at: '2025-01-01T00:00:00Z' },
]);
const campaigns = deepFreeze([
  { id: 'c1', user_id: 'u1', data_source: 'shopify', integration_settings: { integration_id: 'shop' } },
  { id: 'c2', user_id: 'u1', native_config: { style: 'x' } },
  { id: 'c3', user_id: 'u1' },
]);

function codes(result: ReturnType<typeof verifyCampaigns>): string[] {
  return result.problems.map((problem) => `${problem.code}:${problem.campaignId ?? ''}:${problem.field ?? ''}`);
}

describe('verifyCampaigns', () => {
  it('with no run at all, every campaign a run would write or a person must decide is unexplained', () => {
    const result = verifyCampaigns(campaigns, integrations);
    expect(codes(result)).toEqual(['NOT_MIGRATED:c1:data_sources_v2', 'NOT_MIGRATED:c2:data_sources_v2', 'UNDECIDED:c3:data_sources_v2']);
    expect(result.ok).toBe(false);
    expect(result.counts).toEqual({ campaigns: 3, migrated: 0, skipped: 0, unexplained: 3 });
  });

  it('after an applied plan and a skip resolution, everything is explained', () => {
    const resolutions = { schemaVersion: 1, resolutions: { c3: 'skip' } };
    const after = applyReport(campaigns, planCampaignMigration(campaigns, integrations, { resolutions }));
    const result = verifyCampaigns(after, integrations, { resolutions });
    expect(result).toEqual({ ok: true, counts: { campaigns: 3, migrated: 2, skipped: 1, unexplained: 0 }, problems: [] });
    // Without the resolutions file the skipped campaign is not explained.
    expect(codes(verifyCampaigns(after, integrations))).toEqual(['UNDECIDED:c3:data_sources_v2']);
  });

  it('a data_sources_v2 set by hand is checked like one the migration wrote', () => {
    const withSources = (sources: unknown) => [{ id: 'c1', user_id: 'u1', data_sources_v2: sources }];
    expect(codes(verifyCampaigns(withSources([{ provider: 'bogus' }]), integrations))).toEqual(['INVALID_DATA_SOURCES_V2:c1:data_sources_v2.0.integration_id']);
    expect(codes(verifyCampaigns(withSources([{ integration_id: 'nope', provider: 'shopify', filters: {} }]), integrations))).toEqual([
      'UNKNOWN_INTEGRATION:c1:data_sources_v2[0].integration_id',
    ]);
    expect(codes(verifyCampaigns(withSources([{ integration_id: 'other', provider: 'shopify', filters: {} }]), integrations))).toEqual([
      'FOREIGN_INTEGRATION:c1:data_sources_v2[0].integration_id',
    ]);
    expect(codes(verifyCampaigns(withSources([{ integration_id: 'gone', provider: 'shopify', filters: {} }]), integrations))).toEqual([
      'DELETED_INTEGRATION:c1:data_sources_v2[0].integration_id',
    ]);
    expect(codes(verifyCampaigns(withSources([{ integration_id: 'stripe', provider: 'shopify', filters: {} }]), integrations))).toEqual([
      'PROVIDER_MISMATCH:c1:data_sources_v2[0].provider',
    ]);
    expect(codes(verifyCampaigns(withSources([{ integration_id: null, provider: 'shopify', filters: {} }]), integrations))).toEqual([
      'INVALID_DATA_SOURCES_V2:c1:data_sources_v2[0].integration_id',
    ]);
    expect(verifyCampaigns(withSources([{ integration_id: 'shop', provider: 'shopify', filters: {} }]), integrations).ok).toBe(true);
  });

  it('an explicit resolution explains a provider mismatch and an owner-less campaign', () => {
    const mismatch = [{ id: 'c1', user_id: 'u1', data_source: 'shopify', data_sources_v2: [{ integration_id: 'stripe', provider: 'shopify', filters: {} }] }];
    const allowed = { schemaVersion: 1, resolutions: { c1: { integration_id: 'stripe', allow_provider_mismatch: true } } };
    expect(verifyCampaigns(mismatch, integrations, { resolutions: allowed }).ok).toBe(true);
    const ownerless = [{ id: 'c1', data_source: 'shopify', data_sources_v2: [{ integration_id: 'shop', provider: 'shopify', filters: {} }] }];
    expect(codes(verifyCampaigns(ownerless, integrations))).toEqual(['FOREIGN_INTEGRATION:c1:data_sources_v2[0].integration_id']);
    expect(verifyCampaigns(ownerless, integrations, { resolutions: { schemaVersion: 1, resolutions: { c1: { integration_id: 'shop' } } } }).ok).toBe(true);
    expect(verifyCampaigns(ownerless, integrations, { singleOwner: true }).ok).toBe(true);
  });

  it('a new legacy campaign after the run, an invalid row and a bad resolutions file are listed', () => {
    const after = applyReport(campaigns.slice(0, 2), planCampaignMigration(campaigns.slice(0, 2), integrations));
    const result = verifyCampaigns([...after, { id: 'c4', user_id: 'u1', data_source: 'stripe' }, { id: 'c5', user_id: true }], integrations, {
      resolutions: { schemaVersion: 2 },
    });
    expect(codes(result)).toEqual(['INVALID_RESOLUTIONS::', 'NOT_MIGRATED:c4:data_sources_v2', 'INVALID_CAMPAIGN:c5:user_id']);
    expect(result.counts).toEqual({ campaigns: 4, migrated: 2, skipped: 0, unexplained: 2 });
  });

  it('never throws, whatever it is given', () => {
    expect(verifyCampaigns([null, 'x', { id: {} }] as unknown[], [undefined] as unknown[], { resolutions: 5 }).ok).toBe(false);
  });
});
