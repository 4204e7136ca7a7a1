import { describe, expect, it } from 'vitest';
import { type CampaignMigrationResult, migrateCampaign, NATIVE_PROVIDER_ID, planCampaignMigration } from '../src/index.js';
import { deepFreeze } from './helpers.js';

const integrations = deepFreeze([
  { id: 'shop-u1', user_id: 'u1', provider: 'shopify', status: 'active', name: 'Main store' },
  { id: 'woo-u1-a', user_id: 'u1', integration_type: 'woocommerce', status: 'active' },
  { id: 'woo-u1-b', user_id: 'u1', integration_type: 'WooCommerce', status: 'Active' },
  { id: 'stripe-u2', user_id: 'u2', provider: 'stripe', status: 'active' },
  { id: 'stripe-u1-deleted', user_id: 'u1', provider: 'stripe', status: 'active', deleted_at: '2025-01-02T00:00:00Z' },
  { id: 'paddle-u1-off', user_id: 'u1', provider: 'paddle', status: 'disconnected' },
  { id: 'gumroad-u1-flag', user_id: 'u1', provider: 'gumroad', is_active: false },
  { id: 'typeform-u1', user_id: 'u1', provider: 'Typeform', active: 1 },
]);

function migrate(campaign: Record<string, unknown>, options?: Parameters<typeof migrateCampaign>[2]): CampaignMigrationResult {
  return migrateCampaign(deepFreeze(campaign), integrations, options);
}

function ambiguity(result: CampaignMigrationResult): { reasons: string[]; candidates: unknown[] } {
  if (result.outcome !== 'ambiguous') throw new Error(`expected ambiguous, got ${result.outcome}: ${JSON.stringify(result)}`);
  return { reasons: result.reasons, candidates: result.candidates.map((c) => (c.type === 'native' ? 'native' : c.integration_id)) };
}

describe('migrateCampaign: provider matching through the shared alias table', () => {
  it.each(['shopify', 'Shopify', ' SHOPIFY ', 'shopify_app', 'shopify-plus'])('matches data_source %j to the owner’s shopify integration', (name) => {
    const result = migrate({ id: 'c1', user_id: 'u1', data_source: name });
    expect(result.outcome).toBe('migrated');
    if (result.outcome === 'migrated') {
      expect(result.dataSources).toEqual([{ integration_id: 'shop-u1', provider: 'shopify', filters: {} }]);
      expect(result.campaign.data_source).toBe(name);
    }
  });

  it('treats the same owner id as number or string as one owner', () => {
    const result = migrateCampaign({ id: 7, owner: 42, data_source: 'typeform' }, [{ id: 9, owner: '42', provider: 'typeform' }], { ownerKey: 'owner' });
    expect(result.outcome).toBe('migrated');
    if (result.outcome === 'migrated') expect(result.dataSources[0]?.integration_id).toBe(9);
  });

  it('reads the owner from a configurable column', () => {
    const rows = [{ id: 'i1', workspace_id: 'w1', provider: 'calendly' }];
    expect(migrateCampaign({ id: 'c', workspace_id: 'w1', data_source: 'calendly' }, rows, { ownerKey: 'workspace_id' }).outcome).toBe('migrated');
    expect(ambiguity(migrateCampaign({ id: 'c', workspace_id: 'w2', data_source: 'calendly' }, rows, { ownerKey: 'workspace_id' })).reasons).toEqual([
      'NO_MATCHING_INTEGRATION',
    ]);
  });

  it('reads the integration owner from its own column and the active statuses from options', () => {
    const rows = [{ id: 'i1', site_id: 's1', provider: 'trustpilot', status: 'live' }];
    const campaign = { id: 'c', website_id: 's1', data_source: 'Trustpilot' };
    expect(ambiguity(migrateCampaign(campaign, rows, { ownerKey: 'website_id', integrationOwnerKey: 'site_id' })).reasons).toEqual(['NO_MATCHING_INTEGRATION']);
    const result = migrateCampaign(campaign, rows, { ownerKey: 'website_id', integrationOwnerKey: 'site_id', activeStatuses: ['live'] });
    expect(result.outcome === 'migrated' && result.dataSources[0]?.integration_id).toBe('i1');
  });

  it('copies integration_settings (minus integration_id) into filters, as in the seed', () => {
    const result = migrate({ id: 'c1', user_id: 'u1', data_source: 'shopify', integration_settings: { events: ['order.created'], min_total: 10 } });
    expect(result.outcome === 'migrated' && result.dataSources[0]?.filters).toEqual({ events: ['order.created'], min_total: 10 });
  });
});

