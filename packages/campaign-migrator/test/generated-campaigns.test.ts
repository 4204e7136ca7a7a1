import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatReportCsv,
  MigrationReportSchema,
  planCampaignMigration,
  verifyCampaignMigration,
  type MigrationReport,
} from '../src/index.js';
import { applyReport, deepFreeze, parseCsv, seededRandom } from './helpers.js';

// Real provider names and event types: the folders and files of the webhook fixtures vendored in
// the repository (examples/payloads), so the test runs in a fresh clone.
const payloads = new URL('../../../examples/payloads/', import.meta.url);
const PROVIDERS = readdirSync(payloads, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const EVENTS = new Map(PROVIDERS.map((name) => [name, readdirSync(new URL(`${name}/`, payloads)).map((file) => file.replace(/\.json$/, ''))]));

const OWNERS = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6'];
const CATEGORIES = ['single', 'double', 'no_match', 'unknown', 'no_source', 'native', 'orphan', 'explicit', 'already', 'invalid', 'conflict'] as const;
type Category = (typeof CATEGORIES)[number];
const UNKNOWN_NAMES = ['myspace', 'friendster', 'shopifyy', 'stripe2', 'Google Sheets'];

interface World {
  campaigns: Record<string, unknown>[];
  integrations: Record<string, unknown>[];
  /** Campaign id → its category and, where one is implied, the integration it must end up on. */
  expected: Map<string, { category: Category; integrationId?: string; alternativeId?: string }>;
}

/** Builds owners, integrations and campaigns from a seed; every expectation is known by construction. */
function buildWorld(seed: number, campaignCount: number): World {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Spellings that fold to the same alias key: case, spaces, dashes, padding.
  const spell = (name: string): string => pick([name, name.toUpperCase(), name.replace(/_/g, ' '), ` ${name} `, name.replace(/_/g, '-')]);
  const shuffled = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };

  const integrations: Record<string, unknown>[] = [];
  const plan = new Map<string, { single: Map<string, string>; double: [string, [string, string]]; dead: Map<string, string>; none: string[] }>();
  for (const owner of OWNERS) {
    const order = shuffled(PROVIDERS);
    let n = 0;
    const add = (provider: string, extra: Record<string, unknown>): string => {
      const id = `int-${owner}-${(n += 1)}`;
      const key = random() < 0.5 ? 'provider' : 'integration_type';
      integrations.push({ id, user_id: owner, [key]: spell(provider), name: `${provider} of ${owner}`, ...extra });
      return id;
    };
    const single = new Map(order.slice(0, 4).map((provider) => [provider, add(provider, { status: pick(['active', 'Active', 'connected']) })]));
    const doubleProvider = order[4] as string;
    const double: [string, [string, string]] = [doubleProvider, [add(doubleProvider, { status: 'active' }), add(doubleProvider, { is_active: true })]];
    const dead = new Map([
      [order[5] as string, add(order[5] as string, { status: 'active', deleted_at: '2025-02-01T00:00:00Z' })],
      [order[6] as string, add(order[6] as string, { status: pick(['disconnected', 'error', 'paused']) })],
    ]);
    plan.set(owner, { single, double, dead, none: order.slice(7) });
  }

  const campaigns: Record<string, unknown>[] = [];
  const expected: World['expected'] = new Map();
  for (let i = 0; i < campaignCount; i += 1) {
    const id = `campaign-${String(i).padStart(4, '0')}`;
    const owner = pick(OWNERS);
    const mine = plan.get(owner)!;
    const category = pick(CATEGORIES);
    const base = { id, user_id: owner, name: `Campaign ${i}`, created_at: `2024-${String((i % 12) + 1).padStart(2, '0')}-01T00:00:00Z` };
    const [singleProvider, singleId] = pick([...mine.single]);
    const events = { events: [pick(EVENTS.get(singleProvider) ?? [])] };
    switch (category) {
      case 'single':
        campaigns.push({ ...base, data_source: spell(singleProvider), integration_settings: events });
        expected.set(id, { category, integrationId: singleId });
        break;
      case 'double':
        campaigns.push({ ...base, data_source: spell(mine.double[0]) });
        expected.set(id, { category, integrationId: mine.double[1][0], alternativeId: mine.double[1][1] });
        break;
      case 'no_match':
        campaigns.push({ ...base, data_source: spell(pick([...mine.dead.keys(), ...mine.none])), native_config: null });
        expected.set(id, { category });
        break;
      case 'unknown':
        campaigns.push({ ...base, data_source: pick(UNKNOWN_NAMES) });
        expected.set(id, { category });
        break;
      case 'no_source':
        campaigns.push({ ...base, data_source: pick([null, '', undefined]), native_config: pick([null, {}]) });
        expected.set(id, { category });
        break;
      case 'native':
        campaigns.push({ ...base, native_config: { widget: 'reviews', min_rating: 1 + Math.floor(random() * 5) } });
        expected.set(id, { category });
        break;
      case 'orphan': {
        const other = plan.get(pick(OWNERS.filter((o) => o !== owner)))!;
        const [provider, target] = pick([...mine.dead, ...other.single]);
        campaigns.push({ ...base, data_source: spell(provider), integration_settings: { integration_id: target, ...events } });
        expected.set(id, { category });
        break;
      }
      case 'explicit': {
        const target = pick(mine.double[1]);
        campaigns.push({ ...base, data_source: spell(mine.double[0]), integration_settings: { integration_id: target } });
        expected.set(id, { category, integrationId: target });
        break;
      }
      case 'already':
        campaigns.push({ ...base, data_source: spell(singleProvider), data_sources_v2: [{ integration_id: singleId, provider: 'testimonials', filters: {} }] });
        expected.set(id, { category });
        break;
      case 'invalid':
        campaigns.push({ ...base, data_source: pick([404, true, ['shopify']]) });
        expected.set(id, { category });
        break;
      case 'conflict':
        campaigns.push({ ...base, data_source: spell(singleProvider), native_config: { widget: 'reviews' } });
        expected.set(id, { category, integrationId: singleId });
        break;
    }
  }
  return { campaigns, integrations, expected };
}

