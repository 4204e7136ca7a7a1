import { RunLockedError, runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import type mysql from 'mysql2/promise';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { createMysqlStore, mysqlSchemaStatements } from '../src/index.js';
import { insertMysqlPayloadEvents, loadPayloadTemplates } from './fixtures/mysql-payload-events.js';
import { createAdminPool, createLegacyTables, freshDatabase } from './harness.js';

const shopifyOrder = {
  admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
  created_at: '2025-01-15T10:30:00-05:00',
  currency: 'USD',
  total_price: '99.99',
  customer: { first_name: 'Zoë', last_name: 'Smith' },
  line_items: [{ title: 'Trail Shoes', price: '99.99', quantity: 1 }],
};

describe.runIf(inject('mysqlAvailable'))('createMysqlStore on the real server', () => {
  const admin = createAdminPool();
  const databases: { pool: mysql.Pool; drop(): Promise<void> }[] = [];
  const fresh = async () => {
    const db = await freshDatabase(admin, 'store');
    databases.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });
  afterAll(async () => {
    await admin.end();
  });

  it('a campaign whose integration_settings hold a lone surrogate MariaDB cannot parse: it is listed with its id and reason, the rest of its batch is written', async () => {
    for (const batchSize of [1, 7]) {
      const db = await fresh();
      await db.pool.query('CREATE TABLE events (id VARCHAR(64) PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data LONGTEXT, created_at DATETIME(3))');
      await db.pool.query('CREATE TABLE campaigns (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50), native_config LONGTEXT, integration_settings LONGTEXT, name VARCHAR(200))');
      await db.pool.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50), status VARCHAR(20), deleted_at DATETIME(3), settings JSON)');
      await db.pool.query("INSERT INTO integrations VALUES ('int-1', 'owner-1', 'shopify', 'active', NULL, NULL)");
      for (let n = 1; n <= 10; n++) {
        const settings = n === 4 ? '{"events":["order.created"],"note":"Ann\\ud800 Lee"}' : '{"events":["order.created"]}';
        await db.pool.query("INSERT INTO campaigns VALUES (?, 'owner-1', 'shopify', NULL, ?, ?)", [`campaign-${String(n).padStart(2, '0')}`, settings, `Campaign ${n}`]);
      }
      const store = createMysqlStore({ client: db.pool });
      await store.ensureSchema();
      const run = await runCampaignMigration({ store, apply: true, batchSize });
      expect(run.written, `batch size ${batchSize}`).toBe(9);
      expect(run.rejected).toEqual([{ id: 'campaign-04', code: 'WRITE_REJECTED', reason: expect.stringContaining('Campaign campaign-04: the database refused its data_sources_v2') }]);
      const [rows] = await db.pool.query('SELECT id FROM campaigns WHERE data_sources_v2 IS NOT NULL ORDER BY id');
      expect((rows as { id: string }[]).map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => `campaign-${String(i + 1).padStart(2, '0')}`).filter((id) => id !== 'campaign-04'));
      expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 9, failed: 1 } });
    }
  });

  it('a legacy text column holding a lone surrogate MariaDB cannot parse ("Ann\\ud800 Lee"): the row is listed with its id and reason, the rest of its batch is written', async () => {
    for (const batchSize of [1, 50]) {
      const db = await fresh();
      await db.pool.query('CREATE TABLE events (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data LONGTEXT, created_at DATETIME(3))');
      await db.pool.query('CREATE TABLE campaigns (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50), native_config JSON, integration_settings LONGTEXT, name VARCHAR(200))');
      await db.pool.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50), status VARCHAR(20), deleted_at DATETIME(3), settings JSON)');
      for (let n = 1; n <= 12; n++) {
        const customer = n === 4 ? '{"first_name":"Ann\\ud800 Lee"}' : '{"first_name":"Ann"}';
        const data = `{"admin_graphql_api_id":"gid://shopify/Order/${n}","created_at":"2025-01-15T10:30:00-05:00","currency":"USD","total_price":"9.99","customer":${customer},"line_items":[{"title":"Shoes","price":"9.99","quantity":1}]}`;
        await db.pool.query('INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, ?, ?, NOW(3))', [`evt-${String(n).padStart(2, '0')}`, 'shopify', data]);
      }
      const store = createMysqlStore({ client: db.pool });
      await store.ensureSchema();
      const report = await runEventMigration({ store, apply: true, batchSize });
      expect(report.counts, `batch size ${batchSize}`).toMatchObject({ processed: 12, written: 11, failed: 1 });
      expect(report.failures).toEqual([{ id: 'evt-04', code: 'WRITE_REJECTED', reason: expect.stringContaining('Event evt-04: the database refused its canonical event') }]);
      const [rows] = await db.pool.query('SELECT id FROM events WHERE canonical_event IS NOT NULL ORDER BY id');
      expect((rows as { id: string }[]).map((row) => row.id)).not.toContain('evt-04');
      expect(rows).toHaveLength(11);
    }
  });

  it('a legacy LONGTEXT event_data changed to invalid JSON after its migration: verify reports it as a payload that differs and checks the rest; status, resume and later runs go on', async () => {
    const db = await fresh();
    await db.pool.query('CREATE TABLE events (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data LONGTEXT, created_at DATETIME(3))');
    await db.pool.query('CREATE TABLE campaigns (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50), native_config JSON, integration_settings LONGTEXT, name VARCHAR(200))');
    await db.pool.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50), status VARCHAR(20), deleted_at DATETIME(3), settings JSON)');
    for (let n = 1; n <= 12; n++) {
      const data = n === 9 ? '{"id": 1, oops' : `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;
      await db.pool.query('INSERT INTO events (id, integration_type, event_data, created_at) VALUES (?, ?, ?, NOW(3))', [`evt-${String(n).padStart(2, '0')}`, 'shopify', data]);
    }
    const store = createMysqlStore({ client: db.pool });
    await store.ensureSchema();
    const first = await runEventMigration({ store, apply: true, batchSize: 5, limit: 10 });
    expect(first.counts).toMatchObject({ processed: 10, written: 9, failed: 1 });
    expect(first.failures.map((failure) => [failure.id, failure.code])).toEqual([['evt-09', 'INVALID_EVENT_DATA']]);
    await db.pool.query(`UPDATE events SET event_data = '{"id": 8209829119461548, broken' WHERE id IN ('evt-03', 'evt-07')`);
    expect(await store.eventStatus()).toEqual({ total: 12, migrated: 9, remaining: 3 });
    expect((await runEventMigration({ store, apply: true, resume: true, batchSize: 5 })).counts).toMatchObject({ processed: 12, written: 11, failed: 1 });
    const verification = await verifyMigration(store);
    expect(verification.mismatches).toEqual([
      { id: 'evt-03', problem: 'payload_differs' },
      { id: 'evt-07', problem: 'payload_differs' },
    ]);
    expect(verification).toMatchObject({ sampled: 11, events: { total: 12, migrated: 11, remaining: 1, failed: 1 } });
    expect(await store.eventStatus({ fromCheckpoint: true })).toEqual({ total: 12, migrated: 11, remaining: 1, basis: 'checkpoint' });
    await db.pool.query("UPDATE events SET canonical_event = NULL WHERE id = 'evt-03'");
    const again = await runEventMigration({ store, apply: true });
    expect(again.failures.map((failure) => [failure.id, failure.code])).toEqual([
      ['evt-03', 'INVALID_EVENT_DATA'],
      ['evt-09', 'INVALID_EVENT_DATA'],
    ]);
  });

  it('tells MariaDB from MySQL, as its kind from the first statement on', async () => {
    const db = await fresh();
    const [rows] = await db.pool.query('SELECT VERSION() AS v');
    const expected = /mariadb/i.test(String((rows as { v: string }[])[0]?.v)) ? 'mariadb' : 'mysql';
    expect(await createMysqlStore({ client: db.pool, createLegacyTables: true }).serverFlavor()).toBe(expected);
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    expect(store.kind).toBe(expected);
  });

  it('reads JSON back as stored: payloads copied byte for byte, numbers beyond 2^53 and non-ASCII text intact', async () => {
    const db = await fresh();
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    // Written as text, so the exact digits and escapes are what the server holds.
    const eventData = `{"admin_graphql_api_id": "gid://shopify/Order/1", "created_at": "2025-01-15T10:30:00-05:00", "currency": "EUR", "total_price": "12.50",
  "customer": {"first_name": "Zoë 🎉", "last_name": "O'Brien \\\\ \\"Q\\""}, "line_items": [{"title": "Tee", "price": "12.50", "quantity": 1}],
  "checkout_id": 12345678901234567890, "weight": 1.10}`;
    await db.pool.query("INSERT INTO events (id, integration_type, event_type, event_data) VALUES ('e1', 'shopify', 'orders/create', ?)", [eventData]);
    const [read] = await store.readEventBatch({}, null, 10);
    expect(read?.event_data).toMatchObject({ customer: { first_name: 'Zoë 🎉', last_name: `O'Brien \\ "Q"` } });
    expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ written: 1 });
    const [rows] = await db.pool.query(
      "SELECT JSON_EXTRACT(canonical_event, '$.payload') = JSON_EXTRACT(event_data, '$') AS same, CAST(JSON_EXTRACT(canonical_event, '$.payload.checkout_id') AS CHAR) AS big FROM events",
    );
    expect((rows as Record<string, unknown>[])[0]).toMatchObject({ same: 1, big: '12345678901234567890' });
    const [sample] = await store.sampleMigratedEvents(1);
    expect(sample?.canonical_event).toMatchObject({ event_id: 'e1', payload: { customer: { first_name: 'Zoë 🎉' } } });
    expect(sample?.event_data).toEqual((sample?.canonical_event as { payload: unknown }).payload);
  });

  it('sends a batch\'s rows as a prepared statement\'s bytes, in a buffer reused from batch to batch (no escaped copy of the text, no string of the batch) and runs nothing through the pool\'s own query(); written and verified as through query', async () => {
    const db = await fresh();
    const prepared: string[] = [];
    const rowBytes: Uint8Array[] = [];
    const onPool: string[] = [];
    // The pool and its connections as they are, recording the statements sent with execute and any run on the pool itself.
    const counting = <T extends object>(target: T, pool: boolean): T =>
      new Proxy(target, {
        get(object, key) {
          const value = Reflect.get(object, key, object) as unknown;
          if (pool && (key === 'query' || key === 'execute')) onPool.push(String(key));
          if (key === 'execute')
            return (options: { sql: string; values: unknown[] }) => (
              prepared.push(options.sql), rowBytes.push(...options.values.filter((v) => v instanceof Uint8Array)), (value as (o: unknown) => unknown).call(object, options)
            );
          if (key === 'getConnection') return async () => counting(await db.pool.getConnection(), false);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
        },
      });
    const store = createMysqlStore({ client: counting(db.pool, true), createLegacyTables: true });
    await store.ensureSchema();
    await insertMysqlPayloadEvents(db.pool, 300, loadPayloadTemplates());
    const report = await runEventMigration({ store, apply: true, batchSize: 100 });
    expect(report.counts).toMatchObject({ processed: 300, written: 300, failed: 0 });
    // One prepared batch statement per batch, each joining its rows from one JSON parameter, sent as bytes.
    expect(prepared).toHaveLength(3);
    for (const sql of prepared) expect(sql).toMatch(/^UPDATE .* JOIN JSON_TABLE\(CONVERT\(\? USING utf8mb4\)/s);
    // The bytes of every batch in the same memory, reused: no batch's rows allocated anew (nor as one string).
    expect(rowBytes).toHaveLength(3);
    expect(new Set(rowBytes.map((bytes) => bytes.buffer)).size).toBe(1);
    expect(JSON.parse(new TextDecoder().decode(rowBytes[2]))).toHaveLength(100);
    const verification = await verifyMigration(store, { sampleSize: 300 });
    expect(verification.events).toMatchObject({ total: 300, migrated: 300 });
    expect(verification).toMatchObject({ sampled: 300, mismatches: [] });
    // Every statement ran on a connection taken from the pool: V8 promoted most of each batch read through mysql2's pool.query() to its old generation.
    expect(onPool).toEqual([]);
  });

  it('verifies payloads in SQL, so damage that survives parsing is reported: a rounded big integer, changed case', async () => {
    const db = await fresh();
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    const exact = '{"id": 820982911946154508123, "currency": "USD", "total": "9.99"}';
    await db.pool.query("INSERT INTO events (id, integration_type, event_data) VALUES ('evt-1', 'shopify', ?), ('evt-2', 'shopify', ?), ('evt-3', 'shopify', ?)", [exact, exact, exact]);
    // evt-1 as the runner writes it (payload copied by SQL); evt-2 and evt-3 as writers going through JSON.parse, or a careless edit, would.
    await db.pool.query(`UPDATE events SET canonical_event = JSON_SET('{"event_id": "evt-1"}', '$.payload', JSON_EXTRACT(event_data, '$')) WHERE id = 'evt-1'`);
    await db.pool.query("UPDATE events SET canonical_event = ? WHERE id = 'evt-2'", [JSON.stringify({ event_id: 'evt-2', payload: JSON.parse(exact) })]);
    await db.pool.query("UPDATE events SET canonical_event = ? WHERE id = 'evt-3'", ['{"event_id": "evt-3", "payload": {"id": 820982911946154508123, "currency": "usd", "total": "9.99"}}']);
    const verification = await verifyMigration(store, { sampleSize: 10 });
    expect(verification.mismatches).toEqual([
      { id: 'evt-2', problem: 'payload_differs' },
      { id: 'evt-3', problem: 'payload_differs' },
    ]);
  });

  it('gives up on a DDL statement after ddlLockTimeoutSeconds instead of queueing behind a long transaction, and runs no DDL on a complete schema', async () => {
    const db = await fresh();
    await createLegacyTables(db.pool);
    const reader = await db.pool.getConnection();
    try {
      // A long transaction that has read the events table holds its metadata lock until it ends.
      await reader.query('START TRANSACTION');
      await reader.query('SELECT COUNT(*) FROM events');
      const store = createMysqlStore({ client: db.pool, createLegacyTables: true, ddlLockTimeoutSeconds: 1 });
      const started = Date.now();
      const error = await store.ensureSchema().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toMatchObject({ code: 'STORE_ERROR', sqlState: 'ER_LOCK_WAIT_TIMEOUT' });
      expect((error as Error).message).toContain('metadata lock on events');
      expect(await store.inspectSchema()).toMatchObject({ ready: false, missing: expect.arrayContaining(['column events.canonical_event']) });
      await reader.query('COMMIT');
      await store.ensureSchema();
      expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
      // The connection's own lock_wait_timeout is back to the server's.
      const [[setting]] = (await db.pool.query('SELECT @@SESSION.lock_wait_timeout = @@GLOBAL.lock_wait_timeout AS restored')) as unknown as [{ restored: number }[]];
      expect(setting?.restored).toBe(1);
      // On a complete schema nothing waits for the table: ensureSchema finishes while a transaction still holds it.
      await reader.query('START TRANSACTION');
      await reader.query('SELECT COUNT(*) FROM events');
      await store.ensureSchema();
      await reader.query('COMMIT');
    } finally {
      reader.release();
    }
  });

  it('counts the events over a secondary index on the key, not the clustered index with every row\'s JSON: ensureSchema adds it once to a legacy table', async () => {
    const db = await fresh();
    await createLegacyTables(db.pool);
    const plan = async () => {
      const [rows] = (await db.pool.query('EXPLAIN SELECT COUNT(*) FROM events')) as unknown as [{ key: string | null }[]];
      return rows[0]?.key;
    };
    expect(await plan()).toBe('PRIMARY');
    const store = createMysqlStore({ client: db.pool });
    await store.ensureSchema();
    await store.ensureSchema();
    expect(await plan()).toBe('events_key_count');
    const [indexes] = (await db.pool.query("SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'")) as unknown as [{ name: string }[]];
    expect(indexes.map((index) => index.name).sort()).toEqual(['PRIMARY', 'events_key_count']);
    // A table the adapter creates has it from the start.
    const created = await fresh();
    await createMysqlStore({ client: created.pool, createLegacyTables: true }).ensureSchema();
    const [[createdPlan]] = (await created.pool.query('EXPLAIN SELECT COUNT(*) FROM events')) as unknown as [{ key: string }[]];
    expect(createdPlan?.key).toBe('events_key_count');
  });

  it('counts matched rows, not changed ones, even on a pool without CLIENT_FOUND_ROWS', async () => {
    const db = await freshDatabase(admin, 'store', { flags: ['-FOUND_ROWS'] });
    databases.push(db);
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    // Setting the values a flag already has changes no row: it still exists and comes back.
    expect(await store.updateFlag('testimonial_system', { enabled: false, rollout_percentage: 0 }, { actor: 'test' })).toMatchObject({ ok: true, flag: { name: 'testimonial_system', enabled: false }, changes: [] });
    expect(await store.updateFlag('testimonial_system', { enabled: true }, { actor: 'test' })).toMatchObject({ ok: true, flag: { enabled: true }, changes: [{ field: 'enabled' }] });
    expect(await store.updateFlag('no_such_flag', { enabled: true }, { actor: 'test' })).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('pages BIGINT keys in numeric order and hands them out exactly, beyond 2^53 too', async () => {
    const db = await fresh();
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true, keyTypes: { events: 'bigint' } });
    await store.ensureSchema();
    for (const id of ['10', '2', '9007199254740993', '100']) {
      await db.pool.query("INSERT INTO events (id, integration_type, event_data) VALUES (?, 'shopify', ?)", [id, JSON.stringify(shopifyOrder)]);
    }
    expect((await store.readEventBatch({}, null, 10)).map((e) => e.id)).toEqual(['2', '10', '100', '9007199254740993']);
    expect((await store.readEventBatch({}, '10', 10)).map((e) => e.id)).toEqual(['100', '9007199254740993']);
    const report = await runEventMigration({ store, apply: true });
    expect(report.counts).toMatchObject({ written: 4 });
    const [rows] = await db.pool.query("SELECT JSON_UNQUOTE(JSON_EXTRACT(canonical_event, '$.event_id')) AS event_id FROM events WHERE id = 9007199254740993");
    expect((rows as { event_id: string }[])[0]?.event_id).toBe('9007199254740993');
  });

  it('decodes JSON by column: declared JSON and the product JSON columns, never a text column that happens to hold JSON', async () => {
    const db = await fresh();
    await db.pool.query(
      'CREATE TABLE campaigns (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50), native_config JSON, integration_settings LONGTEXT, extra JSON, note LONGTEXT, name VARCHAR(100))',
    );
    const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await store.ensureSchema();
    await db.pool.query(
      `INSERT INTO campaigns (id, user_id, data_source, native_config, integration_settings, extra, note, name) VALUES ('c1', 'u1', 'shopify', '{"a": 1}', '{"events": ["order.created"]}', '"text in JSON"', '{"looks": "like JSON"}', 'C')`,
    );
    const [campaign] = await store.readCampaignBatch(null, 10);
    expect(campaign).toMatchObject({
      id: 'c1',
      native_config: { a: 1 },
      integration_settings: { events: ['order.created'] },
      extra: 'text in JSON',
      note: '{"looks": "like JSON"}',
      data_sources_v2: null,
    });
  });

  it("text that is not JSON in a team's own canonical_event and data_sources_v2 columns (LONGTEXT, no CHECK): not migrated, skipped by nothing, verify reports the event as not_an_event and the next run writes it", async () => {
    const db = await fresh();
    await db.pool.query(
      'CREATE TABLE events (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data LONGTEXT, created_at DATETIME(3), canonical_event LONGTEXT)',
    );
    await db.pool.query(
      'CREATE TABLE campaigns (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50), native_config LONGTEXT, integration_settings LONGTEXT, name VARCHAR(200), data_sources_v2 LONGTEXT)',
    );
    await db.pool.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50), status VARCHAR(20), deleted_at DATETIME(3), settings LONGTEXT)');
    for (let n = 1; n <= 12; n++) {
      await db.pool.query("INSERT INTO events VALUES (?, 'shopify', NULL, ?, '2025-01-15 10:30:00', ?)", [
        `evt-${String(n).padStart(2, '0')}`,
        shopifyOrderText(n),
        n === 3 ? '{"event_id": "evt-03", broken' : n === 7 ? 'not JSON at all' : null,
      ]);
    }
    await db.pool.query("INSERT INTO integrations VALUES ('int-1', 'owner-1', 'shopify', 'active', NULL, NULL)");
    await db.pool.query(`INSERT INTO campaigns VALUES ('campaign-1', 'owner-1', 'shopify', NULL, '{"events":["order.created"]}', 'One', '[{"broken"'), ('campaign-2', 'owner-1', 'shopify', NULL, '{"events":["order.created"]}', 'Two', NULL)`);
    const store = createMysqlStore({ client: db.pool });
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
    await db.pool.query(`UPDATE events SET canonical_event = '{"event_id": "evt-05", "payload": ' WHERE id = 'evt-05'`);
    expect(await store.eventStatus()).toEqual({ total: 12, migrated: 11, remaining: 1 });
    expect((await verifyMigration(store, { sampleSize: 50 })).mismatches).toEqual([{ id: 'evt-05', problem: 'not_an_event' }]);
    expect((await runEventMigration({ store, apply: true, renormalize: true })).counts).toMatchObject({ processed: 1, written: 1 });
    await db.pool.query(`UPDATE events SET canonical_event = 'garbage' WHERE id = 'evt-09'`);
    expect((await runEventMigration({ store, apply: true })).counts).toMatchObject({ processed: 1, written: 1 });
    expect(await verifyMigration(store, { sampleSize: 50 })).toMatchObject({ mismatches: [], events: { migrated: 12, remaining: 0 } });
    // A data_sources_v2 that is not JSON is no migration, and not overwritten either: the campaign is listed for a person.
    const campaigns = await runCampaignMigration({ store, apply: true });
    expect(campaigns.written).toBe(1);
    expect(campaigns.report.items.find((item) => item.campaignId === 'campaign-1')).toMatchObject({ outcome: 'invalid', invalid: { field: 'data_sources_v2' }, patch: null });
    expect(await store.campaignStatus()).toEqual({ total: 2, migrated: 1, remaining: 1 });
  });

  it('lets one runner migrate a run at a time across pools, and keeps the rollout CHECK', async () => {
    const db = await fresh();
    const first = createMysqlStore({ client: db.pool, createLegacyTables: true });
    await first.ensureSchema();
    const second = createMysqlStore({ client: db.pool, createLegacyTables: true });
    expect(await first.acquireLease('events', 'host-a', 60_000)).toEqual({ acquired: true });
    expect(await second.acquireLease('events', 'host-b', 60_000)).toMatchObject({ acquired: false, holder: 'host-a' });
    await expect(runEventMigration({ store: second, apply: true, holder: 'host-b' })).rejects.toBeInstanceOf(RunLockedError);
    expect(await first.updateFlag('testimonial_system', { rollout_percentage: 150 }, { actor: 'test' })).toMatchObject({ ok: false, reason: 'invalid' });
    await expect(db.pool.query("UPDATE feature_flags SET rollout_percentage = 150 WHERE name = 'testimonial_system'")).rejects.toMatchObject({ errno: 4025 });
    expect((await first.listFlags()).find((flag) => flag.name === 'testimonial_system')).toMatchObject({ enabled: false, rollout_percentage: 0 });
  });

  it('creates its schema once when two processes ask at the same time', async () => {
    const db = await fresh();
    await Promise.all([createMysqlStore({ client: db.pool, createLegacyTables: true }).ensureSchema(), createMysqlStore({ client: db.pool, createLegacyTables: true }).ensureSchema()]);
    const flags = await createMysqlStore({ client: db.pool, createLegacyTables: true }).listFlags();
    expect(flags.map((flag) => flag.name)).toEqual(['multi_integration_campaigns', 'playlist_orchestration', 'testimonial_system', 'v2_canonical_system']);
    expect(mysqlSchemaStatements({ tables: { events: 'legacy`events' } })[0]).toContain('CREATE TABLE IF NOT EXISTS `legacy``events`');
  });
});

