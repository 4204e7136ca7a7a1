import { SYSTEM_FLAG_ROWS, type TableNames, flagChangeFieldCondition, resolveNames } from '@app/sql-store';
import { quoteMysqlIdentifier as q, quoteMysqlLiteral } from './mysql-dialect.js';
import { type MysqlSchemaOptions, mysqlKeyColumnType } from './mysql-schema-options.js';

/**
 * The tables the migrations need when they are absent: the legacy tables, the runs table
 * (checkpoints and leases), `feature_flags` with its CHECK and its history
 * `feature_flag_changes`, the flag telemetry `feature_flag_metrics`, then the four system flags.
 * `JSON` columns are MySQL's binary JSON, or on MariaDB a LONGTEXT with a `JSON_VALID` check;
 * the store reads both. The new columns of existing legacy tables are added by `ensureSchema`,
 * which looks at `information_schema` first (MySQL has no `ADD COLUMN IF NOT EXISTS`) and runs
 * only the statements of what is absent.
 */
export function mysqlSchemaStatements(options: MysqlSchemaOptions = {}, flavor: 'mysql' | 'mariadb' = 'mysql'): string[] {
  return mysqlSchemaSteps(options, flavor).map((step) => step.sql);
}

/**
 * The collation of the columns that hold names as keys (flag, metric, variant and reason names):
 * binary and NO PAD. `utf8mb4_bin` is PAD SPACE on both servers, so `'banner '` would equal
 * `'banner'` and a metric of one would be added to the other; the NO PAD binary collations compare
 * every byte. Their names differ: `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8.
 */
export function exactNameCollation(flavor: 'mysql' | 'mariadb'): string {
  return flavor === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
}

/**
 * The secondary index on the events' key that `ensureSchema` adds: InnoDB's `COUNT(*)` walks the
 * smallest index, and without a secondary one that is the clustered index, with every row's JSON
 * in it (8.7 s for `status` on 200,000 events on MariaDB, the time of reading 1.8 GB). Over the
 * key alone the same count reads a few MB.
 */
export function eventKeyIndexName(eventsTable: string): string {
  // Index names are at most 64 characters.
  return `${eventsTable.slice(0, 64 - '_key_count'.length)}_key_count`;
}

/** One schema statement and what it creates: a table, or (no `table`) the system flags. */
export interface MysqlSchemaStep {
  table?: keyof TableNames;
  sql: string;
}

/** {@link mysqlSchemaStatements} with what each creates, so `ensureSchema` can skip what exists. */
export function mysqlSchemaSteps(options: MysqlSchemaOptions = {}, flavor: 'mysql' | 'mariadb' = 'mysql'): MysqlSchemaStep[] {
  const n = resolveNames(options, q);
  const exact = `CHARACTER SET utf8mb4 COLLATE ${exactNameCollation(flavor)}`;
  const key = (table: 'events' | 'campaigns' | 'integrations') => `${mysqlKeyColumnType(options.keyTypes?.[table])} NOT NULL PRIMARY KEY`;
  const steps: MysqlSchemaStep[] = [
    {
      table: 'events',
      sql: `CREATE TABLE IF NOT EXISTS ${n.events} (
  ${n.event.id} ${key('events')},
  ${n.event.integrationType} VARCHAR(100),
  ${n.event.eventType} VARCHAR(255),
  ${n.event.eventData} JSON,
  ${n.event.createdAt} DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ${n.event.canonicalEvent} JSON,
  KEY ${q(eventKeyIndexName(n.raw.events))} (${n.event.id})
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      table: 'campaigns',
      sql: `CREATE TABLE IF NOT EXISTS ${n.campaigns} (
  ${n.campaign.id} ${key('campaigns')},
  user_id VARCHAR(255),
  name TEXT,
  data_source VARCHAR(100),
  native_config JSON,
  integration_settings JSON,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ${n.campaign.dataSourcesV2} JSON
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      table: 'integrations',
      sql: `CREATE TABLE IF NOT EXISTS ${n.integrations} (
  ${n.integration.id} ${key('integrations')},
  user_id VARCHAR(255),
  provider VARCHAR(100),
  status VARCHAR(50),
  settings JSON,
  deleted_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      table: 'runs',
      sql: `CREATE TABLE IF NOT EXISTS ${n.runs} (
  run_key VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  migration VARCHAR(32),
  status VARCHAR(16) CHECK (status IN ('running', 'completed', 'aborted')),
  \`cursor\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  counts JSON,
  failures JSON,
  lease_holder VARCHAR(255),
  lease_expires_at BIGINT,
  started_at VARCHAR(32),
  updated_at VARCHAR(32),
  scope JSON,
  rows_behind BIGINT
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      table: 'featureFlags',
      sql: `CREATE TABLE IF NOT EXISTS ${n.featureFlags} (
  id CHAR(36) NOT NULL PRIMARY KEY DEFAULT (UUID()),
  name VARCHAR(191) ${exact} NOT NULL UNIQUE,
  description TEXT,
  enabled BOOLEAN NOT NULL DEFAULT FALSE,
  rollout_percentage INT NOT NULL DEFAULT 0,
  metadata JSON,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT ${q(`${n.raw.featureFlags}_rollout_percentage_range`)} CHECK (rollout_percentage BETWEEN 0 AND 100)
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      table: 'flagChanges',
      sql: `CREATE TABLE IF NOT EXISTS ${n.flagChanges} (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  flag_name VARCHAR(191) ${exact} NOT NULL,
  field VARCHAR(32) NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  actor VARCHAR(255) NOT NULL,
  changed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  reverts_change_id BIGINT NULL,
  KEY ${q(`${n.raw.flagChanges}_flag_name`)} (flag_name, id),
  CONSTRAINT ${q(`${n.raw.flagChanges}_field`)} CHECK (${flagChangeFieldCondition()})
) DEFAULT CHARSET = utf8mb4`,
    },
    {
      // Exact names (binary, NO PAD): flag and metric names are keys, `Banner` is not `banner`, nor `banner ` either. DATETIME: UTC, as the store writes it.
      table: 'flagMetrics',
      sql: `CREATE TABLE IF NOT EXISTS ${n.flagMetrics} (
  window_start DATETIME(3) NOT NULL,
  flag_name VARCHAR(191) ${exact} NOT NULL,
  metric VARCHAR(100) ${exact} NOT NULL,
  variant VARCHAR(3) ${exact} NOT NULL,
  reason VARCHAR(32) ${exact} NOT NULL DEFAULT '',
  \`count\` BIGINT NOT NULL,
  PRIMARY KEY (flag_name, window_start, metric, variant, reason),
  KEY ${q(`${n.raw.flagMetrics}_window_start`)} (window_start),
  CONSTRAINT ${q(`${n.raw.flagMetrics}_variant`)} CHECK (variant IN ('on', 'off')),
  CONSTRAINT ${q(`${n.raw.flagMetrics}_count`)} CHECK (\`count\` > 0)
) DEFAULT CHARSET = utf8mb4`,
    },
  ];
  if (options.seedSystemFlags !== false) {
    const rows = SYSTEM_FLAG_ROWS.map((flag) => `  (UUID(), ${quoteMysqlLiteral(flag.name)}, ${quoteMysqlLiteral(flag.description)})`).join(',\n');
    steps.push({ sql: `INSERT IGNORE INTO ${n.featureFlags} (id, name, description) VALUES\n${rows}` });
  }
  return steps;
}