describe('migrateCampaign: every ambiguous reason', () => {
  it('NO_MATCHING_INTEGRATION: data_source set, no usable integration of that provider for the owner', () => {
    // u1's stripe integration is deleted and u2's belongs to someone else: neither may be used.
    expect(ambiguity(migrate({ id: 'c1', user_id: 'u1', data_source: 'stripe' }))).toEqual({
      reasons: ['NO_MATCHING_INTEGRATION'],
      candidates: ['shop-u1', 'typeform-u1', 'woo-u1-a', 'woo-u1-b', 'native'],
    });
  });

  it('NO_SOURCE: neither data_source nor native_config, offering the owner’s integrations and native', () => {
    for (const campaign of [
      { id: 'c1', user_id: 'u1' },
      { id: 'c1', user_id: 'u1', data_source: null, native_config: null },
      { id: 'c1', user_id: 'u1', data_source: '  ', native_config: {}, data_sources_v2: [] },
    ]) {
      expect(ambiguity(migrate(campaign))).toEqual({ reasons: ['NO_SOURCE'], candidates: ['shop-u1', 'typeform-u1', 'woo-u1-a', 'woo-u1-b', 'native'] });
    }
  });

  it.each([
    ['deleted', 'stripe-u1-deleted', 'stripe', 'is deleted'],
    ['inactive by status', 'paddle-u1-off', 'paddle', 'is inactive'],
    ['inactive by flag', 'gumroad-u1-flag', 'gumroad', 'is inactive'],
    ['owned by another user', 'stripe-u2', 'stripe', 'belongs to another owner'],
    ['missing', 'int-does-not-exist', 'shopify', 'does not exist'],
  ])('ORPHANED_INTEGRATION: integration_settings.integration_id points to an integration that is %s', (_case, integrationId, provider, words) => {
    const result = migrate({ id: 'c9', user_id: 'u1', data_source: provider, integration_settings: { integration_id: integrationId } });
    expect(ambiguity(result).reasons).toEqual(['ORPHANED_INTEGRATION']);
    expect(result.outcome === 'ambiguous' && result.message).toContain(`"${integrationId}" ${words}`);
    expect(result.outcome === 'ambiguous' && result.message).toContain('Campaign "c9"');
  });

  it('ORPHANED_INTEGRATION offers the owner’s usable integrations of the same provider, and native', () => {
    expect(ambiguity(migrate({ id: 'c', user_id: 'u1', data_source: 'shopify', integration_settings: { integration_id: 'gone' } })).candidates).toEqual(['shop-u1', 'native']);
  });

  it('MULTIPLE_MATCHING_INTEGRATIONS: two usable integrations of the provider', () => {
    expect(ambiguity(migrate({ id: 'c1', user_id: 'u1', data_source: 'woo' }))).toEqual({
      reasons: ['MULTIPLE_MATCHING_INTEGRATIONS'],
      candidates: ['woo-u1-a', 'woo-u1-b'],
    });
  });

  it('an explicit integration_settings.integration_id settles MULTIPLE_MATCHING_INTEGRATIONS', () => {
    const result = migrate({ id: 'c1', user_id: 'u1', data_source: 'woo', integration_settings: { integration_id: 'woo-u1-b', events: ['order.created'] } });
    expect(result.outcome === 'migrated' && result.dataSources).toEqual([{ integration_id: 'woo-u1-b', provider: 'woocommerce', filters: { events: ['order.created'] } }]);
  });

  it('UNKNOWN_PROVIDER: a data_source the alias table does not know is never guessed', () => {
    for (const name of ['shopifyy', 'myspace', 'shop ify!']) {
      expect(ambiguity(migrate({ id: 'c1', user_id: 'u1', data_source: name }))).toEqual({
        reasons: ['UNKNOWN_PROVIDER'],
        candidates: ['shop-u1', 'typeform-u1', 'woo-u1-a', 'woo-u1-b', 'native'],
      });
    }
  });

  it('INTEGRATION_PROVIDER_MISMATCH: the referenced integration is of another provider', () => {
    expect(ambiguity(migrate({ id: 'c1', user_id: 'u1', data_source: 'stripe', integration_settings: { integration_id: 'shop-u1' } }))).toEqual({
      reasons: ['INTEGRATION_PROVIDER_MISMATCH'],
      candidates: ['shop-u1'],
    });
  });

  it('CONFLICTING_SOURCES: both an integration and native_config, unless data_source is preferred', () => {
    const campaign = { id: 'c1', user_id: 'u1', data_source: 'shopify', native_config: { form_id: 'f1' } };
    expect(ambiguity(migrate(campaign))).toEqual({ reasons: ['CONFLICTING_SOURCES'], candidates: ['shop-u1', 'native'] });
    const preferred = migrate(campaign, { conflictingSources: 'prefer_data_source' });
    expect(preferred.outcome === 'migrated' && preferred.campaign.native_config).toEqual({ form_id: 'f1' });
  });

  it('can report two reasons at once', () => {
    expect(ambiguity(migrate({ id: 'c1', user_id: 'u1', data_source: 'nope', native_config: { a: 1 } })).reasons).toEqual(['UNKNOWN_PROVIDER', 'CONFLICTING_SOURCES']);
  });
});

