import { describe, expect, it } from 'vitest';
import { planCampaignMigration, verifyCampaignMigration } from '../src/index.js';
import { applyReport, deepFreeze } from './helpers.js';

const integrations = deepFreeze([{ id: 'shop', user_id: 'u1', provider: 'shopify' }]);
const before = deepFreeze([
  { id: 'ok', user_id: 'u1', data_source: 'shopify', integration_settings: { events: ['order.created'], limit: 5 }, updated_at: '2025-01-01' },
  { id: 'open', user_id: 'u1' },
  { id: 'done', user_id: 'u1', data_sources_v2: [{ integration_id: 'shop', provider: 'shopify', filters: {} }] },
]);
const report = planCampaignMigration(before, integrations);
const written = applyReport(before, report);

function codes(result: ReturnType<typeof verifyCampaignMigration>): string[] {
  return result.problems.map((problem) => `${problem.code}:${problem.campaignId ?? ''}:${problem.field ?? ''}`);
}

describe('verifyCampaignMigration', () => {
  it('accepts rows written from the report, with ambiguous campaigns accounted for by it', () => {
    expect(verifyCampaignMigration(before, written, { report })).toEqual({
      ok: true,
      counts: { campaigns: 3, migrated: 1, alreadyMigrated: 1, accountedFor: 1 },
      problems: [],
    });
  });

  it('without the report, a campaign left unmigrated is a problem', () => {
    expect(codes(verifyCampaignMigration(before, written))).toEqual(['NOT_MIGRATED:open:data_sources_v2']);
  });

  it('accepts jsonb key reordering but not a changed value', () => {
    const reordered = written.map((row) => (row.id === 'ok' ? { ...row, integration_settings: { limit: 5, events: ['order.created'] } } : row));
    expect(verifyCampaignMigration(before, reordered, { report }).ok).toBe(true);
    const changed = written.map((row) => (row.id === 'ok' ? { ...row, integration_settings: { limit: 6, events: ['order.created'] } } : row));
    expect(codes(verifyCampaignMigration(before, changed, { report }))).toEqual(['FIELD_CHANGED:ok:integration_settings']);
  });

  it('finds lost, added, removed and extra rows and fields', () => {
    const [ok, open, done] = written as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    const { data_source: _dropped, ...withoutDataSource } = ok;
    const result = verifyCampaignMigration(before, [{ ...withoutDataSource, note: 'x' }, done, { id: 'stranger' }, { name: 'no id' }], { report });
    expect(codes(result)).toEqual([
      'UNIDENTIFIABLE_ROW::id',
      'FIELD_REMOVED:ok:data_source',
      'FIELD_ADDED:ok:note',
      'MISSING_CAMPAIGN:open:',
      'UNEXPECTED_CAMPAIGN:stranger:',
    ]);
    expect(result.ok).toBe(false);
    expect(open.id).toBe('open');
  });

  it('checks what was written against the report and against the schema', () => {
    const other = written.map((row) => (row.id === 'ok' ? { ...row, data_sources_v2: [{ integration_id: 'x', provider: 'shopify', filters: {} }] } : row));
    expect(codes(verifyCampaignMigration(before, other, { report }))).toEqual(['PATCH_MISMATCH:ok:data_sources_v2']);
    const bad = written.map((row) => (row.id === 'ok' ? { ...row, data_sources_v2: [{ provider: 'Shopify' }] } : row));
    expect(codes(verifyCampaignMigration(before, bad))).toEqual(['INVALID_DATA_SOURCES_V2:ok:data_sources_v2.0.integration_id', 'NOT_MIGRATED:open:data_sources_v2']);
    const touched = written.map((row) => (row.id === 'done' ? { ...row, data_sources_v2: [] } : row));
    expect(codes(verifyCampaignMigration(before, touched, { report }))).toEqual(['DATA_SOURCES_V2_CHANGED:done:data_sources_v2']);
  });

  it('ignores columns the database changes on update when told to', () => {
    const bumped = written.map((row) => (row.id === 'ok' ? { ...row, updated_at: '2025-06-01' } : row));
    expect(codes(verifyCampaignMigration(before, bumped, { report }))).toEqual(['FIELD_CHANGED:ok:updated_at']);
    expect(verifyCampaignMigration(before, bumped, { report, ignoreFields: ['updated_at'] }).ok).toBe(true);
  });
});

describe('verifyCampaignMigration never throws', () => {
  const throwing = (): never => {
    throw new TypeError('boom');
  };
  const proxyRow = new Proxy({ id: 'ok', user_id: 'u1' }, { get: throwing });
  const getterRow = (): Record<string, unknown> => {
    const row: Record<string, unknown> = { ...(written[0] as Record<string, unknown>) };
    Object.defineProperty(row, 'integration_settings', { enumerable: true, get: throwing });
    return row;
  };

  it('turns a Proxy row that throws into an UNREADABLE_ROW problem, on either side', () => {
    const inAfter = verifyCampaignMigration(before, [proxyRow, written[1], written[2]], { report });
    expect(codes(inAfter)).toEqual(['UNREADABLE_ROW::(row)', 'MISSING_CAMPAIGN:ok:']);
    expect(inAfter.problems[0]?.message).toBe('Row 0 of after could not be read (TypeError)');
    const inBefore = verifyCampaignMigration([proxyRow, before[1], before[2]], written, { report });
    expect(codes(inBefore)).toEqual(['UNREADABLE_ROW::(row)', 'UNEXPECTED_CAMPAIGN:ok:']);
  });

  it('turns a getter that throws into an UNREADABLE_ROW problem naming the campaign', () => {
    const result = verifyCampaignMigration(before, [getterRow(), written[1], written[2]], { report });
    expect(codes(result)).toEqual(['UNREADABLE_ROW:ok:(row)']);
    expect(result.ok).toBe(false);
    // The other campaigns are still checked.
    expect(result.counts).toMatchObject({ campaigns: 3, alreadyMigrated: 1, accountedFor: 1 });
  });

  it.each([
    ['items is not an array', { ...report, items: 5 }, 'report.items'],
    ['not an object', 'report.json', 'report'],
    ['a report of another schema version', { ...report, schemaVersion: 1 }, 'report.schemaVersion'],
    ['an item of the wrong shape', { ...report, items: [{ campaignId: 'ok' }] }, 'report.items.0.index'],
  ])('validates the report first: %s is INVALID_REPORT and nothing else is checked', (_case, bad, field) => {
    const result = verifyCampaignMigration(before, written, { report: bad as never });
    expect(result.ok).toBe(false);
    expect(result.counts).toEqual({ campaigns: 0, migrated: 0, alreadyMigrated: 0, accountedFor: 0 });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'INVALID_REPORT', field });
    expect(result.problems[0]?.message).toContain('MigrationReportSchema');
  });

  it('plans around the same rows too: an unreadable row is invalid and left out of the report, which still serializes', () => {
    const plan = planCampaignMigration([proxyRow, getterRow()], integrations);
    expect(plan.items.map((item) => [item.outcome, item.invalid?.field, item.before])).toEqual([
      ['invalid', '(row)', null],
      ['invalid', '(row)', null],
    ]);
    expect(() => JSON.stringify(plan)).not.toThrow();
  });
});
