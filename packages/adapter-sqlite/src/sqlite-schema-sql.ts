import { SYSTEM_FLAG_ROWS, type TableNames, flagChangeFieldCondition, resolveNames } from '@app/sql-store';
import { quoteSqliteIdentifier as q } from './sqlite-dialect.js';
import { type SqliteSchemaOptions, checkSqliteKeyType } from './sqlite-schema-options.js';

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
// `JSON TEXT`: text affinity (a JSON number stays the text written), and a declared type that names the column JSON.
const json = (column: string) => `${q(column)} JSON TEXT CHECK (${q(column)} IS NULL OR json_valid(${q(column)}))`;
const UUID =
  "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || " +
  "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

/** One schema statement and what it creates: a table, a trigger, or (neither) the system flags. */
export interface SqliteSchemaStep {
  table?: keyof TableNames;
  /** The trigger the statement creates (unquoted name): it runs only when the trigger is absent. */
  trigger?: string;
  sql: string;
}

/**
 * The triggers that keep `rollout_percentage` an integer from 0 to 100. SQLite's INTEGER column
 * would keep 50.5 (its CHECK compares values, not types); a trigger also guards `feature_flags`
 * tables created before it, which a CHECK cannot be added to. Values are checked after the
 * column's affinity (`'50'` and `50.0` are stored as the integer 50).
 */
export function sqliteRolloutTriggers(options: SqliteSchemaOptions = {}): { name: string; sql: string }[] {
  const n = resolveNames(options, q);
  const prefix = options.schema === undefined ? '' : `${q(options.schema)}.`;
  const table = q(n.raw.featureFlags);
  const refused = `typeof(NEW.rollout_percentage) <> 'integer' OR NEW.rollout_percentage NOT BETWEEN 0 AND 100`;
  const raise = `SELECT RAISE(ABORT, ${literal(`${n.raw.featureFlags}.rollout_percentage must be an integer from 0 to 100`)});`;
  return (['insert', 'update'] as const).map((event) => {
    const name = `${n.raw.featureFlags}_rollout_percentage_integer_${event}`;
    const on = event === 'insert' ? 'INSERT' : 'UPDATE OF rollout_percentage';
    return { name, sql: `CREATE TRIGGER IF NOT EXISTS ${prefix}${q(name)} BEFORE ${on} ON ${table} WHEN ${refused} BEGIN ${raise} END` };
  });
}

/**
 * The flag history table under `table` (quoted, with its schema): the schema's statement, and the
 * table `ensureSchema` copies an older history table into when its CHECK refuses a field the
 * store records (SQLite cannot change a CHECK in place).
 */