describe('migrateCampaign: native, already migrated, invalid', () => {
  it('maps native_config to the native source with native_config as filters', () => {
    const result = migrate({ id: 'n1', user_id: 'u1', native_config: { form_id: 'f1', min_rating: 4 } });
    expect(result.outcome).toBe('native');
    expect(NATIVE_PROVIDER_ID).toBe('testimonials');
    expect(result.outcome === 'native' && result.campaign.data_sources_v2).toEqual([
      { integration_id: null, provider: 'testimonials', filters: { form_id: 'f1', min_rating: 4 } },
    ]);
  });

  it('maps data_source "native" (an alias of the native provider) to the native source when no such integration exists', () => {
    const result = migrate({ id: 'n1', user_id: 'u1', data_source: 'Native', integration_settings: { events: ['testimonial.created'] } });
    expect(result.outcome === 'native' && result.dataSources).toEqual([{ integration_id: null, provider: 'testimonials', filters: { events: ['testimonial.created'] } }]);
  });

  it('leaves a campaign with a valid data_sources_v2 untouched (same object)', () => {
    const campaign = deepFreeze({ id: 'm1', user_id: 'u1', data_source: 'stripe', data_sources_v2: [{ integration_id: 'x', provider: 'stripe', filters: {} }] });
    const result = migrateCampaign(campaign, integrations);
    expect(result.outcome).toBe('already_migrated');
    expect(result.outcome === 'already_migrated' && result.campaign).toBe(campaign);
  });

  it.each([
    [{ user_id: 'u1', data_source: 'shopify' }, null, 'id'],
    [{ id: '', data_source: 'shopify' }, null, 'id'],
    [{ id: ' ', user_id: 'u1', data_source: 'shopify' }, null, 'id'],
    [{ id: '\t\n', user_id: 'u1', data_source: 'shopify' }, null, 'id'],
    [{ id: 1.5 }, null, 'id'],
    [{ id: 'c1', data_source: 42 }, 'c1', 'data_source'],
    [{ id: 'c1', native_config: 'on' }, 'c1', 'native_config'],
    [{ id: 'c1', native_config: [1] }, 'c1', 'native_config'],
    [{ id: 'c1', integration_settings: ['order.created'] }, 'c1', 'integration_settings'],
    [{ id: 'c1', integration_settings: { integration_id: { id: 1 } } }, 'c1', 'integration_settings.integration_id'],
    [{ id: 'c1', integration_settings: { events: [Number.NaN] } }, 'c1', 'integration_settings.events'],
    [{ id: 'c1', user_id: { id: 'u1' }, data_source: 'shopify' }, 'c1', 'user_id'],
    [{ id: 'c1', data_sources_v2: 'shopify' }, 'c1', 'data_sources_v2'],
    [{ id: 'c1', data_sources_v2: [{ integration_id: 'x', provider: 'Shopify', filters: {} }] }, 'c1', 'data_sources_v2.0.provider'],
  ])('invalid: %j names field %s', (campaign, campaignId, field) => {
    const result = migrate(campaign);
    expect(result.outcome).toBe('invalid');
    if (result.outcome !== 'invalid') return;
    expect(result.field).toBe(field);
    expect(result.campaignId).toBe(campaignId);
    expect(result.message).toContain(field);
  });

  it.each([null, 'campaign', 3, [], new Date(0), new Map()])('invalid: a row that is not an object (%j)', (row) => {
    expect(migrateCampaign(row, integrations)).toMatchObject({ outcome: 'invalid', field: '(row)' });
  });
});

