import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import type { MigrateConfig } from '../src/index.js';
import { bin, runCli } from './cli-process.js';

// The built bin, spawned on SQLite files (the quickest database to start), with --config and
// APP_MIGRATE_CONFIG; and read-only commands on databases that do not exist.
const TIMEOUT = 300_000;

const cli = runCli;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const seed = conformanceSeed();

/** A team's schema: every table and every column the stores name is called differently. */
const config: MigrateConfig = {
  names: {
    events: { table: 'legacy_events', id: 'event_id', integrationType: 'source', eventType: 'kind', eventData: 'payload', createdAt: 'occurred_at', canonicalEvent: 'canonical' },
    campaigns: { table: 'legacy_campaigns', id: 'campaign_id', dataSourcesV2: 'sources_v2' },
    integrations: { table: 'legacy_integrations', id: 'integration_id' },
    runs: { table: 'app_migration_runs' },
    featureFlags: { table: 'app_feature_flags' },
    flagChanges: { table: 'app_flag_history' },
    flagMetrics: { table: 'app_flag_metrics' },
  },
  busyTimeoutMs: 10_000,
};

const tablesOf = (file: string): string[] => {
  const database = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
  } finally {
    database.close();
  }
};

let dir: string;
let db: string;
let configFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-config-'));
  db = join(dir, 'legacy.db');
  configFile = join(dir, 'migrate.config.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const database = new Database(db);
  database.exec(`CREATE TABLE legacy_events (event_id TEXT PRIMARY KEY, source TEXT, kind TEXT, payload TEXT, occurred_at TEXT);
CREATE TABLE legacy_campaigns (campaign_id TEXT PRIMARY KEY, user_id TEXT, name TEXT, data_source TEXT, native_config TEXT, integration_settings TEXT, sources_v2 TEXT);
CREATE TABLE legacy_integrations (integration_id TEXT PRIMARY KEY, user_id TEXT, provider TEXT, status TEXT, settings TEXT, deleted_at TEXT);`);
  const insert = database.prepare('INSERT INTO legacy_events (event_id, source, kind, payload, occurred_at) VALUES (?, ?, ?, ?, ?)');
  for (const e of seed.events) insert.run(e.id, e.integration_type, e.event_type, json(e.event_data), e.created_at);
  const campaign = database.prepare('INSERT INTO legacy_campaigns (campaign_id, user_id, name, data_source, native_config, integration_settings, sources_v2) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const c of seed.campaigns) campaign.run(c.id, c.user_id, c.name, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2));
  const integration = database.prepare('INSERT INTO legacy_integrations (integration_id, user_id, provider, status, settings) VALUES (?, ?, ?, ?, ?)');
  for (const i of seed.integrations) integration.run(i.id, i.user_id, i.provider, i.status, json(i.settings));
  database.close();
}, TIMEOUT);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('app-migrate --config, end to end on SQLite', () => {
  it('migrates a schema whose tables and columns have other names: init, events --apply, verify, status, flags', async () => {
    // Without the config the CLI looks for the product's tables, and a dry run changes nothing.
    const unconfigured = await cli(['events', '--db', db]);
    expect(unconfigured.code, unconfigured.stderr).toBe(5);
    expect(unconfigured.stderr).toContain('no table "events" (the events table: names.events.table in the --config file');

    const init = await cli(['init', '--db', db, '--config', configFile]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Added \d+:\n {2}column legacy_events\.canonical\n {2}table app_migration_runs\n {2}table app_feature_flags\n {2}table app_flag_history\n/);
    expect(tablesOf(db)).toEqual(['app_feature_flags', 'app_flag_history', 'app_flag_metrics', 'app_migration_runs', 'legacy_campaigns', 'legacy_events', 'legacy_integrations']);

    const applied = await cli(['events', '--db', db, '--apply', '--batch-size', '25', '--config', configFile]);
    expect(applied.code, applied.stderr).toBe(1);
    expect(applied.stdout).toContain('120 events processed, 117 written, 3 failed');

    // APP_MIGRATE_CONFIG names the file when --config is not given.
    const verify = await cli(['verify', '--db', db, '--sample', '50'], { APP_MIGRATE_CONFIG: configFile });
    // Events are explained; campaigns have not run yet, so verify lists them and fails.
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toContain('events:    117 migrated, 3 remaining (3 failed and reported), 120 total');
    expect(verify.stdout).toContain('payloads:  50 sampled, 0 differ');
    expect(verify.stdout).toContain('4 unexplained');

    const campaigns = await cli(['campaigns', '--db', db, '--apply', '--config', configFile]);
    expect(campaigns.code, campaigns.stderr).toBe(1);
    expect(campaigns.stdout).toContain('Wrote data_sources_v2 of 2 campaigns.');

    const status = await cli(['status', '--db', db, '--config', configFile]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('events:    117/120 with canonical_event');
    expect(status.stdout).toContain('campaigns: 3/5 with data_sources_v2');
    expect(status.stdout).toMatch(/last events run: completed, cursor evt-0120/);

    const set = await cli(['flags', 'set', 'testimonial_system', '--enabled', '--db', db, '--config', configFile]);
    expect(set.code, set.stderr).toBe(0);

    // The rows themselves: canonical events in the renamed column, the flag in the renamed table.
    const database = new Database(db, { readonly: true });
    try {
      const row = database.prepare('SELECT canonical FROM legacy_events WHERE event_id = ?').get('evt-0001') as { canonical: string };
      expect(JSON.parse(row.canonical)).toMatchObject({ event_id: 'evt-0001' });
      expect(database.prepare('SELECT enabled FROM app_feature_flags WHERE name = ?').get('testimonial_system')).toEqual({ enabled: 1 });
      expect(database.prepare('SELECT flag_name, field, old_value, new_value FROM app_flag_history').all()).toEqual([
        { flag_name: 'testimonial_system', field: 'enabled', old_value: 'false', new_value: 'true' },
      ]);
      expect(database.prepare('SELECT count(*) AS n FROM legacy_campaigns WHERE sources_v2 IS NOT NULL').get()).toEqual({ n: 3 });
    } finally {
      database.close();
    }
    // --config wins over APP_MIGRATE_CONFIG.
    const both = await cli(['flags', 'list', '--db', db, '--config', configFile], { APP_MIGRATE_CONFIG: join(dir, 'absent.json') });
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(/testimonial_system\s+enabled/);
    expect(tablesOf(db)).toEqual(['app_feature_flags', 'app_flag_history', 'app_flag_metrics', 'app_migration_runs', 'legacy_campaigns', 'legacy_events', 'legacy_integrations']);
  }, TIMEOUT);

  it('refuses an invalid config with exit 2, naming the file and the JSON path, before opening the database', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ names: { events: { table: '', tabel: 'legacy_events' } }, flagAccess: { readerRoles: [42] } }));
    const never = join(dir, 'never.db');
    const refused = await cli(['init', '--db', never, '--config', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`app-migrate init: --config: ${bad} is not a valid config:`);
    expect(refused.stderr).toContain('$.names.events.table: must be a non-empty name');
    expect(refused.stderr).toContain('$.names.events.tabel: unknown field');
    expect(refused.stderr).toContain('$.flagAccess.readerRoles[0]:');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const fromEnv = await cli(['status', '--db', db], { APP_MIGRATE_CONFIG: bad });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain(`APP_MIGRATE_CONFIG: ${bad} is not a valid config:`);

    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{ names: ');
    expect(await cli(['status', '--db', db, '--config', notJson])).toMatchObject({ code: 2, stderr: expect.stringContaining(`--config: ${notJson} is not valid JSON`) });
    expect(await cli(['status', '--db', db, '--config', join(dir, 'absent.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config: cannot read') });

    // An option of another adapter is refused, not ignored: these flag roles would never be granted.
    const postgresOnly = join(dir, 'postgres-only.json');
    await writeFile(postgresOnly, JSON.stringify({ flagAccess: { adminRoles: ['service_role'] } }));
    const misapplied = await cli(['init', '--db', never, '--config', postgresOnly]);
    expect(misapplied.code).toBe(2);
    expect(misapplied.stderr).toContain('$.flagAccess applies to PostgreSQL (and the embedded PGlite) only, and --db names a SQLite file');
    expect(existsSync(never)).toBe(false);
  }, TIMEOUT);
});

