import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { createLegacyTables, temporaryDatabase } from './harness.js';

describe('a flag history table of an older schema', () => {
  it("ensureSchema rebuilds a history table whose CHECK refuses 'metadata' rows, keeping its rows and ids, and a metadata change (a rollout plan's) is then recorded", async () => {
    const db = temporaryDatabase();
    try {
      createLegacyTables(db.database);
      // The history table as a dev database created before rollout plans has it.
      db.database.exec(`CREATE TABLE feature_flag_changes (
  id INTEGER PRIMARY KEY,
  flag_name TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('flag', 'enabled', 'rollout_percentage', 'description')),
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  actor TEXT NOT NULL,
  changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  reverts_change_id INTEGER
);
CREATE INDEX feature_flag_changes_flag_name ON feature_flag_changes (flag_name, id);
INSERT INTO feature_flag_changes (id, flag_name, field, old_value, new_value, actor) VALUES (41, 'testimonial_system', 'enabled', 'false', 'true', 'alice');`);
      const store = createSqliteStore({ database: db.database });
      expect((await store.inspectSchema()).pending).toContain("history CHECK of feature_flag_changes accepting 'metadata'");

      await store.ensureSchema();
      expect((await store.inspectSchema()).pending).toEqual([]);
      const planned = await store.updateFlag('testimonial_system', { metadata: { owner: 'growth' }, enabled: true }, { actor: 'planner' });
      expect(planned).toMatchObject({ ok: true, changes: [{ field: 'metadata', to: { owner: 'growth' } }, { field: 'enabled' }] });
      const history = await store.readFlagHistory({ name: 'testimonial_system' });
      expect(history.map((change) => [change.id, change.field, change.actor])).toEqual([
        ['43', 'enabled', 'planner'],
        ['42', 'metadata', 'planner'],
        ['41', 'enabled', 'alice'],
      ]);
      expect(db.database.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'feature_flag_changes' ORDER BY name").all()).toEqual([{ name: 'feature_flag_changes' }, { name: 'feature_flag_changes_flag_name' }]);
      expect(() => db.database.exec("INSERT INTO feature_flag_changes (flag_name, field, old_value, new_value, actor) VALUES ('x', 'bogus', 'null', 'null', 'mallory')")).toThrow(/CHECK constraint failed/);
      await store.ensureSchema();
    } finally {
      db.remove();
    }
  });
});
