import { runEventMigration } from '@app/migrate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore, quoteMysqlIdentifier as q } from '../src/index.js';
import { createAdminPool, freshDatabase } from './harness.js';

// The PostgreSQL adapter's dollar-quote defect, looked for here: names an operator may legally
// configure that end a quoted identifier or literal written carelessly (backticks, quotes,
// backslashes, which MySQL reads as escapes in literals) must work through every statement.
const tables = {
  events: 'ev$migrate$`; DROP TABLE x; --',
  campaigns: `camp"aign's $$`,
  integrations: 'int\\egr$1ations',
  runs: 'runs $migrate$ \\',
  featureFlags: `flags'\\' OR 1=1 -- é`,
  flagChanges: `history\`'\\ -- é`,
  flagMetrics: `metrics\`'\\ -- é`,
};

describe.runIf(inject('mysqlAvailable'))('table names holding quotes, backticks, backslashes and SQL on MariaDB', () => {
  const admin = createAdminPool();
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase(admin, 'hostile');
  });
  afterAll(async () => {
    await database?.drop();
    await admin.end();
  });

  it('work in init, runs and flags', async () => {
    const store = createMysqlStore({ client: database.pool, tables, createLegacyTables: true });
    await store.ensureSchema();
    await store.ensureSchema();
    expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    await database.pool.query(`INSERT INTO ${q(tables.events)} (id, integration_type, event_type, event_data) VALUES (?, ?, ?, ?)`, [
      'evt-1',
      'stripe',
      'checkout.session.completed',
      JSON.stringify({ id: 'cs_1', customer_details: { name: 'Ann Lee' } }),
    ]);
    const report = await runEventMigration({ store, apply: true });
    expect(report.counts).toMatchObject({ processed: 1, written: 1, failed: 0 });
    expect((await store.readCheckpoint('events'))?.status).toBe('completed');
    expect((await store.listFlags()).length).toBe(4);
    expect(await store.updateFlag('testimonial_system', { enabled: true }, { actor: 'hostile-names' })).toMatchObject({ ok: true, flag: { enabled: true }, changes: [{ field: 'enabled' }] });
    await store.writeFlagMetrics([{ windowStart: '2026-03-02T09:00:00.000Z', flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 2 }]);
    await store.writeFlagMetrics([{ windowStart: '2026-03-02T09:00:00.000Z', flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 3 }]);
    expect(await store.readFlagMetrics({ flagName: 'testimonial_system', since: '2026-03-02T09:00:00.000Z' })).toEqual([{ flagName: 'testimonial_system', metric: 'error', variant: 'on', reason: '', count: 5 }]);
    expect(await store.readFlagHistory()).toMatchObject([{ flagName: 'testimonial_system', field: 'enabled' }]);
  });
});