describe('commands on a database that does not exist', () => {
  it('exit 5 and create nothing, for a SQLite file and for an embedded PGlite directory, writing commands included', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const file = join(empty, 'missing.db');
    const directory = join(empty, 'missing-pglite');
    for (const target of [file, `sqlite:${file}`, directory]) {
      for (const args of [['status'], ['verify'], ['events'], ['campaigns'], ['flags', 'list'], ['init'], ['events', '--apply'], ['campaigns', '--apply']]) {
        const refused = await cli([...args, '--db', target]);
        expect(refused.code, `${args.join(' ')} --db ${target}: ${refused.stderr}`).toBe(5);
        expect(refused.stderr).toContain(target === directory ? `embedded PGlite database in ${directory}: no such directory` : `SQLite ${file}: no such file`);
        expect(refused.stderr).toContain('never creates a database');
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      }
    }
    // An existing directory that holds no database is not one either (PGlite would initialize it).
    const bare = join(empty, 'bare');
    await mkdir(bare);
    const refused = await cli(['status', '--db', bare]);
    expect(refused).toMatchObject({ code: 5, stderr: expect.stringContaining('the directory holds no database') });
    expect(await readdir(empty)).toEqual(['bare']);
    expect(await readdir(bare)).toEqual([]);

  }, TIMEOUT);
});