/** A Shopify order as JSON text, its id past 2^53. */
function shopifyOrderText(n: number): string {
  return `{"id": ${8209829119461545 + n}, "created_at": "2025-01-15T10:30:00-05:00", "total_price": "9.99", "currency": "USD", "customer": {"first_name": "Ann"}, "line_items": [{"title": "Shoes ${n}", "price": "9.99", "quantity": 1}]}`;
}

describe('createMysqlStore on a pool', () => {
  it("returns a connection to the pool after a failed statement, but drops one whose server turned read-only (a failover), as mysql2's pool.query() does", async () => {
    for (const [errno, expected] of [
      [1064, { released: 1, destroyed: 0 }],
      [1836, { released: 0, destroyed: 1 }],
    ] as const) {
      const calls = { released: 0, destroyed: 0 };
      const connection = {
        query: () => Promise.reject(Object.assign(new Error(`failed with ${errno}`), { errno })),
        beginTransaction: () => Promise.resolve(),
        commit: () => Promise.resolve(),
        rollback: () => Promise.resolve(),
        release: () => void calls.released++,
        destroy: () => void calls.destroyed++,
      };
      const pool = { query: () => Promise.reject(new Error('the store runs no statement on the pool itself')), getConnection: () => Promise.resolve(connection) };
      const store = createMysqlStore({ client: pool });
      await expect(store.readEventBatch({}, null, 10)).rejects.toThrow(`failed with ${errno}`);
      expect(calls).toEqual(expected);
    }
  });
});
