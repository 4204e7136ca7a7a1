import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore, exactNameCollation } from '../src/index.js';
import { createAdminPool, createLegacyTables, freshDatabase } from './harness.js';

const W0 = '2026-03-02T09:00:00.000Z';

describe.runIf(inject('mysqlAvailable'))('flag tables whose names compare inexactly (real server)', () => {
  const admin = createAdminPool();
  afterAll(async () => {
    await admin.end();
  });

  it('ensureSchema gives the name columns of older flag tables a binary NO PAD collation, keeping their rows, so names differing in case or trailing spaces are other keys', async () => {
    const db = await freshDatabase(admin, 'exact_names');
    try {
      await createLegacyTables(db.pool);
      // The flag tables as an earlier version created them: the server's default collation for flag names, PAD SPACE utf8mb4_bin for telemetry keys.
      await db.pool.query(`CREATE TABLE feature_flags (
  id CHAR(36) NOT NULL PRIMARY KEY DEFAULT (UUID()),
  name VARCHAR(191) NOT NULL UNIQUE,
  description TEXT,
  enabled BOOLEAN NOT NULL DEFAULT FALSE,
  rollout_percentage INT NOT NULL DEFAULT 0,
  metadata JSON,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) DEFAULT CHARSET = utf8mb4 COLLATE utf8mb4_general_ci`);
      await db.pool.query(`CREATE TABLE feature_flag_metrics (
  window_start DATETIME(3) NOT NULL,
  flag_name VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  metric VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  variant VARCHAR(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  reason VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  \`count\` BIGINT NOT NULL,
  PRIMARY KEY (flag_name, window_start, metric, variant, reason)
) DEFAULT CHARSET = utf8mb4`);
      await db.pool.query(`INSERT INTO feature_flags (name, enabled, rollout_percentage) VALUES ('beta_banner', TRUE, 10)`);
      await db.pool.query(`INSERT INTO feature_flag_metrics VALUES ('2026-03-02 09:00:00.000', 'banner', 'error', 'on', '', 5)`);
      const store = createMysqlStore({ client: db.pool });
      const collation = exactNameCollation(await store.serverFlavor());
      expect((await store.inspectSchema()).pending).toEqual(
        expect.arrayContaining([
          `exact collation ${collation} of feature_flags.name (now utf8mb4_general_ci)`,
          `exact collation ${collation} of feature_flag_metrics.metric (now utf8mb4_bin)`,
        ]),
      );

      await store.ensureSchema();
      expect((await store.inspectSchema()).pending).toEqual([]);
      const [columns] = await db.pool.query(
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS collation, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS fallback FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'feature_flag%' AND COLUMN_NAME IN ('name', 'flag_name', 'metric', 'variant', 'reason') ORDER BY 1, 2`,
      );
      // Sorted here: information_schema's collation orders `feature_flags` and `feature_flag_…` differently on each server.
      const sorted = (columns as { t: string; c: string }[]).sort((a, b) => (`${a.t}.${a.c}` < `${b.t}.${b.c}` ? -1 : 1));
      expect(sorted).toEqual([
        { t: 'feature_flag_changes', c: 'flag_name', collation, nullable: 'NO', fallback: null },
        { t: 'feature_flag_metrics', c: 'flag_name', collation, nullable: 'NO', fallback: null },
        { t: 'feature_flag_metrics', c: 'metric', collation, nullable: 'NO', fallback: null },
        { t: 'feature_flag_metrics', c: 'reason', collation, nullable: 'NO', fallback: expect.stringMatching(/^(''|)$/) },
        { t: 'feature_flag_metrics', c: 'variant', collation, nullable: 'NO', fallback: null },
        { t: 'feature_flags', c: 'name', collation, nullable: 'NO', fallback: null },
      ]);
      // The rows are kept, and the keys are now exact.
      await store.writeFlagMetrics([
        { windowStart: W0, flagName: 'banner ', metric: 'error', variant: 'on', reason: '', count: 2 },
        { windowStart: W0, flagName: 'banner', metric: 'error ', variant: 'on', reason: '', count: 3 },
        { windowStart: W0, flagName: 'banner', metric: 'error', variant: 'on', reason: '', count: 1 },
      ]);
      expect(await store.readFlagMetrics({ flagName: 'banner' })).toEqual([
        { flagName: 'banner', metric: 'error ', variant: 'on', reason: '', count: 3 },
        { flagName: 'banner', metric: 'error', variant: 'on', reason: '', count: 6 },
      ]);
      expect(await store.createFlag({ name: 'Beta_Banner' }, { actor: 'test' })).toMatchObject({ ok: true });
      expect(await store.getFlag('beta_banner ')).toBeNull();
      expect(await store.getFlag('beta_banner')).toMatchObject({ enabled: true, rollout_percentage: 10 });
      await store.ensureSchema();
    } finally {
      await db.drop();
    }
  });
});
