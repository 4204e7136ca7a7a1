import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { didYouMean } from '../src/cli/did-you-mean.js';
import { conformanceSeed } from '../src/conformance-seed.js';
import { cli, runCli } from './cli-process.js';

// What users of a migration CLI expect: --version, the database from the environment, --json for
// scripts, and "did you mean" on a typo. The built bin, spawned.
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT = 120_000;
const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const seed = conformanceSeed();

const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
const postgresAvailable = await probe
  .connect()
  .then(async () => {
    await probe.end();
    return true;
  })
  .catch((error: Error) => {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`the CLI expectations test needs the server at ${POSTGRES_URL}: ${error.message}`);
    return false;
  });

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-expectations-'));
  file = join(dir, 'app.db');
  const database = new Database(file);
  database.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, name TEXT, data_source TEXT, native_config TEXT, integration_settings TEXT, data_sources_v2 TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT, status TEXT, settings TEXT, deleted_at TEXT);`);
  const insert = database.prepare('INSERT INTO events (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const e of seed.events) insert.run(e.id, e.integration_type, e.event_type, json(e.event_data), e.created_at);
  const campaign = database.prepare('INSERT INTO campaigns (id, user_id, name, data_source, native_config, integration_settings, data_sources_v2) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const c of seed.campaigns) campaign.run(c.id, c.user_id, c.name, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2));
  const integration = database.prepare('INSERT INTO integrations (id, user_id, provider, status, settings) VALUES (?, ?, ?, ?, ?)');
  for (const i of seed.integrations) integration.run(i.id, i.user_id, i.provider, i.status, json(i.settings));
  database.close();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('what users of a migration CLI expect', () => {
  it('--version prints the package version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) expect(await cli(flag)).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  }, TIMEOUT);

  it('suggests the command or option meant, or the commands that have it', async () => {
    const command = await cli('stauts');
    expect(command).toMatchObject({ code: 2, stdout: '' });
    expect(command.stderr).toBe('app-migrate: unknown command "stauts". Did you mean status? Run app-migrate --help for the list.\n');
    const option = await cli('events', '--aply', '--db', file);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe('app-migrate events: unknown option --aply. Did you mean --apply? Run app-migrate events --help.\n');
    const elsewhere = await cli('status', '--apply', '--db', file);
    expect(elsewhere.stderr).toBe('app-migrate status: unknown option --apply. --apply is an option of app-migrate events, app-migrate campaigns. Run app-migrate status --help.\n');
    expect(didYouMean('--resolution', ['--resolutions', '--resolutions-template'])).toBe('--resolutions');
    expect(didYouMean('--x', ['--db', '--config'])).toBeUndefined();
  }, TIMEOUT);

  it('--json prints only the report on stdout, parseable, for events, campaigns, verify and status', async () => {
    const events = await cli('events', '--json', '--db', file);
    expect(events.code).toBe(1);
    expect(JSON.parse(events.stdout)).toMatchObject({ format: 'event-migration-report', mode: 'dry-run', counts: { processed: 120, failed: 3 } });
    // The lines for people went to stderr.
    expect(events.stderr).toContain('120 events processed, 117 would be written, 3 failed');
    const campaigns = await cli('campaigns', '--json', '--db', file);
    expect(JSON.parse(campaigns.stdout)).toMatchObject({ mode: 'dry-run', status: 'completed', report: { summary: { total: 5 } } });
    const verify = await cli('verify', '--json', '--db', file);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, events: { total: 120 } });
    const status = await cli('status', '--json', '--db', file);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ format: 'migration-status', events: { total: 120, migrated: 0 }, runs: { events: null, campaigns: null } });
  }, TIMEOUT);

  it('takes the database from APP_MIGRATE_DB, then DATABASE_URL, when --db is absent, and says which (--db wins)', async () => {
    const copy = join(dir, 'from-env.db');
    await copyFile(file, copy);
    const fromApp = await runCli(['status'], { APP_MIGRATE_DB: copy, DATABASE_URL: join(dir, 'missing.db') });
    expect(fromApp.code, fromApp.stderr).toBe(0);
    expect(fromApp.stderr).toBe(`app-migrate: --db not given; using APP_MIGRATE_DB: SQLite ${copy}\n`);
    const fromUrl = await runCli(['status'], { DATABASE_URL: copy });
    expect(fromUrl.stderr).toContain('using DATABASE_URL: SQLite');
    const flag = await runCli(['status', '--db', copy], { DATABASE_URL: join(dir, 'missing.db') });
    expect(flag).toMatchObject({ code: 0, stderr: '' });
  }, TIMEOUT);

  it.runIf(postgresAvailable)('hides the password of a DATABASE_URL it uses (PostgreSQL)', async () => {
    const url = new URL(POSTGRES_URL);
    url.password = 's3cret-pw';
    const run = await runCli(['status', '--json'], { DATABASE_URL: url.href });
    expect(run.stderr).toContain(`using DATABASE_URL: PostgreSQL postgres://${url.username}:***@${url.host}${url.pathname}`);
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  }, TIMEOUT);
});
