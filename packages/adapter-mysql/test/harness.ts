import type { StoreSeed, StoreSnapshot } from '@app/migrate/testing';
import mysql from 'mysql2/promise';
import { quoteMysqlIdentifier as q } from '../src/index.js';

/** The real server of the tests (root, empty password on the test machines). */
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A database name no other run uses. */
export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Pool options the adapter's README recommends. */
export const POOL_OPTIONS = { supportBigNumbers: true, bigNumberStrings: true, connectionLimit: 6 } as const;

/** A pool on the server's default database. */
export const createAdminPool = () => mysql.createPool({ uri: MYSQL_URL, ...POOL_OPTIONS });

/** Creates a fresh database and a pool on it (the README's options unless told otherwise); `drop()` removes both. */
export async function freshDatabase(
  admin: mysql.Pool,
  prefix: string,
  poolOptions: mysql.PoolOptions = POOL_OPTIONS,
): Promise<{ name: string; pool: mysql.Pool; drop(): Promise<void> }> {
  const name = uniqueName(prefix);
  await admin.query(`CREATE DATABASE ${q(name)} CHARACTER SET utf8mb4`);
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  const pool = mysql.createPool({ uri: url.href, ...poolOptions });
  return {
    name,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${q(name)}`);
    },
  };
}

/** The legacy tables as a team has them before the migration: no canonical_event, no data_sources_v2, JSON in LONGTEXT. */
export async function createLegacyTables(db: mysql.Pool): Promise<void> {
  await db.query('CREATE TABLE events (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data JSON, created_at DATETIME(3))');
  await db.query(
    'CREATE TABLE campaigns (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, user_id BIGINT, data_source VARCHAR(50), native_config JSON, integration_settings LONGTEXT, name VARCHAR(200))',
  );
  await db.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id BIGINT, provider VARCHAR(50), status VARCHAR(20), deleted_at DATETIME(3), settings JSON)');
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Inserts the conformance seed. */
export async function insertSeed(db: mysql.Pool, seed: StoreSeed): Promise<void> {
  if (seed.events.length > 0) await db.query('INSERT INTO events (id, integration_type, event_type, event_data, created_at, canonical_event) VALUES ?', [
    seed.events.map((e) => [e.id, e.integration_type, e.event_type, json(e.event_data), new Date(e.created_at), json(e.canonical_event)]),
  ]);
  if (seed.campaigns.length > 0) await db.query('INSERT INTO campaigns (id, user_id, data_source, native_config, integration_settings, data_sources_v2, name) VALUES ?', [
    seed.campaigns.map((c) => [c.id, c.user_id, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2), c.name]),
  ]);
  if (seed.integrations.length > 0) await db.query('INSERT INTO integrations (id, user_id, provider, status, deleted_at, settings) VALUES ?', [
    seed.integrations.map((i) => [i.id, i.user_id, i.provider, i.status, i.deleted_at, json(i.settings)]),
  ]);
  for (const f of seed.flags) {
    await db.query(
      `INSERT INTO feature_flags (id, name, description, enabled, rollout_percentage, metadata) VALUES (UUID(), ?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE description = VALUES(description), enabled = VALUES(enabled), rollout_percentage = VALUES(rollout_percentage), metadata = VALUES(metadata)`,
      [f.name, f.description, f.enabled ? 1 : 0, f.rollout_percentage, json(f.metadata)],
    );
  }
}

// JSON columns as their text (mysql2 parses MySQL's JSON type itself, so a JSON string could not be told from text),
// BIGINT as its digits whatever the pool's options.
const jsonAsText = (field: { type: string; extendedFormat?: string; string(): string | null }, next: () => unknown) =>
  field.type === 'JSON' || field.extendedFormat === 'json' || field.type === 'LONGLONG' ? field.string() : next();

const parse = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? null));

/** Reads every table directly, JSON columns decoded, ordered as the suite expects. */
export async function readSnapshot(db: mysql.Pool): Promise<StoreSnapshot> {
  const [events] = await db.query({ sql: 'SELECT id, event_data, canonical_event FROM events ORDER BY id', typeCast: jsonAsText });
  const [campaigns] = await db.query({ sql: 'SELECT * FROM campaigns ORDER BY id', typeCast: jsonAsText });
  const [flags] = await db.query('SELECT * FROM feature_flags ORDER BY name');
  return {
    events: (events as Record<string, unknown>[]).map((row) => ({ id: String(row.id), event_data: parse(row.event_data), canonical_event: parse(row.canonical_event) })),
    campaigns: (campaigns as Record<string, unknown>[]).map(({ created_at: _, ...row }) => ({
      ...row,
      id: String(row.id),
      native_config: parse(row.native_config),
      integration_settings: parse(row.integration_settings),
      data_sources_v2: parse(row.data_sources_v2),
    })),
    flags: flags as Record<string, unknown>[],
  };
}

/** The database's tables, columns and CHECK constraints as information_schema has them. */
export async function readCatalog(db: mysql.Pool): Promise<unknown> {
  const [columns] = await db.query(
    `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const [checks] = await db.query(
    'SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME',
  );
  return { columns, checks };
}

/**
 * Makes the events `ids` rows MariaDB refuses to write (`ConformanceHarness.poisonEvents`):
 * `event_data` becomes LONGTEXT without the JSON CHECK, as a team may have it, and their objects
 * gain a member holding a lone surrogate ("Ann\\ud800 Lee"), which JSON.parse reads and MariaDB's
 * JSON functions reject ("Syntax error in JSON text") when the payload is copied.
 */
export async function poisonEvents(db: { query(sql: string, values?: unknown[]): Promise<unknown> }, ids: readonly string[]): Promise<void> {
  await db.query('ALTER TABLE events MODIFY event_data LONGTEXT');
  await db.query('UPDATE events SET event_data = CONCAT(LEFT(event_data, CHAR_LENGTH(event_data) - 1), ?) WHERE id IN (?)', [', "note": "Ann\\ud800 Lee"}', [...ids]]);
}
