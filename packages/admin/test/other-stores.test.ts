import { createMysqlStore } from '@app/adapter-mysql';
import { createSqliteStore } from '@app/adapter-sqlite';
import type { FlagStore, MigrationStore } from '@app/migrate';
import { describe, expect, inject, it } from 'vitest';
import type {} from '../../adapter-mysql/test/ensure-mariadb.js';
import { createAdminPool, freshDatabase, insertSeed as insertMysqlSeed } from '../../adapter-mysql/test/harness.js';
import { insertSeed as insertSqliteSeed, temporaryDatabase } from '../../adapter-sqlite/test/harness.js';
import { ADMIN_TOKEN, VIEWER_TOKEN, XSS, createTestHandler, hostileSeed, sessionRequest, signIn } from './admin-test-kit.js';

// The same handler over the other adapters: the whole checklist through Request objects.
async function runChecklist(store: MigrationStore & FlagStore): Promise<void> {
  const handler = createTestHandler(store, { sliceMs: 100, batchSize: 7 });
  const admin = await signIn(handler, ADMIN_TOKEN);
  const viewer = await signIn(handler, VIEWER_TOKEN);

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

  const verified = await (await handler(sessionRequest(admin, 'POST', '/migration/verify'))).text();
  expect(verified).toContain('<strong>OK</strong>');
  const page = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
  expect(page).toContain('evt-9999&lt;script&gt;');
  expect(page).not.toContain(XSS);
}

describe('the dashboard over SQLite', () => {
  it('runs the whole checklist', async () => {
    const db = temporaryDatabase();
    try {
      const store = createSqliteStore({ database: db.database, createLegacyTables: true });
      await store.ensureSchema();
      insertSqliteSeed(db.database, hostileSeed());
      await runChecklist(store);
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
      await store.ensureSchema();
      await insertMysqlSeed(db.pool, hostileSeed());
      await runChecklist(store);
    } finally {
      await db.drop();
      await admin.end();
    }
  });
});
