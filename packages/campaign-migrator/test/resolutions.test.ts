import { describe, expect, it } from 'vitest';
import {
  createResolutionsTemplate,
  planCampaignMigration,
  ResolutionsFileSchema,
  validateResolutions,
  verifyCampaignMigration,
} from '../src/index.js';
import { applyReport, deepFreeze } from './helpers.js';

const integrations = deepFreeze([
  { id: 'woo-a', user_id: 'u1', provider: 'woocommerce', status: 'active' },
  { id: 'woo-b', user_id: 'u1', provider: 'woocommerce', status: 'active' },
  { id: 'stripe-u2', user_id: 'u2', provider: 'stripe', status: 'active' },
  { id: 'stripe-old', user_id: 'u1', provider: 'stripe', deleted_at: '2025-03-01T00:00:00Z' },
  { id: 'calendly-off', user_id: 'u1', provider: 'calendly', status: 'paused' },
]);

const campaigns = deepFreeze([
  { id: 'multi', user_id: 'u1', data_source: 'woo', integration_settings: { events: ['order.created'] } },
  { id: 'nothing', user_id: 'u1' },
  { id: 'unknown', user_id: 'u1', data_source: 'myspace' },
  { id: 'done', user_id: 'u1', data_sources_v2: [{ integration_id: 'woo-a', provider: 'woocommerce', filters: {} }] },
  { id: 'broken', user_id: 'u1', data_source: 17 },
]);

function file(resolutions: Record<string, unknown>): unknown {
  return { schemaVersion: 1, resolutions };
}

describe('applying resolutions', () => {
  it('turns ambiguous campaigns into migrated, native or skipped ones', () => {
    const dryRun = planCampaignMigration(campaigns, integrations);
    expect(dryRun.summary.outcomes).toEqual({ migrated: 0, native: 0, already_migrated: 1, ambiguous: 3, skipped: 0, invalid: 1 });

    const resolutions = deepFreeze(file({ multi: { integration_id: 'woo-b' }, nothing: 'native', unknown: 'skip', done: 'native' }));
    const report = planCampaignMigration(campaigns, integrations, { resolutions });
    expect(report.resolutionErrors).toEqual([]);
    expect(report.summary.outcomes).toEqual({ migrated: 1, native: 1, already_migrated: 1, ambiguous: 0, skipped: 1, invalid: 1 });
    expect(report.summary.resolutionsApplied).toBe(3);
    expect(report.summary.writes).toBe(2);
    const byId = new Map(report.items.map((item) => [item.campaignId, item]));
    expect(byId.get('multi')).toMatchObject({
      outcome: 'migrated',
      reasons: ['MULTIPLE_MATCHING_INTEGRATIONS'],
      resolution: { integration_id: 'woo-b' },
      resolutionApplied: true,
      patch: { data_sources_v2: [{ integration_id: 'woo-b', provider: 'woocommerce', filters: { events: ['order.created'] } }] },
    });
    expect(byId.get('nothing')?.patch).toEqual({ data_sources_v2: [{ integration_id: null, provider: 'testimonials', filters: {} }] });
    expect(byId.get('unknown')).toMatchObject({ outcome: 'skipped', patch: null, after: null });
    // A resolution for an already migrated campaign is recorded but changes nothing (re-running stays safe).
    expect(byId.get('done')).toMatchObject({ outcome: 'already_migrated', resolutionApplied: false, patch: null });

    const written = applyReport(campaigns, report);
    expect(verifyCampaignMigration(campaigns, written, { report }).ok).toBe(true);
    const rerun = planCampaignMigration(written, integrations, { resolutions });
    expect(rerun.resolutionErrors).toEqual([]);
    expect(rerun.summary.outcomes).toEqual({ migrated: 0, native: 0, already_migrated: 3, ambiguous: 0, skipped: 1, invalid: 1 });
  });

  it('starts from a template that skips every ambiguous campaign and lists its candidates', () => {
    const dryRun = planCampaignMigration(campaigns, integrations);
    const template = createResolutionsTemplate(dryRun);
    expect(ResolutionsFileSchema.safeParse(template).success).toBe(true);
    expect(template.resolutions).toEqual({ multi: 'skip', nothing: 'skip', unknown: 'skip' });
    expect(template.candidates.multi).toEqual({
      reasons: ['MULTIPLE_MATCHING_INTEGRATIONS'],
      choices: [
        { type: 'integration', integration_id: 'woo-a', provider: 'woocommerce', name: null },
        { type: 'integration', integration_id: 'woo-b', provider: 'woocommerce', name: null },
      ],
    });
    const report = planCampaignMigration(campaigns, integrations, { resolutions: JSON.parse(JSON.stringify(template)) });
    expect(report.summary.outcomes.skipped).toBe(3);
  });
});

