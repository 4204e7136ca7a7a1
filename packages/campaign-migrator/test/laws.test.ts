import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_OUTCOMES,
  formatReportCsv,
  formatReportMarkdown,
  migrateCampaign,
  MigrationReportSchema,
  planCampaignMigration,
  validateResolutions,
  verifyCampaignMigration,
} from '../src/index.js';
import { applyReport, deepFreeze } from './helpers.js';

// Provider spellings mixing aliases, case and spacing variants, and names the table does not know.
const knownProviderName = fc.constantFrom('shopify', 'Shopify', 'shopify_app', 'woo', 'WooCommerce', 'stripe', 'Stripe Checkout', 'paddle', 'native', 'testimonial.to');
const providerName = fc.oneof({ arbitrary: knownProviderName, weight: 4 }, { arbitrary: fc.constantFrom('myspace', '', '  '), weight: 1 });
const mostlyAbsent = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary, weight: 1 });
const owner = fc.option(fc.constantFrom('u1', 'u2', 7), { nil: undefined });
const id = fc.oneof(fc.constantFrom('c1', 'c2', 'i1', 'i2', 'i3'), fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 20 }));
const trickyKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'events', 'integration_id', 'hasOwnProperty');
const jsonObject = fc.dictionary(fc.oneof(trickyKey, fc.string({ maxLength: 5 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

const integration = fc.record(
  {
    id: fc.oneof({ arbitrary: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6'), weight: 4 }, { arbitrary: id, weight: 1 }),
    user_id: owner,
    provider: fc.oneof({ arbitrary: knownProviderName, weight: 4 }, { arbitrary: fc.constant(undefined), weight: 1 }),
    integration_type: mostlyAbsent(providerName),
    status: fc.option(fc.constantFrom('active', 'Active', 'connected', 'inactive', 'error'), { nil: undefined }),
    is_active: mostlyAbsent(fc.boolean()),
    deleted_at: mostlyAbsent(fc.constantFrom(null, '2025-01-01T00:00:00Z')),
  },
  { requiredKeys: ['id'] },
);

const dataSourceV2 = fc.record({
  integration_id: fc.option(fc.constantFrom('i1', 'i2', 3), { nil: null }),
  provider: fc.constantFrom('shopify', 'stripe', 'testimonials'),
  filters: jsonObject,
});

const campaign = fc.record(
  {
    id,
    user_id: owner,
    name: fc.string(),
    data_source: fc.option(providerName, { nil: null }),
    native_config: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: jsonObject, weight: 1 }),
    integration_settings: fc.option(
      fc.record({ integration_id: mostlyAbsent(fc.constantFrom('i1', 'i2', 'i3', 'gone', 5)), events: fc.array(fc.constantFrom('order.created', 'charge.succeeded')) }, { requiredKeys: [] }),
      { nil: null },
    ),
    data_sources_v2: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.array(dataSourceV2, { maxLength: 2 }), weight: 1 }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['id'] },
);

/** Rows exactly as a JSON column would hand them over, `__proto__` keys included as own keys. */
const fromJson = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> => arbitrary.map((value) => JSON.parse(JSON.stringify(value)) as T);
const integrations = fromJson(fc.array(integration, { maxLength: 8 }));
/**
 * Campaigns and integrations together: half the campaigns copy the owner and provider spelling of
 * a generated integration, so matches (and multiple matches) are common, not lucky.
 */
const world = integrations.chain((integrationRows) => {
  const related =
    integrationRows.length === 0
      ? campaign
      : fc
          .tuple(campaign, fc.constantFrom(...integrationRows))
          .map(([row, target]) => ({ ...row, user_id: target.user_id, data_source: target.provider ?? row.data_source, data_sources_v2: null }));
  return fc.tuple(fromJson(fc.array(fc.oneof(campaign, related), { maxLength: 12 })), fc.constant(integrationRows));
});

const anything = fc.anything({
  key: fc.oneof(trickyKey, fc.constantFrom('id', 'data_source', 'native_config', 'integration_settings', 'data_sources_v2', 'user_id'), fc.string()),
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutDataSources(row: Record<string, unknown>): string {
  return JSON.stringify(row, (key, value: unknown) => (key === 'data_sources_v2' ? undefined : value));
}

describe('laws', () => {
  it('never mutates its inputs (deep-frozen inputs, and an unchanged JSON snapshot)', () => {
    fc.assert(
      fc.property(world, ([rows, integrationRows]) => {
        const snapshot = JSON.stringify([rows, integrationRows]);
        deepFreeze(rows);
        deepFreeze(integrationRows);
        for (const row of rows) migrateCampaign(row, integrationRows);
        const report = planCampaignMigration(rows, integrationRows, { resolutions: { schemaVersion: 1, resolutions: {} } });
        formatReportCsv(report);
        formatReportMarkdown(report);
        verifyCampaignMigration(rows, applyReport(rows, report), { report });
        expect(JSON.stringify([rows, integrationRows])).toBe(snapshot);
        // A write to a frozen input would throw inside and surface as an "(row) could not be read" result.
        expect(report.items.filter((item) => item.invalid?.field === '(row)')).toEqual([]);
        expect(report.integrationIssues.filter((issue) => issue.field === '(row)')).toEqual([]);
      }),
    );
  });

  it('is idempotent: a migrated campaign comes back unchanged, and planning twice gives the same report', () => {
    const seen = { migrated: 0, native: 0 };
    fc.assert(
      fc.property(world, ([rows, integrationRows]) => {
        for (const row of rows) {
          const first = migrateCampaign(row, integrationRows);
          if (first.outcome !== 'migrated' && first.outcome !== 'native') continue;
          seen[first.outcome] += 1;
          const second = migrateCampaign(first.campaign, integrationRows);
          expect(second.outcome).toBe('already_migrated');
          expect(second.outcome === 'already_migrated' && second.campaign).toBe(first.campaign);
        }
        const report = planCampaignMigration(rows, integrationRows);
        expect(planCampaignMigration(rows, integrationRows)).toEqual(report);
        expect(JSON.stringify(planCampaignMigration(rows, integrationRows))).toBe(JSON.stringify(report));

        const rerun = planCampaignMigration(applyReport(rows, report), integrationRows);
        expect(rerun.summary.writes).toBe(0);
        expect(rerun.summary.outcomes.already_migrated).toBe(report.summary.outcomes.already_migrated + report.summary.writes);
      }),
    );
    // The generators must reach the interesting cases, or the law above would hold vacuously.
    expect(seen.migrated).toBeGreaterThan(10);
    expect(seen.native).toBeGreaterThan(10);
  });

  it('never writes a campaign to an integration of another owner, or to one when either side has no owner', () => {
    let written = 0;
    fc.assert(
      fc.property(world, ([rows, integrationRows]) => {
        const owners = new Map<string, unknown>();
        for (const row of integrationRows as Record<string, unknown>[]) if (!owners.has(String(row.id))) owners.set(String(row.id), row.user_id);
        const report = planCampaignMigration(rows, integrationRows);
        for (const item of report.items) {
          for (const source of item.patch?.data_sources_v2 ?? []) {
            if (source.integration_id === null) continue;
            written += 1;
            const campaignOwner = (item.before as Record<string, unknown>).user_id;
            const integrationOwner = owners.get(String(source.integration_id));
            expect(campaignOwner).not.toBeUndefined();
            expect(campaignOwner).not.toBeNull();
            expect(String(integrationOwner)).toBe(String(campaignOwner));
          }
        }
        for (const item of report.items) {
          const owner = isRecord(item.before) ? item.before.user_id : undefined;
          if (item.outcome !== 'invalid' && item.outcome !== 'already_migrated' && owner === undefined) expect(item.reasons).toEqual(['NO_OWNER']);
        }
      }),
    );
    expect(written).toBeGreaterThan(10);
  });

  it('under singleOwner, the owner columns change nothing', () => {
    const ownerValue = fc.constantFrom(undefined, null, '', 'u1', 'u2', 7, { not: 'an id' });
    fc.assert(
      fc.property(world, fc.array(ownerValue, { minLength: 20, maxLength: 20 }), ([rows, integrationRows], owners) => {
        const reowned = <T>(list: T[], offset: number): T[] =>
          list.map((row, i) => (isRecord(row) ? ({ ...row, user_id: owners[(i + offset) % owners.length] } as T) : row));
        const decisions = (campaignRows: unknown[], integrationList: unknown[]) =>
          planCampaignMigration(campaignRows, integrationList, { singleOwner: true }).items.map((item) => [item.campaignId, item.outcome, item.reasons, item.patch]);
        expect(decisions(reowned(rows, 0), reowned(integrationRows, 7))).toEqual(decisions(rows, integrationRows));
      }),
    );
  });

  it('preserves every original field byte for byte, in the same order', () => {
    fc.assert(
      fc.property(world, ([rows, integrationRows]) => {
        for (const row of rows as Record<string, unknown>[]) {
          const result = migrateCampaign(row, integrationRows);
          if (result.outcome !== 'migrated' && result.outcome !== 'native') continue;
          for (const key of Object.keys(row)) if (key !== 'data_sources_v2') expect(Object.is(result.campaign[key], row[key])).toBe(true);
          expect(withoutDataSources(result.campaign)).toBe(withoutDataSources(row));
          expect(Object.keys(result.campaign).filter((key) => key !== 'data_sources_v2')).toEqual(Object.keys(row).filter((key) => key !== 'data_sources_v2'));
        }
      }),
    );
  });

  it('is total: any value as a campaign, integration list or resolutions file gives a result, never a throw', () => {
    fc.assert(
      fc.property(anything, fc.array(anything, { maxLength: 4 }), fc.array(anything, { maxLength: 4 }), anything, (row, rows, integrationRows, resolutions) => {
        const result = migrateCampaign(row, integrationRows);
        expect(CAMPAIGN_OUTCOMES).toContain(result.outcome);
        const report = planCampaignMigration([row, ...rows], integrationRows, { resolutions });
        expect(report.items).toHaveLength(rows.length + 1);
        expect(typeof formatReportCsv(report)).toBe('string');
        expect(typeof formatReportMarkdown(report)).toBe('string');
        expect(typeof validateResolutions(resolutions, rows, integrationRows).success).toBe('boolean');
        expect(typeof verifyCampaignMigration(rows, integrationRows, { report }).ok).toBe('boolean');
        expect(typeof verifyCampaignMigration([row, ...rows], [row, ...rows], { report }).ok).toBe('boolean');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });

  it('is total on JSON rows with huge arrays, deep nesting and __proto__ keys', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    const huge = { id: 'h', data_source: 'shopify', integration_settings: { events: Array.from({ length: 100_000 }, (_, i) => `e${i}`) } };
    const rows = [
      { id: 'd', data_source: 'shopify', integration_settings: { deep } },
      huge,
      { id: 'v', data_sources_v2: Array.from({ length: 50_000 }, () => ({ integration_id: 'i', provider: 'shopify', filters: {} })) },
      JSON.parse('{"id":"p","__proto__":{"polluted":true},"native_config":{"__proto__":{"polluted":true}}}'),
    ];
    const report = planCampaignMigration(rows, [{ id: 'i', provider: 'shopify' }], { singleOwner: true });
    expect(report.items.map((item) => [item.campaignId, item.outcome, item.invalid?.field ?? null])).toEqual([
      ['d', 'invalid', 'integration_settings'],
      ['h', 'migrated', null],
      ['p', 'native', null],
      ['v', 'already_migrated', null],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(report.items[0]?.before).toBeNull();
    const circular: Record<string, unknown> = { id: 'loop', data_source: 'shopify' };
    circular.self = circular;
    expect(migrateCampaign(circular, [])).toMatchObject({ outcome: 'invalid', field: 'self' });
    expect(JSON.stringify(planCampaignMigration([circular], [])).length).toBeGreaterThan(0);
    expect(MigrationReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
  });
});
