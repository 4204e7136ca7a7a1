import { RunLockedError, runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore, sqliteSchemaStatements } from '../src/index.js';
import { temporaryDatabase } from './harness.js';

const opened: (() => void)[] = [];
afterEach(() => {
  for (const remove of opened.splice(0)) remove();
});
const fresh = () => {
  const db = temporaryDatabase();
  opened.push(db.remove);
  return db;
};

const shopifyOrder = {
  id: 820982911946154508,
  admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
  created_at: '2025-01-15T10:30:00-05:00',
  currency: 'USD',
  total_price: '99.99',
  customer: { first_name: 'Zoë', last_name: 'Smith' },
  line_items: [{ title: 'Trail Shoes', price: '99.99', quantity: 1 }],
};

describe('createSqliteStore on a file', () => {
  it('switches the file to WAL and leaves an in-memory database alone', async () => {
    const db = fresh();
    await createSqliteStore({ database: db.database, createLegacyTables: true }).ensureSchema();
    expect(db.database.pragma('journal_mode', { simple: true })).toBe('wal');
    const memory = new Database(':memory:');
    await createSqliteStore({ database: memory, createLegacyTables: true }).ensureSchema();
    expect(memory.pragma('journal_mode', { simple: true })).toBe('memory');
    memory.close();
  });

  it('pages INTEGER keys in numeric order and hands them out as exact text, beyond 2^53 too', async () => {
    const db = fresh();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true, keyTypes: { events: 'INTEGER' } });
    await store.ensureSchema();
    const insert = db.database.prepare("INSERT INTO events (id, integration_type, event_data) VALUES (?, 'shopify', ?)");
    for (const id of [10n, 2n, 9_007_199_254_740_993n, 100n]) insert.run(id, JSON.stringify(shopifyOrder));
    const all = await store.readEventBatch({}, null, 10);
    expect(all.map((e) => e.id)).toEqual(['2', '10', '100', '9007199254740993']);
    expect((await store.readEventBatch({}, '10', 10)).map((e) => e.id)).toEqual(['100', '9007199254740993']);
    expect(await store.keyBoundaries('events', 2)).toEqual(['10']);
  });

  it('copies the payload by SQL, so numbers JavaScript cannot hold stay exact', async () => {
    const db = fresh();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    await store.ensureSchema();
    // The order id as the raw JSON number Shopify sends: JSON.parse would round it.
    const raw = JSON.stringify({ ...shopifyOrder, id: 0 }).replace('"id":0', '"id":820982911946154508123');
    db.database.prepare("INSERT INTO events (id, integration_type, event_data, created_at) VALUES ('evt-1', 'shopify', ?, '2025-01-15T10:30:00Z')").run(raw);
    const report = await runEventMigration({ store, apply: true });
    expect(report.counts).toMatchObject({ written: 1, failed: 0 });
    const row = db.database.prepare("SELECT canonical_event, json_extract(canonical_event, '$.payload') = json(event_data) AS same FROM events").get() as {
      canonical_event: string;
      same: number;
    };
    expect(row.same).toBe(1);
    expect(row.canonical_event).toContain('820982911946154508123');
  });

  it('verifies payloads in SQL, so damage that survives parsing is reported: a rounded big integer, reordered keys', async () => {
    const db = fresh();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    await store.ensureSchema();
    const exact = '{"id":820982911946154508123,"currency":"USD","total":"9.99"}';
    const insert = db.database.prepare("INSERT INTO events (id, integration_type, event_data, canonical_event) VALUES (?, 'shopify', ?, ?)");
    // evt-1 as the runner writes it (payload copied by SQL); evt-2 and evt-3 as a writer going through JSON.parse would.
    insert.run('evt-1', exact, null);
    db.database.prepare(`UPDATE events SET canonical_event = json_set('{"event_id":"evt-1"}', '$.payload', json(event_data)) WHERE id = 'evt-1'`).run();
    insert.run('evt-2', exact, JSON.stringify({ event_id: 'evt-2', payload: JSON.parse(exact) }));
    insert.run('evt-3', exact, '{"event_id":"evt-3","payload":{"currency":"USD","id":820982911946154508123,"total":"9.99"}}');
    const verification = await verifyMigration(store, { sampleSize: 10 });
    expect(verification.mismatches).toEqual([
      { id: 'evt-2', problem: 'payload_differs' },
      { id: 'evt-3', problem: 'payload_differs' },
    ]);
    // Compared after parsing, as verify used to, both damaged rows look intact.
    for (const row of await store.sampleMigratedEvents(10)) {
      const payload = (row.canonical_event as { payload: Record<string, unknown> }).payload;
      expect(Object.entries(payload).sort()).toEqual(Object.entries(row.event_data as Record<string, unknown>).sort());
    }
  });

  it('a legacy TEXT event_data changed to invalid JSON after its migration: verify reports it as a payload that differs and checks the rest; status, resume and later runs go on', async () => {
    const { database, remove } = temporaryDatabase();
    try {
      database.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id INTEGER, data_source TEXT, native_config TEXT, integration_settings TEXT, name TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id INTEGER, provider TEXT, status TEXT, deleted_at TEXT, settings TEXT);`);
      const insert = database.prepare("INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, 'shopify', ?, '2025-01-15T10:30:00Z')");
      for (let n = 1; n <= 12; n++) insert.run(`evt-${String(n).padStart(2, '0')}`, n === 9 ? '{"id": 1, oops' : shopifyOrderText(n));
      const store = createSqliteStore({ database });
      await store.ensureSchema();
      const first = await runEventMigration({ store, apply: true, batchSize: 5, limit: 10 });
      expect(first.counts).toMatchObject({ processed: 10, written: 9, failed: 1 });
      expect(first.failures.map((failure) => [failure.id, failure.code])).toEqual([['evt-09', 'INVALID_EVENT_DATA']]);
      database.prepare("UPDATE events SET event_data = '{\"id\": 8209829119461548, broken' WHERE id IN ('evt-03', 'evt-07')").run();
      expect(await store.eventStatus()).toEqual({ total: 12, migrated: 9, remaining: 3 });
      expect((await runEventMigration({ store, apply: true, resume: true, batchSize: 5 })).counts).toMatchObject({ processed: 12, written: 11, failed: 1 });
      const verification = await verifyMigration(store);
      expect(verification.mismatches).toEqual([
        { id: 'evt-03', problem: 'payload_differs' },
        { id: 'evt-07', problem: 'payload_differs' },
      ]);
      expect(verification).toMatchObject({ sampled: 11, events: { total: 12, migrated: 11, remaining: 1, failed: 1 } });
      expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 12, migrated: 11, remaining: 1, basis: 'checkpoint' });
      database.prepare("UPDATE events SET canonical_event = NULL WHERE id = 'evt-03'").run();
      const again = await runEventMigration({ store, apply: true });
      expect(again.failures.map((failure) => [failure.id, failure.code])).toEqual([
        ['evt-03', 'INVALID_EVENT_DATA'],
        ['evt-09', 'INVALID_EVENT_DATA'],
      ]);
    } finally {
      remove();
    }
  });

  it('lets one process migrate a run at a time: a second connection on the file is refused while the first holds the lease', async () => {
    const db = fresh();
    const first = createSqliteStore({ database: db.database, createLegacyTables: true });
    await first.ensureSchema();
    const secondConnection = new Database(db.file);
    opened.unshift(() => secondConnection.close());
    const second = createSqliteStore({ database: secondConnection, createLegacyTables: true });
    expect(await first.acquireLease('events', 'host-a', 60_000)).toEqual({ acquired: true });
    const refused = await second.acquireLease('events', 'host-b', 60_000);
    expect(refused).toMatchObject({ acquired: false, holder: 'host-a' });
    expect(Date.parse((refused as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now());
    await expect(runEventMigration({ store: second, apply: true, holder: 'host-b' })).rejects.toBeInstanceOf(RunLockedError);
    await first.releaseLease('events', 'host-a');
    expect(await second.acquireLease('events', 'host-b', 60_000)).toEqual({ acquired: true });
  });

  it('refuses a rollout outside 0..100 in the database itself', async () => {
    const db = fresh();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    await store.ensureSchema();
    expect(await store.updateFlag('testimonial_system', { rollout_percentage: 150 }, { actor: 'test' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(() => db.database.exec("UPDATE feature_flags SET rollout_percentage = 150 WHERE name = 'testimonial_system'")).toThrow(/CHECK constraint failed|rollout_percentage must be an integer from 0 to 100/);
    expect((await store.listFlags()).find((flag) => flag.name === 'testimonial_system')).toMatchObject({ enabled: false, rollout_percentage: 0 });
  });

  it('keeps rollout_percentage an integer in the file itself, on feature_flags tables created before the triggers too', async () => {
    const db = fresh();
    // The table as earlier versions created it: its CHECK lets 50.5 through.
    db.database.exec(`CREATE TABLE feature_flags (id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(16)))), name TEXT UNIQUE NOT NULL, description TEXT,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)), rollout_percentage INTEGER NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  metadata JSON TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    db.database.exec(`INSERT INTO feature_flags (name, rollout_percentage) VALUES ('legacy_fraction', 50.5)`);
    const store = createSqliteStore({ database: db.database, createLegacyTables: true });
    expect((await store.inspectSchema()).pending).toContain('integer rollout_percentage triggers on feature_flags');
    await store.ensureSchema();
    expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    for (const value of [50.5, '12.5', 101, -1]) {
      expect(() => db.database.prepare(`UPDATE feature_flags SET rollout_percentage = ? WHERE name = 'v2_canonical_system'`).run(value)).toThrow('rollout_percentage must be an integer from 0 to 100');
      expect(() => db.database.prepare(`INSERT INTO feature_flags (name, rollout_percentage) VALUES ('x', ?)`).run(value)).toThrow('rollout_percentage must be an integer from 0 to 100');
    }
    db.database.prepare(`UPDATE feature_flags SET rollout_percentage = ? WHERE name = 'v2_canonical_system'`).run('40');
    expect((await store.listFlags()).find((flag) => flag.name === 'v2_canonical_system')).toMatchObject({ rollout_percentage: 40 });
  });

  it("text that is not JSON in a team's own canonical_event and data_sources_v2 columns (TEXT, no CHECK): not migrated, fails no statement, verify reports the event as not_an_event and the next run writes it", async () => {
    const db = fresh();
    db.database.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT, canonical_event TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, data_source TEXT, native_config TEXT, integration_settings TEXT, name TEXT, data_sources_v2 TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT, status TEXT, deleted_at TEXT, settings TEXT);`);
    const insert = db.database.prepare("INSERT INTO events (id, integration_type, event_data, created_at, canonical_event) VALUES (?, 'shopify', ?, '2025-01-15T10:30:00Z', ?)");
    for (let n = 1; n <= 12; n++) insert.run(`evt-${String(n).padStart(2, '0')}`, shopifyOrderText(n), n === 3 ? '{"event_id": "evt-03", broken' : n === 7 ? 'not JSON at all' : null);
    db.database.exec(`INSERT INTO integrations VALUES ('int-1', 'owner-1', 'shopify', 'active', NULL, NULL);
INSERT INTO campaigns VALUES ('campaign-1', 'owner-1', 'shopify', NULL, '{"events":["order.created"]}', 'One', '[{"broken"'), ('campaign-2', 'owner-1', 'shopify', NULL, '{"events":["order.created"]}', 'Two', NULL);`);
    await checkTextThatIsNotJson(createSqliteStore({ database: db.database }), (sql) => db.database.exec(sql));
  });

  it('uses configured table and column names, quoted', async () => {
    const statements = sqliteSchemaStatements({ tables: { events: 'legacy "events"' }, columns: { events: { eventData: 'body' } } });
    expect(statements[0]).toContain('CREATE TABLE IF NOT EXISTS "legacy ""events"""');
    expect(statements[0]).toContain('"body" JSON TEXT');
    const db = fresh();
    const store = createSqliteStore({ database: db.database, createLegacyTables: true, tables: { events: 'legacy "events"' }, columns: { events: { eventData: 'body' } } });
    await store.ensureSchema();
    db.database.prepare(`INSERT INTO "legacy ""events""" (id, integration_type, body) VALUES ('e1', 'shopify', ?)`).run(JSON.stringify(shopifyOrder));
    expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ written: 1 });
  });
});

/** A Shopify order as JSON text, its id past 2^53. */
function shopifyOrderText(n: number): string {
  return `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;
}