const OUTCOME_OF: Record<Category, string> = {
  single: 'migrated',
  double: 'ambiguous',
  no_match: 'ambiguous',
  unknown: 'ambiguous',
  no_source: 'ambiguous',
  native: 'native',
  orphan: 'ambiguous',
  explicit: 'migrated',
  already: 'already_migrated',
  invalid: 'invalid',
  conflict: 'ambiguous',
};
const REASON_OF: Partial<Record<Category, string>> = {
  double: 'MULTIPLE_MATCHING_INTEGRATIONS',
  no_match: 'NO_MATCHING_INTEGRATION',
  unknown: 'UNKNOWN_PROVIDER',
  no_source: 'NO_SOURCE',
  orphan: 'ORPHANED_INTEGRATION',
  conflict: 'CONFLICTING_SOURCES',
};

const world = buildWorld(20_251_124, 420);
const campaigns = deepFreeze(world.campaigns);
const integrations = deepFreeze(world.integrations);
const tally = (category: Category): number => [...world.expected.values()].filter((entry) => entry.category === category).length;

describe('a generated set of 420 campaigns across 6 owners and 20 fixture providers', () => {
  const report = planCampaignMigration(campaigns, integrations);

  it('is a realistic mix (every category present)', () => {
    expect(PROVIDERS).toHaveLength(20);
    for (const category of CATEGORIES) expect(tally(category)).toBeGreaterThan(15);
    expect(integrations).toHaveLength(6 * 8);
  });

  it('has the hand-checked category counts', () => {
    // Counted once from the raw rows by a separate classifier (data_source type and spelling,
    // native_config, the referenced integration's owner and liveness, the owner's live
    // integrations of the provider), not from the generator's labels. Pinned so that a change in
    // the generator or the fixtures shows up here, not silently in both sides of the tallies.
    expect(Object.fromEntries(CATEGORIES.map((category) => [category, tally(category)]))).toEqual({
      single: 42,
      double: 40,
      no_match: 32,
      unknown: 42,
      no_source: 40,
      native: 35,
      orphan: 30,
      explicit: 35,
      already: 48,
      invalid: 39,
      conflict: 37,
    });
  });

  it('has the hand-checked summary (literal numbers)', () => {
    expect(report.summary).toEqual({
      total: 420,
      outcomes: { migrated: 77, native: 35, already_migrated: 48, ambiguous: 221, skipped: 0, invalid: 39 },
      reasons: {
        NO_OWNER: 0,
        NO_MATCHING_INTEGRATION: 32,
        NO_SOURCE: 40,
        ORPHANED_INTEGRATION: 30,
        MULTIPLE_MATCHING_INTEGRATIONS: 40,
        UNKNOWN_PROVIDER: 42,
        INTEGRATION_PROVIDER_MISMATCH: 0,
        CONFLICTING_SOURCES: 37,
      },
      writes: 112,
      resolutionsApplied: 0,
      integrationIssues: 0,
      resolutionErrors: 0,
    });
  });

  it('has the summary the categories imply (counted from how the set was built)', () => {
    expect(report.summary).toEqual({
      total: 420,
      outcomes: {
        migrated: tally('single') + tally('explicit'),
        native: tally('native'),
        already_migrated: tally('already'),
        ambiguous: tally('double') + tally('no_match') + tally('unknown') + tally('no_source') + tally('orphan') + tally('conflict'),
        skipped: 0,
        invalid: tally('invalid'),
      },
      reasons: {
        NO_OWNER: 0,
        NO_MATCHING_INTEGRATION: tally('no_match'),
        NO_SOURCE: tally('no_source'),
        ORPHANED_INTEGRATION: tally('orphan'),
        MULTIPLE_MATCHING_INTEGRATIONS: tally('double'),
        UNKNOWN_PROVIDER: tally('unknown'),
        INTEGRATION_PROVIDER_MISMATCH: 0,
        CONFLICTING_SOURCES: tally('conflict'),
      },
      writes: tally('single') + tally('explicit') + tally('native'),
      resolutionsApplied: 0,
      integrationIssues: 0,
      resolutionErrors: 0,
    });
  });

  it('decides every campaign as built: outcome, reason and chosen integration', () => {
    expect(report.items.map((item) => item.campaignId)).toEqual([...world.expected.keys()].sort());
    for (const item of report.items) {
      const expected = world.expected.get(item.campaignId ?? '')!;
      expect([item.campaignId, item.outcome]).toEqual([item.campaignId, OUTCOME_OF[expected.category]]);
      expect(item.reasons).toEqual(REASON_OF[expected.category] === undefined ? [] : [REASON_OF[expected.category]]);
      if (item.outcome === 'migrated') expect(item.patch?.data_sources_v2.map((source) => source.integration_id)).toEqual([expected.integrationId]);
      if (expected.category === 'double') {
        expect(item.candidates.map((c) => (c.type === 'integration' ? c.integration_id : 'native'))).toEqual([expected.integrationId, expected.alternativeId]);
      }
    }
  });

  it('serializes to JSON the report schema accepts, and to one CSV row per campaign', () => {
    expect(MigrationReportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
    expect(parseCsv(formatReportCsv(report))).toHaveLength(421);
  });

  it('runs the whole review workflow: resolutions, apply, verify, and a re-run that writes nothing', () => {
    const decisions: Record<string, unknown> = {};
    for (const [id, entry] of world.expected) {
      if (entry.category === 'double') decisions[id] = { integration_id: entry.alternativeId };
      if (entry.category === 'conflict') decisions[id] = { integration_id: entry.integrationId };
      if (entry.category === 'no_match' || entry.category === 'no_source') decisions[id] = 'native';
      if (entry.category === 'unknown' || entry.category === 'orphan') decisions[id] = 'skip';
    }
    const resolutions = deepFreeze(JSON.parse(JSON.stringify({ schemaVersion: 1, resolutions: decisions })));
    const final: MigrationReport = planCampaignMigration(campaigns, integrations, { resolutions });
    expect(final.resolutionErrors).toEqual([]);
    const migrated = tally('single') + tally('explicit') + tally('double') + tally('conflict');
    const native = tally('native') + tally('no_match') + tally('no_source');
    expect(final.summary.outcomes).toEqual({
      migrated,
      native,
      already_migrated: tally('already'),
      ambiguous: 0,
      skipped: tally('unknown') + tally('orphan'),
      invalid: tally('invalid'),
    });
    expect(final.summary.resolutionsApplied).toBe(Object.keys(decisions).length);
    expect([final.summary.outcomes, final.summary.resolutionsApplied]).toEqual([
      { migrated: 154, native: 107, already_migrated: 48, ambiguous: 0, skipped: 72, invalid: 39 },
      221,
    ]);

    const written = applyReport(campaigns, final);
    expect(verifyCampaignMigration(campaigns, written, { report: final })).toEqual({
      ok: true,
      counts: { campaigns: 420, migrated: migrated + native, alreadyMigrated: tally('already'), accountedFor: tally('unknown') + tally('orphan') + tally('invalid') },
      problems: [],
    });
    expect(verifyCampaignMigration(campaigns, written, { report: final }).counts).toEqual({ campaigns: 420, migrated: 261, alreadyMigrated: 48, accountedFor: 111 });
    const rerun = planCampaignMigration(written, integrations, { resolutions });
    expect(rerun.summary.writes).toBe(0);
    expect(rerun.summary.outcomes.already_migrated).toBe(420 - tally('unknown') - tally('orphan') - tally('invalid'));
    expect(rerun.summary.outcomes.already_migrated).toBe(309);
  });
});
