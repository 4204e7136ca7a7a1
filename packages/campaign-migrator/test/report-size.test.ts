import { describe, expect, it } from 'vitest';
import { MAX_LISTED_CANDIDATES, formatReportCsv, formatReportMarkdown, planCampaignMigration } from '../src/index.js';

/** `campaigns` Shopify campaigns of one owner (`singleOwner`) that has `integrations` usable Shopify integrations: every campaign is ambiguous. */
function plan(campaigns: number, integrations: number) {
  const integrationRows = Array.from({ length: integrations }, (_, i) => ({ id: `int-${String(i).padStart(5, '0')}`, provider: 'shopify', status: 'active', name: `Store ${i}` }));
  const campaignRows = Array.from({ length: campaigns }, (_, i) => ({ id: `c-${String(i).padStart(6, '0')}`, data_source: 'shopify', name: `Campaign ${i}` }));
  return planCampaignMigration(campaignRows, integrationRows, { singleOwner: true });
}

describe('report size', () => {
  it('lists at most MAX_LISTED_CANDIDATES candidates per item with the total, so 20,000 campaigns × 1,000 integrations stringify, and size grows linearly with campaigns', () => {
    const large = plan(20_000, 1_000);
    expect(large.summary.outcomes.ambiguous).toBe(20_000);
    const [first] = large.items;
    expect(first).toMatchObject({ reasons: ['MULTIPLE_MATCHING_INTEGRATIONS'], candidatesTotal: 1_000 });
    expect(first!.candidates).toHaveLength(MAX_LISTED_CANDIDATES);
    expect(first!.candidates.map((c) => (c.type === 'integration' ? c.integration_id : 'native')).slice(0, 2)).toEqual(['int-00000', 'int-00001']);
    const json = JSON.stringify(large);
    const small = JSON.stringify(plan(2_000, 1_000));
    // Ten times the campaigns, about ten times the bytes (ids are a little longer), and no more with more integrations.
    expect(json.length / small.length).toBeGreaterThan(9.5);
    expect(json.length / small.length).toBeLessThan(10.5);
    expect(JSON.stringify(plan(2_000, 5_000)).length).toBeLessThan(small.length * 1.05);
    expect(formatReportMarkdown(plan(3, 1_000))).toContain(', and 980 more');
    expect(formatReportCsv(plan(3, 1_000))).toContain(';980 more');
  });

  it('keeps native and the total when an owner has more integrations than are listed', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `i-${String(i).padStart(2, '0')}`, user_id: 'u1', provider: 'stripe' }));
    const report = planCampaignMigration([{ id: 'c', user_id: 'u1', data_source: 'shopify' }], rows);
    const [item] = report.items;
    expect(item).toMatchObject({ reasons: ['NO_MATCHING_INTEGRATION'], candidatesTotal: 31 });
    expect(item!.candidates).toHaveLength(MAX_LISTED_CANDIDATES + 1);
    expect(item!.candidates.at(-1)).toMatchObject({ type: 'native' });
  });
});