describe('invalid resolutions', () => {
  it.each([
    [{ ghost: 'native' }, 'UNKNOWN_CAMPAIGN', 'ghost', null, 'no campaign has id "ghost"'],
    [{ multi: { integration_id: 'woo-z' } }, 'UNKNOWN_INTEGRATION', 'multi', 'woo-z', 'no integration has id "woo-z"'],
    [{ multi: { integration_id: 'stripe-u2' } }, 'UNUSABLE_INTEGRATION', 'multi', 'stripe-u2', 'belongs to another owner'],
    [{ multi: { integration_id: 'stripe-old' } }, 'UNUSABLE_INTEGRATION', 'multi', 'stripe-old', 'is deleted'],
    [{ multi: { integration_id: 'calendly-off' } }, 'UNUSABLE_INTEGRATION', 'multi', 'calendly-off', 'is inactive'],
    [{ broken: 'native' }, 'INVALID_CAMPAIGN', 'broken', null, 'data_source'],
    [{ multi: 'maybe' }, 'INVALID_FILE', 'multi', null, 'must be "native", "skip"'],
    [{ multi: { integration_id: 'woo-a', extra: true } }, 'INVALID_FILE', 'multi', null, 'Unrecognized key: "extra"'],
  ])('%j is rejected with %s naming the ids', (resolutions, code, campaignId, integrationId, words) => {
    const result = validateResolutions(file(resolutions), campaigns, integrations);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code, campaignId, integrationId });
    expect(result.errors[0]?.message).toContain(words);
    expect(result.errors[0]?.message).toContain(`"${campaignId}"`);
  });

  it.each([
    [undefined, '(row)'],
    [{ resolutions: {} }, 'schemaVersion'],
    [{ schemaVersion: 2, resolutions: {} }, 'schemaVersion'],
    [{ schemaVersion: 1, resolutions: [] }, 'resolutions'],
  ])('rejects a file of the wrong shape (%j)', (input, field) => {
    const result = validateResolutions(input, campaigns, integrations);
    expect(result.success === false && result.errors[0]?.code).toBe('INVALID_FILE');
    expect(result.success === false && result.errors[0]?.message).toContain(field);
  });

  it('applies none of a file that has any error, and lists every error in the report', () => {
    const resolutions = file({ multi: { integration_id: 'woo-a' }, ghost: 'skip', nothing: { integration_id: 'nope' } });
    const report = planCampaignMigration(campaigns, integrations, { resolutions });
    expect(report.resolutionErrors.map((error) => error.code)).toEqual(['UNKNOWN_CAMPAIGN', 'UNKNOWN_INTEGRATION']);
    expect(report.summary.resolutionErrors).toBe(2);
    expect(report.summary.outcomes.ambiguous).toBe(3);
    expect(report.items.every((item) => item.resolution === null)).toBe(true);
    expect({ ...report, resolutionErrors: [], summary: { ...report.summary, resolutionErrors: 0 } }).toEqual(planCampaignMigration(campaigns, integrations));
  });

  it('treats a __proto__ campaign id in the file as an unknown campaign, not as a prototype', () => {
    const result = validateResolutions(JSON.parse('{"schemaVersion":1,"resolutions":{"__proto__":"native"}}'), campaigns, integrations);
    expect(result.success === false && result.errors[0]).toMatchObject({ code: 'UNKNOWN_CAMPAIGN', campaignId: '__proto__' });
  });

  it('rejects a resolution for a campaign id shared by several rows (both rows are invalid)', () => {
    const rows = [{ id: 'twin', data_source: 'stripe' }, { id: 'twin', native_config: { a: 1 } }];
    const report = planCampaignMigration(rows, []);
    expect(report.items.map((item) => [item.outcome, item.invalid?.field])).toEqual([['invalid', 'id'], ['invalid', 'id']]);
    const result = validateResolutions(file({ twin: 'native' }), rows, []);
    expect(result.success === false && result.errors[0]?.code).toBe('INVALID_CAMPAIGN');
  });

  it('lets a reviewer override an automatic decision', () => {
    const rows = [{ id: 'auto', user_id: 'u1', native_config: { widget: 'reviews' } }];
    const report = planCampaignMigration(rows, integrations, { resolutions: file({ auto: { integration_id: 'woo-a' } }) });
    expect(report.items[0]).toMatchObject({ outcome: 'migrated', resolutionApplied: true, reasons: [] });
    expect(report.items[0]?.patch?.data_sources_v2).toEqual([{ integration_id: 'woo-a', provider: 'woocommerce', filters: {} }]);
  });

  it('accepts integer ids written as numbers', () => {
    const result = validateResolutions(file({ '7': { integration_id: 12 } }), [{ id: 7, user_id: 1 }], [{ id: 12, user_id: 1, provider: 'stripe' }]);
    expect(result.success && [...result.resolutions]).toEqual([['7', { integration_id: 12 }]]);
  });
});
