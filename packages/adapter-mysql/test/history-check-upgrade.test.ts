import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { createAdminPool, createLegacyTables, freshDatabase } from './harness.js';

describe.runIf(inject('mysqlAvailable'))('a flag history table of an older schema (real server)', () => {
  const admin = createAdminPool();
  afterAll(async () => {
    await admin.end();
  });

  it("ensureSchema replaces a history CHECK that refuses 'metadata' rows, keeps the rows, and a metadata change (a rollout plan's) is then recorded", async () => {
    const db = await freshDatabase(admin, 'history_check');
    try {
      await createLegacyTables(db.pool);
      // The history table as a dev database created before rollout plans has it.
      await db.pool.query(`CREATE TABLE feature_flag_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  flag_name VARCHAR(191) NOT NULL,
  field VARCHAR(32) NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  actor VARCHAR(255) NOT NULL,
  changed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  reverts_change_id BIGINT NULL,
  KEY feature_flag_changes_flag_name (flag_name, id),
  CONSTRAINT feature_flag_changes_field CHECK (field IN ('flag', 'enabled', 'rollout_percentage', 'description'))
) DEFAULT CHARSET = utf8mb4`);
      await db.pool.query(`INSERT INTO feature_flag_changes (flag_name, field, old_value, new_value, actor) VALUES ('testimonial_system', 'enabled', 'false', 'true', 'alice')`);
      const store = createMysqlStore({ client: db.pool });
      expect((await store.inspectSchema()).pending).toContain("history CHECK feature_flag_changes_field of feature_flag_changes accepting 'metadata'");

      await store.ensureSchema();
      expect((await store.inspectSchema()).pending).toEqual([]);
      const planned = await store.updateFlag('testimonial_system', { metadata: { owner: 'growth' }, enabled: true }, { actor: 'planner' });
      expect(planned).toMatchObject({ ok: true, changes: [{ field: 'metadata', to: { owner: 'growth' } }, { field: 'enabled' }] });
      const history = await store.readFlagHistory({ name: 'testimonial_system' });
      expect(history.map((change) => [change.field, change.actor])).toEqual([['enabled', 'planner'], ['metadata', 'planner'], ['enabled', 'alice']]);
      // The CHECK still refuses what no store writes, under its old name.
      await expect(db.pool.query(`INSERT INTO feature_flag_changes (flag_name, field, old_value, new_value, actor) VALUES ('x', 'bogus', 'null', 'null', 'mallory')`)).rejects.toThrow(/feature_flag_changes_field/);
      await store.ensureSchema();
    } finally {
      await db.drop();
    }
  });
});
