import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreSeed, StoreSnapshot } from '@app/migrate/testing';
import Database from 'better-sqlite3';

/** A fresh database file in its own temporary directory, and a way to delete both. */
export function temporaryDatabase(): { database: Database.Database; file: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'adapter-sqlite-'));
  const file = join(directory, 'test.db');
  const database = new Database(file);
  return {
    database,
    file,
    remove() {
      if (database.open) database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The legacy tables as a team has them before the migration: no canonical_event, no data_sources_v2. */
export function createLegacyTables(db: Database.Database): void {
  db.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id INTEGER, data_source TEXT, native_config TEXT, integration_settings TEXT, name TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id INTEGER, provider TEXT, status TEXT, deleted_at TEXT, settings TEXT);`);
}

/** Inserts the conformance seed into the product's tables. */
export function insertSeed(db: Database.Database, seed: StoreSeed): void {
  const event = db.prepare('INSERT INTO events (id, integration_type, event_type, event_data, created_at, canonical_event) VALUES (?, ?, ?, ?, ?, ?)');
  const campaign = db.prepare(
    'INSERT INTO campaigns (id, user_id, data_source, native_config, integration_settings, data_sources_v2, name) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const integration = db.prepare('INSERT INTO integrations (id, user_id, provider, status, deleted_at, settings) VALUES (?, ?, ?, ?, ?, ?)');
  const flag = db.prepare(`INSERT INTO feature_flags (name, description, enabled, rollout_percentage, metadata) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET description = excluded.description, enabled = excluded.enabled, rollout_percentage = excluded.rollout_percentage, metadata = excluded.metadata`);
  db.transaction(() => {
    for (const e of seed.events) event.run(e.id, e.integration_type, e.event_type, json(e.event_data), e.created_at, json(e.canonical_event));
    for (const c of seed.campaigns) {
      campaign.run(c.id, c.user_id, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2), c.name);
    }
    for (const i of seed.integrations) integration.run(i.id, i.user_id, i.provider, i.status, i.deleted_at, json(i.settings));
    for (const f of seed.flags) flag.run(f.name, f.description, f.enabled ? 1 : 0, f.rollout_percentage, json(f.metadata));
  })();
}

const parse = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

/** Reads every table directly, JSON columns decoded, ordered as the suite expects. */
export function readSnapshot(db: Database.Database): StoreSnapshot {
  const events = (db.prepare('SELECT id, event_data, canonical_event FROM events ORDER BY id').all() as Record<string, unknown>[]).map((row) => ({
    id: String(row.id),
    event_data: parse(row.event_data),
    canonical_event: parse(row.canonical_event) ?? null,
  }));
  // user_id as its digits: an INTEGER past 2^53 read as a JS number would be rounded.
  const campaigns = (db.prepare('SELECT * FROM campaigns ORDER BY id').safeIntegers(true).all() as Record<string, unknown>[]).map(({ created_at: _, ...row }) => ({
    ...row,
    user_id: typeof row.user_id === 'bigint' ? row.user_id.toString() : row.user_id,
    id: String(row.id),
    native_config: parse(row.native_config),
    integration_settings: parse(row.integration_settings),
    data_sources_v2: parse(row.data_sources_v2),
  }));
  const flags = db.prepare('SELECT * FROM feature_flags ORDER BY name').all() as Record<string, unknown>[];
  return { events, campaigns, flags };
}

/** The file's schema as SQLite records it, and its journal mode (ensureSchema switches it to WAL). */
export function readCatalog(db: Database.Database): { objects: unknown[]; journalMode: unknown } {
  const objects = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  return { objects, journalMode: db.pragma('journal_mode', { simple: true }) };
}

/**
 * Makes the events `ids` rows SQLite refuses to write (`ConformanceHarness.poisonEvents`). In a
 * legacy TEXT `event_data` (`checked: false`) their objects gain a member nested 1,001 deep, which
 * JSON.parse reads and SQLite's JSON functions reject ("malformed JSON", past their depth of 1,000)
 * when the payload is copied. Where a CHECK keeps the column to JSON SQLite reads (`checked`), the
 * refusal is a rule of the team's own, a trigger refusing canonical events whose payload has a
 * `poison` member, and their objects gain one.
 */
export function poisonEvents(db: Database.Database, ids: readonly string[], checked: boolean): void {
  const update = db.prepare('UPDATE events SET event_data = ? WHERE id = ?');
  const read = db.prepare('SELECT event_data FROM events WHERE id = ?').pluck();
  if (checked) {
    db.exec(`CREATE TRIGGER IF NOT EXISTS refuse_poison BEFORE UPDATE OF canonical_event ON events
WHEN json_extract(NEW.canonical_event, '$.payload.poison') IS NOT NULL BEGIN SELECT RAISE(ABORT, 'refused: the payload holds poison'); END`);
  }
  const member = checked ? '"poison": true' : `"note": ${'['.repeat(1001)}1${']'.repeat(1001)}`;
  for (const id of ids) {
    const text = String(read.get(id));
    update.run(`${text.slice(0, text.lastIndexOf('}'))}, ${member}}`, id);
  }
}
