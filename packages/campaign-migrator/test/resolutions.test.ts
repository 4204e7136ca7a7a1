import { describe, expect, it } from 'vitest';
import {
  createResolutionsTemplate,
  formatReportMarkdown,
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
    [{ broken: { integration_id: 'woo-a' } }, 'INVALID_CAMPAIGN', 'broken', null, 'or resolve it with "skip"'],
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

  it('rejects a native or integration resolution for a campaign id shared by several rows (both rows are invalid)', () => {
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

describe('skipping invalid rows and rows sharing an id', () => {
  it('accepts "skip" for an invalid row: the item is skipped, keeps why it was invalid, and verify accounts for it', () => {
    const report = planCampaignMigration(campaigns, integrations, { resolutions: file({ broken: 'skip' }) });
    expect(report.resolutionErrors).toEqual([]);
    const broken = report.items.find((item) => item.campaignId === 'broken');
    expect(broken).toMatchObject({ outcome: 'skipped', resolution: 'skip', resolutionApplied: true, invalid: { field: 'data_source' }, patch: null });
    expect(broken?.message).toContain('a reviewer chose to skip it');
    expect(report.summary.outcomes).toMatchObject({ skipped: 1, invalid: 0 });
    const verification = verifyCampaignMigration(campaigns, applyReport(campaigns, report), { report });
    expect(verification).toMatchObject({ ok: true, counts: { campaigns: 5, migrated: 0, alreadyMigrated: 1, accountedFor: 4 } });
  });

  const twins = deepFreeze([
    { id: 'twin', user_id: 'u1', data_source: 'stripe' },
    { id: 'solo', user_id: 'u1', data_source: 'woo', integration_settings: { integration_id: 'woo-a' } },
    { id: 'twin', user_id: 'u1', native_config: { a: 1 } },
  ]);

  it('accepts "skip" for an id shared by several rows, and verify matches those rows as a set', () => {
    const report = planCampaignMigration(twins, integrations, { resolutions: file({ twin: 'skip' }) });
    expect(report.resolutionErrors).toEqual([]);
    expect(report.items.map((item) => [item.campaignId, item.outcome])).toEqual([['solo', 'migrated'], ['twin', 'skipped'], ['twin', 'skipped']]);
    const written = applyReport(twins, report);
    // The database may hand the twins back in any order.
    const reordered = [written[2], written[1], written[0]];
    expect(verifyCampaignMigration(twins, reordered, { report })).toEqual({
      ok: true,
      counts: { campaigns: 3, migrated: 1, alreadyMigrated: 0, accountedFor: 2 },
      problems: [],
    });
  });

  it('still finds a changed, lost or added row among rows sharing an id', () => {
    const report = planCampaignMigration(twins, integrations);
    const written = applyReport(twins, report);
    expect(verifyCampaignMigration(twins, written, { report }).ok).toBe(true);
    const codesOf = (after: unknown[], options = { report }) => verifyCampaignMigration(twins, after, options).problems.map((p) => `${p.code}:${p.campaignId}`);
    expect(codesOf(written.map((row, i) => (i === 2 ? { ...row, native_config: { a: 2 } } : row)))).toEqual(['FIELD_CHANGED:twin']);
    expect(codesOf(written.map((row, i) => (i === 2 ? { ...row, data_sources_v2: [{ integration_id: null, provider: 'testimonials', filters: {} }] } : row)))).toEqual(['FIELD_CHANGED:twin']);
    expect(codesOf(written.slice(0, 2))).toEqual(['MISSING_CAMPAIGN:twin']);
    expect(codesOf([...written, written[0]])).toEqual(['UNEXPECTED_CAMPAIGN:twin']);
    // Without a report nothing accounts for them.
    expect(verifyCampaignMigration(twins, written).problems.map((p) => p.code)).toContain('DUPLICATE_ID');
  });
});

describe('resolutions naming an integration of another provider', () => {
  const mixed = deepFreeze([...integrations, { id: 'shop-u1', user_id: 'u1', provider: 'shopify', status: 'active' }]);
  const rows = deepFreeze([
    { id: 'woo', user_id: 'u1', data_source: 'woo', integration_settings: { events: ['order.created'] } },
    { id: 'mismatch', user_id: 'u1', data_source: 'shopify', integration_settings: { integration_id: 'woo-a' } },
    { id: 'unknown', user_id: 'u1', data_source: 'myspace' },
    { id: 'nothing', user_id: 'u1' },
  ]);

  it('refuses one without allow_provider_mismatch, naming both providers and the flag', () => {
    const result = validateResolutions(file({ woo: { integration_id: 'shop-u1' }, mismatch: { integration_id: 'woo-a' } }), rows, mixed);
    expect(result.success === false && result.errors.map((e) => [e.code, e.campaignId, e.integrationId])).toEqual([
      ['PROVIDER_MISMATCH', 'woo', 'shop-u1'],
      ['PROVIDER_MISMATCH', 'mismatch', 'woo-a'],
    ]);
    const message = result.success ? '' : (result.errors[0]?.message ?? '');
    expect(message).toContain('is a shopify integration');
    expect(message).toContain('data_source is woocommerce');
    expect(message).toContain('"allow_provider_mismatch": true');
  });

  it('applies one with allow_provider_mismatch: true, recording the override', () => {
    const resolutions = file({ woo: { integration_id: 'shop-u1', allow_provider_mismatch: true }, mismatch: { integration_id: 'woo-a', allow_provider_mismatch: true } });
    const report = planCampaignMigration(rows, mixed, { resolutions });
    expect(report.resolutionErrors).toEqual([]);
    expect(report.items.find((item) => item.campaignId === 'woo')).toMatchObject({
      outcome: 'migrated',
      resolution: { integration_id: 'shop-u1', allow_provider_mismatch: true },
      patch: { data_sources_v2: [{ integration_id: 'shop-u1', provider: 'shopify', filters: { events: ['order.created'] } }] },
    });
    expect(report.items.find((item) => item.campaignId === 'mismatch')?.patch?.data_sources_v2[0]?.provider).toBe('woocommerce');
    expect(formatReportMarkdown(report)).toContain('integration shop-u1 (provider mismatch allowed)');
  });

  it('needs no flag when data_source names no known provider (UNKNOWN_PROVIDER, NO_SOURCE) or when it is false', () => {
    expect(validateResolutions(file({ unknown: { integration_id: 'shop-u1' }, nothing: { integration_id: 'woo-b' } }), rows, mixed).success).toBe(true);
    expect(validateResolutions(file({ woo: { integration_id: 'shop-u1', allow_provider_mismatch: false } }), rows, mixed).success).toBe(false);
    expect(validateResolutions(file({ woo: { integration_id: 'shop-u1', allow_provider_mismatch: 'yes' } }), rows, mixed)).toMatchObject({ success: false, errors: [{ code: 'INVALID_FILE' }] });
  });
});

describe('a native resolution', () => {
  it('does not copy integration filters onto the native source; native_config, or a native data_source’s settings, are its filters', () => {
    const rows = [
      { id: 'shop', user_id: 'u1', data_source: 'shopify', integration_settings: { events: ['order.created'] } },
      { id: 'conflict', user_id: 'u1', data_source: 'woo', native_config: { form_id: 'f1' }, integration_settings: { events: ['order.created'] } },
      { id: 'native', user_id: 'u1', data_source: 'native', integration_settings: { events: ['testimonial.created'] } },
    ];
    const report = planCampaignMigration(rows, integrations, { resolutions: file({ shop: 'native', conflict: 'native', native: 'native' }) });
    expect(report.resolutionErrors).toEqual([]);
    expect(Object.fromEntries(report.items.map((item) => [item.campaignId, item.patch?.data_sources_v2]))).toEqual({
      shop: [{ integration_id: null, provider: 'testimonials', filters: {} }],
      conflict: [{ integration_id: null, provider: 'testimonials', filters: { form_id: 'f1' } }],
      native: [{ integration_id: null, provider: 'testimonials', filters: { events: ['testimonial.created'] } }],
    });
  });

  it('is offered as a candidate where it is accepted and no integration of the provider is there', () => {
    const report = planCampaignMigration(campaigns, integrations);
    const template = createResolutionsTemplate(report);
    expect((template.candidates.unknown as { choices: { type: string }[] }).choices.map((c) => c.type)).toContain('native');
  });
});

describe('resolving NO_OWNER campaigns', () => {
  const unowned = deepFreeze([
    { id: 'orphan', data_source: 'stripe' },
    { id: 'owned', user_id: 'u1', data_source: 'stripe' },
  ]);
  const rows = deepFreeze([...integrations, { id: 'stripe-nobody', provider: 'stripe' }]);

  it('lets a reviewer choose native, skip, or any live integration: the choice settles whose campaign it is', () => {
    expect(planCampaignMigration(unowned, rows).items.find((item) => item.campaignId === 'orphan')).toMatchObject({ outcome: 'ambiguous', reasons: ['NO_OWNER'] });
    for (const [resolution, outcome] of [['native', 'native'], ['skip', 'skipped'], [{ integration_id: 'stripe-u2' }, 'migrated']] as const) {
      const report = planCampaignMigration(unowned, rows, { resolutions: file({ orphan: resolution }) });
      expect(report.resolutionErrors).toEqual([]);
      expect(report.items.find((item) => item.campaignId === 'orphan')?.outcome).toBe(outcome);
    }
    const deleted = validateResolutions(file({ orphan: { integration_id: 'stripe-old' } }), unowned, rows);
    expect(deleted.success === false && deleted.errors[0]?.message).toContain('is deleted');
  });

  it('still refuses an integration without an owner for an owned campaign', () => {
    const result = validateResolutions(file({ owned: { integration_id: 'stripe-nobody' } }), unowned, rows);
    expect(result.success === false && result.errors[0]).toMatchObject({ code: 'UNUSABLE_INTEGRATION', integrationId: 'stripe-nobody' });
    expect(result.success === false && result.errors[0]?.message).toContain('has no owner');
  });
});