describe('migrateCampaign: __proto__ keys', () => {
  it('keeps a __proto__ column and a __proto__ filter as plain keys and pollutes nothing', () => {
    const campaign = deepFreeze(
      JSON.parse('{"id":"p1","user_id":"u1","data_source":"shopify","__proto__":{"polluted":"yes"},"integration_settings":{"__proto__":{"polluted":"yes"},"events":["a"]}}'),
    );
    const result = migrateCampaign(campaign, integrations);
    expect(result.outcome).toBe('migrated');
    if (result.outcome !== 'migrated') return;
    expect(Object.getPrototypeOf(result.campaign)).toBe(Object.prototype);
    expect(Object.keys(result.campaign)).toEqual(['id', 'user_id', 'data_source', '__proto__', 'integration_settings', 'data_sources_v2']);
    const filters = result.dataSources[0]?.filters ?? {};
    expect(Object.getPrototypeOf(filters)).toBe(Object.prototype);
    expect(Object.keys(filters)).toEqual(['__proto__', 'events']);
    expect(JSON.stringify(result.campaign)).toContain('"__proto__":{"polluted":"yes"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not take an inherited property for a column', () => {
    // `constructor` exists on every object's prototype; as an owner column it must read as absent
    // (no owner), not as a function of the wrong type (invalid).
    const result = migrateCampaign({ id: 'c', data_source: 'shopify' }, [{ id: 'i', provider: 'shopify' }], { ownerKey: 'constructor' });
    expect(result).toMatchObject({ outcome: 'ambiguous', reasons: ['NO_OWNER'] });
  });

  it('names the owner options as the caller sets them: the library options by default, a CLI\'s flags when it says so', () => {
    const row = { id: 'c', data_source: 'shopify' };
    expect(migrateCampaign(row, []).message).toContain('check that the ownerKey option names the column holding the owner (user_id, workspace_id…), or pass singleOwner: true');
    const cli = migrateCampaign(row, [], { optionNames: { ownerKey: '--owner-key', singleOwner: '--single-owner' } }).message;
    expect(cli).toContain('check that --owner-key names the column holding the owner (user_id, workspace_id…), or pass --single-owner if every row belongs to one owner');
    expect(cli).not.toMatch(/ownerKey option|singleOwner: true/);
  });
});

describe('integration rows', () => {
  it('lists integrations that cannot be matched in the report, and ignores them for matching', () => {
    const report = planCampaignMigration(
      [{ id: 'c1', data_source: 'shopify' }],
      [{ id: 'i1', provider: 'myspace' }, { provider: 'shopify' }, 'row', { id: 'i2', provider: 'shopify', integration_type: 'stripe' }, { id: 'i3', provider: 'shopify' }, { id: 'i3', provider: 'shopify' }],
      { singleOwner: true },
    );
    expect(report.integrationIssues.map((issue) => [issue.index, issue.field])).toEqual([
      [0, 'provider'],
      [1, 'id'],
      [2, '(row)'],
      [3, 'integration_type'],
      [5, 'id'],
    ]);
    expect(report.integrationIssues[0]?.why).toContain('unknown provider "myspace"');
    expect(report.items[0]?.patch?.data_sources_v2[0]?.integration_id).toBe('i3');
  });
});

describe('owners: campaigns are never matched across owners', () => {
  it('flags a campaign without a value in the owner column as NO_OWNER instead of matching another tenant (the audit case)', () => {
    // Data keyed by workspace_id but the default ownerKey (user_id): every row looks unowned.
    const result = migrateCampaign({ id: 'c', workspace_id: 'w1', data_source: 'shopify' }, [{ id: 'i9', workspace_id: 'w2', provider: 'shopify' }]);
    expect(ambiguity(result)).toEqual({ reasons: ['NO_OWNER'], candidates: ['native'] });
    expect(result.message).toContain('Campaign "c"');
    expect(result.message).toContain('user_id is missing, null or empty');
    expect(result.message).toContain('ownerKey');
    // With the right column, w1 simply has no shopify integration: w2's is still not offered.
    expect(ambiguity(migrateCampaign({ id: 'c', workspace_id: 'w1', data_source: 'shopify' }, [{ id: 'i9', workspace_id: 'w2', provider: 'shopify' }], { ownerKey: 'workspace_id' }))).toEqual({
      reasons: ['NO_MATCHING_INTEGRATION'],
      candidates: ['native'],
    });
  });

  it.each([
    ['missing', {}],
    ['null', { user_id: null }],
    ['an empty string', { user_id: '' }],
    ['blank', { user_id: '   ' }],
  ])('treats an owner that is %s as no owner, whatever else the row says', (_case, owner) => {
    for (const rest of [{ data_source: 'shopify' }, { native_config: { form_id: 'f' } }, { data_source: 'shopify', integration_settings: { integration_id: 'shop-u1' } }, {}]) {
      expect(ambiguity(migrate({ id: 'c', ...owner, ...rest })).reasons).toEqual(['NO_OWNER']);
    }
  });

  it('offers only the row’s own reference (when live) and native for NO_OWNER, never the other integrations', () => {
    expect(ambiguity(migrate({ id: 'c', data_source: 'shopify', integration_settings: { integration_id: 'shop-u1' } })).candidates).toEqual(['shop-u1', 'native']);
    expect(ambiguity(migrate({ id: 'c', data_source: 'stripe', integration_settings: { integration_id: 'stripe-u1-deleted' } })).candidates).toEqual(['native']);
  });

  it('never matches an integration without an owner to an owned campaign', () => {
    const rows = [
      { id: 'unowned', provider: 'shopify' },
      { id: 'blank-owner', user_id: '', provider: 'shopify' },
    ];
    expect(ambiguity(migrateCampaign({ id: 'c', user_id: 'u1', data_source: 'shopify' }, rows))).toEqual({ reasons: ['NO_MATCHING_INTEGRATION'], candidates: ['native'] });
    const referenced = migrateCampaign({ id: 'c', user_id: 'u1', data_source: 'shopify', integration_settings: { integration_id: 'unowned' } }, rows);
    expect(ambiguity(referenced).reasons).toEqual(['ORPHANED_INTEGRATION']);
    expect(referenced.message).toContain('"unowned" has no owner');
  });

  it('ignores owner columns only when singleOwner is literally true', () => {
    const campaign = { id: 'c', workspace_id: 'w1', user_id: { not: 'an id' }, data_source: 'shopify' };
    const rows = [{ id: 'i9', workspace_id: 'w2', user_id: ['x'], provider: 'shopify' }];
    const result = migrateCampaign(campaign, rows, { singleOwner: true });
    expect(result.outcome === 'migrated' && result.dataSources[0]?.integration_id).toBe('i9');
    const loose = { singleOwner: 'yes' } as unknown as Parameters<typeof migrateCampaign>[2];
    expect(migrateCampaign({ id: 'c', data_source: 'shopify' }, [{ id: 'i', provider: 'shopify' }], loose)).toMatchObject({ reasons: ['NO_OWNER'] });
  });

  it('compares owners past 2^53 as exact text: 9007199254740993 never gets the integration of 9007199254740992', () => {
    const rows = [{ id: 'i-other', user_id: '9007199254740992', provider: 'shopify' }];
    expect(ambiguity(migrateCampaign({ id: 'c', user_id: '9007199254740993', data_source: 'shopify' }, rows)).reasons).toEqual(['NO_MATCHING_INTEGRATION']);
    const own = migrateCampaign({ id: 'c', user_id: 9007199254740993n, data_source: 'shopify' }, [...rows, { id: 'i-own', user_id: '9007199254740993', provider: 'shopify' }]);
    expect(own.outcome === 'migrated' && own.dataSources[0]?.integration_id).toBe('i-own');
    const plan = planCampaignMigration([{ id: 'c', user_id: 9007199254740993n, data_source: 'shopify' }], [{ id: 'i', user_id: 9007199254740993n, provider: 'shopify' }]);
    expect(plan.summary.writes).toBe(1);
  });

  it('refuses owners read as JS numbers past 2^53 (their digits may be rounded) on both sides, naming the column', () => {
    // 9007199254740993 read into a JS number is 9007199254740992: two tenants would look like one.
    const campaign = migrateCampaign({ id: 'c', user_id: 9007199254740993, data_source: 'shopify' }, [{ id: 'i', user_id: 9007199254740992, provider: 'shopify' }]);
    expect(campaign).toMatchObject({ outcome: 'invalid', field: 'user_id' });
    expect(campaign.message).toContain('2^53');
    const plan = planCampaignMigration([{ id: 'c', user_id: '9007199254740992', data_source: 'shopify' }], [{ id: 'i', user_id: 9007199254740992, provider: 'shopify' }]);
    expect(plan.summary.writes).toBe(0);
    expect(plan.integrationIssues).toEqual([expect.objectContaining({ integrationId: 'i', field: 'user_id' })]);
    expect(migrateCampaign({ id: 'c', user_id: 9007199254740991, data_source: 'shopify' }, [{ id: 'i', user_id: '9007199254740991', provider: 'shopify' }]).outcome).toBe('migrated');
  });

  it('names singleOwner in the report', () => {
    expect(planCampaignMigration([], [], { singleOwner: true }).singleOwner).toBe(true);
    expect(planCampaignMigration([], []).singleOwner).toBe(false);
  });
});

describe('integration rows: deleted_at and the active flags', () => {
  const campaign = { id: 'c', user_id: 'u1', data_source: 'shopify' };
  const withRow = (extra: Record<string, unknown>) => planCampaignMigration([campaign], [{ id: 'i', user_id: 'u1', provider: 'shopify', ...extra }]);

  it.each([null, false, 0, '', ' ', 'null', 'NULL', '0', 'false', '0000-00-00', '0000-00-00 00:00:00'])('deleted_at %j does not mark the integration deleted', (deletedAt) => {
    const report = withRow({ deleted_at: deletedAt });
    expect(report.integrationIssues).toEqual([]);
    expect(report.items[0]?.outcome).toBe('migrated');
  });

  it.each([true, '2025-01-02T00:00:00Z', '2025-01-02 10:00:00', new Date('2025-01-02T00:00:00Z'), 1_735_776_000_000])('deleted_at %j marks the integration deleted', (deletedAt) => {
    const report = withRow({ deleted_at: deletedAt });
    expect(report.integrationIssues).toEqual([]);
    expect(report.items[0]?.reasons).toEqual(['NO_MATCHING_INTEGRATION']);
    const referenced = planCampaignMigration([{ ...campaign, integration_settings: { integration_id: 'i' } }], [{ id: 'i', user_id: 'u1', provider: 'shopify', deleted_at: deletedAt }]);
    expect(referenced.items[0]?.message).toContain('"i" is deleted');
  });

  it.each(['yesterday', 'deleted', -5])('deleted_at %j is neither: the row is an integration issue and is not used', (deletedAt) => {
    const report = withRow({ deleted_at: deletedAt });
    expect(report.integrationIssues.map((issue) => issue.field)).toEqual(['deleted_at']);
    expect(report.items[0]?.outcome).toBe('ambiguous');
  });

  it('reads the active flags as booleans or 0/1 only: 2 is an integration issue, not "active"', () => {
    expect(withRow({ active: 1 }).items[0]?.outcome).toBe('migrated');
    expect(withRow({ enabled: 0 }).items[0]?.reasons).toEqual(['NO_MATCHING_INTEGRATION']);
    for (const flag of ['active', 'is_active', 'enabled']) {
      const report = withRow({ [flag]: 2 });
      expect(report.integrationIssues.map((issue) => [issue.field, issue.why])).toEqual([[flag, 'must be a boolean, 0 or 1']]);
      expect(report.items[0]?.outcome).toBe('ambiguous');
    }
  });
});