/**
 * Events evt-01…evt-12, evt-03 and evt-07 holding text that is not JSON in canonical_event, and
 * campaign-1 in data_sources_v2 (campaign-2 none): every count, run and verify reads them as not
 * migrated, and a run writes them; so does one that becomes such text after its migration.
 */
async function checkTextThatIsNotJson(store: ReturnType<typeof createSqliteStore>, exec: (sql: string) => unknown): Promise<void> {
  await store.ensureSchema();
  expect(await store.eventStatus()).toEqual({ total: 12, migrated: 0, remaining: 12 });
  expect(await store.campaignStatus()).toEqual({ total: 2, migrated: 0, remaining: 2 });
  const before = await verifyMigration(store, { sampleSize: 50 });
  expect(before.mismatches).toEqual([
    { id: 'evt-03', problem: 'not_an_event' },
    { id: 'evt-07', problem: 'not_an_event' },
  ]);
  expect(before.events).toMatchObject({ migrated: 0, remaining: 12, failed: 0 });
  const run = await runEventMigration({ store, apply: true, batchSize: 5 });
  expect(run.counts).toMatchObject({ processed: 12, written: 12, failed: 0 });
  expect(await store.eventStatus()).toEqual({ total: 12, migrated: 12, remaining: 0 });
  expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([]);
  // Damaged after its migration: a re-normalizing run and a plain one both take it.
  exec(`UPDATE events SET canonical_event = '{"event_id": "evt-05", "payload": ' WHERE id = 'evt-05'`);
  expect(await store.eventStatus()).toEqual({ total: 12, migrated: 11, remaining: 1 });
  expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([{ id: 'evt-05', problem: 'not_an_event' }]);
  expect((await runEventMigration({ store, apply: true, renormalize: true })).counts).toMatchObject({ processed: 1, written: 1 });
  exec(`UPDATE events SET canonical_event = 'garbage' WHERE id = 'evt-09'`);
  expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ processed: 1, written: 1 });
  expect(await verifyMigration(store, { sampleSize: 50 })).toMatchObject({ mismatches: [], events: { migrated: 12, remaining: 0 } });
  // A data_sources_v2 that is not JSON is no migration, and not overwritten either: the campaign is listed for a person.
  const campaigns = await runCampaignMigration({ store, apply: true });
  expect(campaigns.written).toBe(1);
  expect(campaigns.report.items.find((item) => item.campaignId === 'campaign-1')).toMatchObject({ outcome: 'invalid', invalid: { field: 'data_sources_v2' }, patch: null });
  expect(await store.campaignStatus()).toEqual({ total: 2, migrated: 1, remaining: 1 });
}