export function sqliteFlagChangesTable(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id INTEGER PRIMARY KEY, -- history rows are never deleted, so the rowid only grows
  flag_name TEXT NOT NULL,
  field TEXT NOT NULL CHECK (${flagChangeFieldCondition()}),
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  actor TEXT NOT NULL,
  changed_at TEXT NOT NULL DEFAULT ${NOW},
  reverts_change_id INTEGER
)`;
}

/**
 * The tables the migrations need when they are absent: the legacy tables, the runs table
 * (checkpoints and leases), `feature_flags` with its CHECK and its history `feature_flag_changes`,
 * the flag telemetry `feature_flag_metrics`, then the four system flags. The new
 * columns of existing legacy tables (`canonical_event`, `data_sources_v2`) are added by
 * `ensureSchema`, which looks at the table first (SQLite has no `ADD COLUMN IF NOT EXISTS`), and
 * runs only the statements of what is absent.
 */
export function sqliteSchemaStatements(options: SqliteSchemaOptions = {}): string[] {
  return sqliteSchemaSteps(options).map((step) => step.sql);
}

/** {@link sqliteSchemaStatements} with what each creates, so `ensureSchema` can skip what exists. */
export function sqliteSchemaSteps(options: SqliteSchemaOptions = {}): SqliteSchemaStep[] {
  const n = resolveNames(options, q);
  const c = options.columns?.events ?? {};
  const key = (table: 'events' | 'campaigns' | 'integrations') => `${checkSqliteKeyType(options.keyTypes?.[table])} PRIMARY KEY NOT NULL`;
  const steps: SqliteSchemaStep[] = [
    {
      table: 'events',
      sql: `CREATE TABLE IF NOT EXISTS ${n.events} (
  ${n.event.id} ${key('events')},
  ${n.event.integrationType} TEXT,
  ${n.event.eventType} TEXT,
  ${json(c.eventData ?? 'event_data')},
  ${n.event.createdAt} TEXT NOT NULL DEFAULT ${NOW},
  ${json(c.canonicalEvent ?? 'canonical_event')}
)`,
    },
    {
      table: 'campaigns',
      sql: `CREATE TABLE IF NOT EXISTS ${n.campaigns} (
  ${n.campaign.id} ${key('campaigns')},
  user_id TEXT,
  name TEXT,
  data_source TEXT,
  ${json('native_config')},
  ${json('integration_settings')},
  created_at TEXT NOT NULL DEFAULT ${NOW},
  ${json(n.rawColumns.campaignDataSourcesV2)}
)`,
    },
    {
      table: 'integrations',
      sql: `CREATE TABLE IF NOT EXISTS ${n.integrations} (
  ${n.integration.id} ${key('integrations')},
  user_id TEXT,
  provider TEXT,
  status TEXT,
  ${json('settings')},
  deleted_at TEXT,
  created_at TEXT NOT NULL DEFAULT ${NOW}
)`,
    },
    {
      table: 'runs',
      sql: `CREATE TABLE IF NOT EXISTS ${n.runs} (
  run_key TEXT PRIMARY KEY NOT NULL,
  migration TEXT,
  status TEXT CHECK (status IN ('running', 'completed', 'aborted')),
  "cursor" TEXT,
  ${json('counts')} NOT NULL DEFAULT '{}',
  ${json('failures')} NOT NULL DEFAULT '[]',
  lease_holder TEXT,
  lease_expires_at INTEGER,
  started_at TEXT,
  updated_at TEXT NOT NULL DEFAULT ${NOW},
  ${json('scope')},
  rows_behind INTEGER
)`,
    },
    {
      table: 'featureFlags',
      sql: `CREATE TABLE IF NOT EXISTS ${n.featureFlags} (
  id TEXT PRIMARY KEY NOT NULL DEFAULT ${UUID},
  name TEXT UNIQUE NOT NULL,
  description TEXT,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  rollout_percentage INTEGER NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  ${json('metadata')},
  created_at TEXT NOT NULL DEFAULT ${NOW},
  updated_at TEXT NOT NULL DEFAULT ${NOW}
)`,
    },
    {
      table: 'flagChanges',
      sql: sqliteFlagChangesTable(n.flagChanges),
    },
    {
      // With its table only: ensureSchema runs no DDL on a complete schema.
      table: 'flagChanges',
      sql: `CREATE INDEX IF NOT EXISTS ${options.schema === undefined ? '' : `${q(options.schema)}.`}${q(`${n.raw.flagChanges}_flag_name`)} ON ${q(n.raw.flagChanges)} (flag_name, id)`,
    },
    {
      table: 'flagMetrics',
      sql: `CREATE TABLE IF NOT EXISTS ${n.flagMetrics} (
  window_start TEXT NOT NULL, -- ISO 8601 UTC of Date#toISOString: sorts as time
  flag_name TEXT NOT NULL,
  metric TEXT NOT NULL,
  variant TEXT NOT NULL CHECK (variant IN ('on', 'off')),
  reason TEXT NOT NULL DEFAULT '',
  "count" INTEGER NOT NULL CHECK ("count" > 0),
  PRIMARY KEY (flag_name, window_start, metric, variant, reason)
)`,
    },
    {
      table: 'flagMetrics',
      sql: `CREATE INDEX IF NOT EXISTS ${options.schema === undefined ? '' : `${q(options.schema)}.`}${q(`${n.raw.flagMetrics}_window_start`)} ON ${q(n.raw.flagMetrics)} (window_start)`,
    },
  ];
  for (const trigger of sqliteRolloutTriggers(options)) steps.push({ trigger: trigger.name, sql: trigger.sql });
  if (options.seedSystemFlags !== false) {
    const rows = SYSTEM_FLAG_ROWS.map((flag) => `  (${literal(flag.name)}, ${literal(flag.description)})`).join(',\n');
    steps.push({ sql: `INSERT OR IGNORE INTO ${n.featureFlags} (name, description) VALUES\n${rows}` });
  }
  return steps;
}
