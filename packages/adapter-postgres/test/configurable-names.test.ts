import { PGlite } from '@electric-sql/pglite';
import { runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, postgresSchemaSql } from '../src/index.js';

// A team whose tables and columns are named differently, including names that need quoting.
const options = {
  schema: 'Legacy App',
  tables: { events: 'webhook "events"', campaigns: 'Campaigns', integrations: 'connected_apps', runs: 'backfill runs', featureFlags: 'toggles', flagChanges: 'toggle history', flagMetrics: 'toggle telemetry' },
  columns: {
    events: { id: 'event_id', integrationType: 'source', eventType: 'kind', eventData: 'body', createdAt: 'received_at', canonicalEvent: 'canonical' },
    campaigns: { id: 'campaign_id', dataSourcesV2: 'sources_v2' },
    integrations: { id: 'app_id' },
  },
} as const;

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describe('configurable table and column names', () => {
  it('creates the tables under the configured names and migrates events and campaigns through them', async () => {
    const store = createPostgresStore({ client: db, createLegacyTables: true, ...options });
    await store.ensureSchema();
    await store.ensureSchema();
    const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'Legacy App' ORDER BY 1`);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['Campaigns', 'backfill runs', 'connected_apps', 'toggle history', 'toggle telemetry', 'toggles', 'webhook "events"']);

    await db.query(`INSERT INTO "Legacy App"."webhook ""events""" (event_id, source, kind, body, received_at)
      SELECT 'e-' || lpad(i::text, 3, '0'), CASE WHEN i % 2 = 0 THEN 'stripe' ELSE 'zapier' END, NULL,
        CASE WHEN i % 2 = 0 THEN jsonb_build_object('id', 'evt_' || i, 'object', 'event', 'type', 'checkout.session.completed', 'created', 1700000000 + i,
          'data', jsonb_build_object('object', jsonb_build_object('object', 'checkout.session', 'amount_total', 2500, 'currency', 'eur')))
        ELSE jsonb_build_object('name', 'Ola', 'product', 'Plan ' || i) END,
        now()
      FROM generate_series(1, 30) AS i`);
    await db.query(`INSERT INTO "Legacy App"."connected_apps" (app_id, user_id, provider, status) VALUES ('int-1', 'owner-a', 'shopify', 'active')`);
    await db.query(`INSERT INTO "Legacy App"."Campaigns" (campaign_id, user_id, name, data_source, integration_settings)
      VALUES ('c-1', 'owner-a', 'Shopify orders', 'shopify', '{"events": ["order.created"]}'), ('c-2', 'owner-a', 'Nothing', NULL, NULL)`);

    const events = await runEventMigration({ store, apply: true, batchSize: 7 });
    expect(events.counts).toMatchObject({ processed: 30, written: 30, failed: 0 });
    const written = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Legacy App"."webhook ""events""" WHERE canonical->'payload' = body AND canonical->>'event_id' = event_id`);
    expect(written.rows[0]!.n).toBe(30);
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', cursor: 'e-030' });
    // ensureSchema creates each migration's row (lease requests lock it); the events run wrote its checkpoint there.
    const runs = await db.query<{ run_key: string; status: string | null }>(`SELECT run_key, status FROM "Legacy App"."backfill runs" ORDER BY run_key`);
    expect(runs.rows).toEqual([
      { run_key: 'campaigns', status: null },
      { run_key: 'events', status: 'completed' },
    ]);

    const campaigns = await runCampaignMigration({ store, apply: true });
    expect(campaigns.written).toBe(1);
    const c1 = await db.query<{ sources_v2: unknown }>(`SELECT sources_v2 FROM "Legacy App"."Campaigns" WHERE campaign_id = 'c-1'`);
    expect(c1.rows[0]!.sources_v2).toEqual([{ integration_id: 'int-1', provider: 'shopify', filters: { events: ['order.created'] } }]);
    const batch = await store.readCampaignBatch(null, 10);
    expect(batch[0]).toMatchObject({ id: 'c-1', name: 'Shopify orders', data_sources_v2: [{ integration_id: 'int-1' }] });
    expect(batch[0]).not.toHaveProperty('campaign_id');
    expect(batch[0]).not.toHaveProperty('sources_v2');
    expect(await store.readIntegrations()).toMatchObject([{ id: 'int-1', provider: 'shopify' }]);

    // c-2 has no source: undecided until a resolution skips it.
    const undecided = await verifyMigration(store);
    expect(undecided).toMatchObject({ ok: false, events: { migrated: 30, remaining: 0 }, campaigns: { migrated: 1, remaining: 1, unexplained: 1 } });
    expect(undecided.campaigns.problems.map((p) => `${p.code} ${p.campaignId}`)).toEqual(['UNDECIDED c-2']);
    const skipped = { schemaVersion: 1, resolutions: { 'c-2': 'skip' } };
    expect(await verifyMigration(store, { resolutions: skipped })).toMatchObject({ ok: true, campaigns: { unexplained: 0 } });
    expect((await store.listFlags()).map((f) => f.name)).toContain('v2_canonical_system');
    expect(await store.updateFlag('v2_canonical_system', { enabled: true }, { actor: 'names-test' })).toMatchObject({ ok: true, changes: [{ field: 'enabled' }] });
    const history = await db.query<{ flag_name: string }>(`SELECT flag_name FROM "Legacy App"."toggle history"`);
    expect(history.rows).toEqual([{ flag_name: 'v2_canonical_system' }]);
  });

  it('the exported SQL is the same schema, and running it on top of ensureSchema changes nothing', async () => {
    const sql = postgresSchemaSql(options);
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "Legacy App"."webhook ""events"""');
    expect(sql).toContain('ADD COLUMN IF NOT EXISTS "canonical" jsonb');
    expect(sql).toContain('ON CONFLICT (name) DO NOTHING');
    const before = await db.query(`SELECT count(*)::int AS n FROM "Legacy App"."toggles"`);
    await db.exec(sql);
    await db.exec(sql);
    const after = await db.query(`SELECT count(*)::int AS n FROM "Legacy App"."toggles"`);
    expect(after.rows).toEqual(before.rows);
    const policies = await db.query<{ polname: string }>(`SELECT polname FROM pg_policy WHERE polrelid = '"Legacy App"."toggles"'::regclass`);
    expect(policies.rows.map((r) => r.polname)).toEqual(['toggles_read_enabled']);
  });

  it('refuses a key type that is not a plain type name', () => {
    expect(() => postgresSchemaSql({ keyTypes: { events: 'text); DROP TABLE events; --' } })).toThrow(/keyTypes/);
  });
});
