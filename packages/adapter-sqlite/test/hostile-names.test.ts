import { runEventMigration } from '@app/migrate';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { temporaryDatabase } from './harness.js';

// The PostgreSQL adapter's dollar-quote defect, looked for here: names an operator may legally
// configure that end a quoted identifier or literal written carelessly.
const tables = {
  events: 'ev$migrate$"; DROP TABLE x; --',
  campaigns: `camp\`aign's $$`,
  integrations: 'int\\egr$1ations [x]',
  runs: 'runs $migrate$ \\',
  featureFlags: `flags'\\' OR 1=1 -- é`,
  flagChanges: `history'\\" ]] -- $$`,
  flagMetrics: `metrics'\\" ]] -- $$`,
};

let remove: (() => void) | undefined;
afterEach(() => remove?.());

describe('table names holding quotes, brackets, backslashes and SQL on SQLite', () => {
  it('work in init, runs and flags', async () => {
    const db = temporaryDatabase();
    remove = db.remove;
    const store = createSqliteStore({ database: db.database, tables, createLegacyTables: true });
    await store.ensureSchema();
    await store.ensureSchema();
    expect(await store.inspectSchema()).toEqual({ ready: true, readable: true, absent: [], missing: [], pending: [] });
    db.database
      .prepare(`INSERT INTO "${tables.events.replaceAll('"', '""')}" (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run('evt-1', 'stripe', 'checkout.session.completed', JSON.stringify({ id: 'cs_1', customer_details: { name: 'Ann Lee' } }), '2025-01-01T00:00:00Z');
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
