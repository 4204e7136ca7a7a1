import { createMysqlStore } from '@app/adapter-mysql';
import { createPostgresStore } from '@app/adapter-postgres';
import { MigrationReportSchema } from '@app/campaign-migrator';
import { EventMigrationReportSchema } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';
import { insertSeed as insertPostgresSeed } from '../../adapter-postgres/test/harness.js';
import { createSqliteStore } from '@app/adapter-sqlite';
import type { FlagStore, MigrationStore } from '@app/migrate';
import { describe, expect, inject, it } from 'vitest';
import type {} from '../../adapter-mysql/test/ensure-mariadb.js';
import { createAdminPool, freshDatabase, insertSeed as insertMysqlSeed } from '../../adapter-mysql/test/harness.js';
import { insertSeed as insertSqliteSeed, temporaryDatabase } from '../../adapter-sqlite/test/harness.js';
import { ADMIN_TOKEN, VIEWER_TOKEN, XSS, createTestHandler, hostileSeed, sessionRequest, signIn } from './admin-test-kit.js';

// The same handler over the other adapters: the whole checklist through Request objects, from
// a database without the migration schema (created with the page's button) to verify, with every
// report downloaded.
async function runChecklist(store: MigrationStore & FlagStore, seed: () => Promise<void> | void): Promise<void> {
  // A stopped clock: every time box lasts forever, so each slice and dry run goes to the end on any machine.
  const stopped = new Date('2026-01-01T00:00:00.000Z');
  const handler = createTestHandler(store, { sliceMs: 100, batchSize: 7, now: () => stopped });
  const admin = await signIn(handler, ADMIN_TOKEN);
  const viewer = await signIn(handler, VIEWER_TOKEN);

  const bare = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
  expect(bare).toContain('Schema not ready');
  expect(bare).not.toContain('Create the migration schema');
  expect((await handler(sessionRequest(viewer, 'POST', '/migration/init'))).status).toBe(403);
  const created = await (await handler(sessionRequest(admin, 'POST', '/migration/init'))).text();
  expect(created).toContain('The migration schema is ready.');
  expect(created).not.toContain('Schema not ready');
  await seed();

  const campaignJson = MigrationReportSchema.parse(await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.json'))).json());
  expect(campaignJson.summary).toMatchObject({ total: 6, outcomes: { ambiguous: 3 } });
  expect(await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.md'))).text()).toContain('campaign-2');
  expect((await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.csv'))).text()).split('\n').length).toBeGreaterThan(6);
  const eventsDryRun = await (await handler(sessionRequest(admin, 'POST', '/migration/events/dry-run'))).text();
  expect(eventsDryRun).toContain('Would be written');
  const dryReport = EventMigrationReportSchema.parse(await (await handler(sessionRequest(viewer, 'GET', '/migration/events/dry-run-report.json'))).json());
  expect(dryReport).toMatchObject({ mode: 'dry-run', status: 'completed', counts: { selected: 121, processed: 121, wouldWrite: 117, failed: 4, written: 0 } });

  const plan = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/dry-run'))).text();
  expect(plan).toContain('Sale &lt;script&gt;');
  expect(plan).not.toContain(XSS);
  expect(plan.match(/<select name="resolution:/g)).toHaveLength(3);

  expect((await handler(sessionRequest(viewer, 'POST', '/migration/campaigns/apply', { 'resolution:campaign-2': 'skip' }))).status).toBe(403);
  const applied = await handler(
    sessionRequest(admin, 'POST', '/migration/campaigns/apply', {
      'resolution:campaign-2': 'skip',
      'resolution:campaign-3': 'skip',
      [`resolution:campaign-9${XSS}`]: 'skip',
    }),
  );
  expect(applied.status).toBe(200);
  expect(await applied.text()).toContain('3 skipped, 0 still ambiguous');
  expect(await store.campaignStatus()).toMatchObject({ total: 6, migrated: 3 });

  let state = '';
  for (let slice = 0; slice < 200 && state !== 'completed'; slice++) {
    const response = await handler(sessionRequest(admin, 'POST', '/migration/events/slice', slice === 0 ? { start: '1' } : {}, { accept: 'application/json' }));
    ({ state } = (await response.json()) as { state: string });
  }
  expect(state).toBe('completed');
  expect(await store.eventStatus()).toEqual({ total: 121, migrated: 117, remaining: 4 });
  const applyReport = EventMigrationReportSchema.parse(await (await handler(sessionRequest(viewer, 'GET', '/migration/events/report.json'))).json());
  expect(applyReport).toMatchObject({ mode: 'apply', status: 'completed', counts: { processed: 121, written: 117, failed: 4 } });

  const verified = await (await handler(sessionRequest(admin, 'POST', '/migration/verify'))).text();
  expect(verified).toContain('<strong>OK</strong>');
  const page = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
  expect(page).toContain('evt-9999&lt;script&gt;');
  expect(page).not.toContain(XSS);
}

describe('the dashboard over PGlite', () => {
  it('runs the whole checklist', async () => {
    const db = await PGlite.create();
    try {
      const store = createPostgresStore({ client: db, createLegacyTables: true });
      await runChecklist(store, () => insertPostgresSeed(db, hostileSeed()));
    } finally {
      await db.close();
    }
  });
});

describe('the dashboard over SQLite', () => {
  it('runs the whole checklist', async () => {
    const db = temporaryDatabase();
    try {
      const store = createSqliteStore({ database: db.database, createLegacyTables: true });
      await runChecklist(store, () => insertSqliteSeed(db.database, hostileSeed()));
    } finally {
      db.remove();
    }
  });
});

describe.runIf(inject('mysqlAvailable'))('the dashboard over MariaDB', () => {
  it('runs the whole checklist', async () => {
    const admin = createAdminPool();
    const db = await freshDatabase(admin, 'admin_ui');
    try {
      const store = createMysqlStore({ client: db.pool, createLegacyTables: true });
      await runChecklist(store, () => insertMysqlSeed(db.pool, hostileSeed()));
    } finally {
      await db.drop();
      await admin.end();
    }
  });
});