describe("writing commands never create the application's tables", () => {
  it('init and --apply on a file without them, or with a misspelt events table, exit 5 naming the table and its config key, and create nothing', async () => {
    const file = join(dir, 'no-legacy-tables.db');
    new Database(file).close();
    for (const args of [['init'], ['events', '--apply'], ['campaigns', '--apply']]) {
      const refused = await cli([...args, '--db', file]);
      expect(refused.code, `${args.join(' ')}: ${refused.stderr}`).toBe(5);
      expect(refused.stderr).toContain('no table "events" (the events table: names.events.table in the --config file');
      expect(refused.stderr).toContain('"campaigns"');
      expect(refused.stderr).toContain('"integrations"');
      expect(tablesOf(file)).toEqual([]);
    }

    // The audit case: a typo in the events table name, on a database that has every other table.
    const typo = join(dir, 'typo.config.json');
    await writeFile(typo, JSON.stringify({ ...config, names: { ...config.names!, events: { ...config.names!.events!, table: 'legacy_evnts' } } }));
    const before = tablesOf(db);
    for (const args of [['events', '--apply'], ['init']]) {
      const refused = await cli([...args, '--db', db, '--config', typo]);
      expect(refused.code, refused.stderr).toBe(5);
      expect(refused.stderr).toContain('no table "legacy_evnts" (the events table: names.events.table');
      expect(refused.stderr).not.toContain('"legacy_campaigns"');
      expect(tablesOf(db)).toEqual(before);
    }
  }, TIMEOUT);
});

describe('--resume is bound to what the checkpoint describes', () => {
  it('refuses, exit 7, to continue table ev_a\'s checkpoint on table ev_b, writing nothing; without --resume ev_b starts from its beginning', async () => {
    const file = join(dir, 'two-event-tables.db');
    const database = new Database(file);
    const columns = '(id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT)';
    database.exec(`CREATE TABLE ev_a ${columns}; CREATE TABLE ev_b ${columns};
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, name TEXT, data_source TEXT, native_config TEXT, integration_settings TEXT, data_sources_v2 TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT, status TEXT, settings TEXT, deleted_at TEXT);`);
    for (const table of ['ev_a', 'ev_b']) {
      const insert = database.prepare(`INSERT INTO ${table} (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)`);
      for (const e of seed.events.slice(0, 20)) insert.run(e.id, e.integration_type, e.event_type, json(e.event_data), e.created_at);
    }
    database.close();
    const configFor = async (table: string) => {
      const path = join(dir, `${table}.config.json`);
      await writeFile(path, JSON.stringify({ names: { events: { table } } }));
      return path;
    };
    const [a, b] = [await configFor('ev_a'), await configFor('ev_b')];
    expect((await cli(['init', '--db', file, '--config', a])).code).toBe(0);
    expect((await cli(['init', '--db', file, '--config', b])).code).toBe(0);
    const limited = await cli(['events', '--db', file, '--config', a, '--apply', '--limit', '1']);
    expect(limited.code, limited.stderr).toBe(0);

    const refused = await cli(['events', '--db', file, '--config', b, '--apply', '--resume']);
    expect(refused.code, refused.stderr).toBe(7);
    expect(refused.stderr).toContain('The checkpoint of "events" was written for another run: table and key column "ev_a"."id" in the checkpoint, "ev_b"."id" now');
    const migrated = (table: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE canonical_event IS NOT NULL`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect([migrated('ev_a'), migrated('ev_b')]).toEqual([1, 0]);

    const fresh = await cli(['events', '--db', file, '--config', b, '--apply']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(migrated('ev_b')).toBe(20);
    const resumedA = await cli(['events', '--db', file, '--config', a, '--apply', '--resume']);
    // ev_b's run took the checkpoint over: ev_a's resume is refused too, rather than continue after ev_b's cursor.
    expect(resumedA.code, resumedA.stderr).toBe(7);
  }, TIMEOUT);
});
