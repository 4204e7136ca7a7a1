import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { bin, cli } from './cli-process.js';

// The built bin on a SQLite file and on the real MariaDB server: --db picks the adapter from the URL,
// loaded from the project the CLI runs in (the repository root here), as from a user's project.
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';


const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const seed = conformanceSeed();

/**
 * The whole workflow on one database holding only the legacy tables: a read-only dry run and
 * status before init, init, dry run, apply, resume after a limited run, status, verify, flags.
 */
async function runWorkflow(db: string) {
  // The safe preview needs no init: read-only, nothing migrated yet (exit 1: three rows would fail).
  const preview = await cli('events', '--db', db);
  expect(preview.code, preview.stderr).toBe(1);
  expect(preview.stdout).toContain('120 events processed, 117 would be written, 3 failed');
  // What the popups will say, before anything is written: counts per kind and a sample of each.
  expect(preview.stdout).toMatch(/\nEvent kinds: [a-z]+ [\d,]+/);
  expect(preview.stdout).toMatch(/\nSamples \(one per kind; --report FILE keeps up to 3 of each\):\n {2}[a-z]+ {2}\S+ {2}\S+=/);
  const status0 = await cli('status', '--db', db);
  expect(status0.code, status0.stderr).toBe(0);
  expect(status0.stdout).toContain('events:    0/120 with canonical_event');
  // Exit 1, as for events: two campaigns would be left undecided.
  expect((await cli('campaigns', '--db', db)).code).toBe(1);
  // flags list reads the flags table, which only init creates.
  const flagsBefore = await cli('flags', 'list', '--db', db);
  expect(flagsBefore.code, flagsBefore.stderr).toBe(5);
  expect(flagsBefore.stderr).toContain('table migration_runs, table feature_flags');
  const init = await cli('init', '--db', db);
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toMatch(/Added \d+:\n {2}column events\.canonical_event\n {2}table migration_runs\n {2}table feature_flags\n {2}table feature_flag_changes\n {2}table feature_flag_metrics\n {2}system flag v2_canonical_system\n/);
  const dry = await cli('events', '--db', db, '--batch-size', '25');
  // 1: three rows cannot be migrated (they are listed).
  expect(dry.code, dry.stderr).toBe(1);
  expect(dry.stdout).toContain('120 events processed, 117 would be written, 3 failed');
  const limited = await cli('events', '--db', db, '--apply', '--batch-size', '10', '--limit', '30');
  expect(limited.code, limited.stderr).toBe(0);
  const resumed = await cli('events', '--db', db, '--apply', '--resume', '--batch-size', '10');
  expect(resumed.code, resumed.stderr).toBe(1);
  expect(resumed.stdout).toContain('Resumed after event evt-0030.');
  expect(resumed.stdout).toContain('120 events processed, 117 written, 3 failed');
  const status = await cli('status', '--db', db);
  expect(status.stdout).toContain('events:    117/120 with canonical_event');
  const campaigns = await cli('campaigns', '--db', db, '--apply');
  expect(campaigns.code, campaigns.stderr).toBe(1);
  expect(campaigns.stdout).toContain('2 campaigns are left without data_sources_v2 and undecided (exit 1)');
  // Two campaigns are ambiguous and nobody decided them: verify lists them and fails.
  const verify = await cli('verify', '--db', db, '--sample', '50');
  expect(verify.code, verify.stdout + verify.stderr).toBe(1);
  expect(verify.stdout).toContain('117 migrated, 3 remaining (3 failed and reported)');
  expect(verify.stdout).toMatch(/UNDECIDED: Campaign "campaign-2".*\n.*UNDECIDED: Campaign "campaign-3"/);
  expect(verify.stdout).toContain('NOT OK');
  const set = await cli('flags', 'set', 'testimonial_system', '--enabled', '--rollout', '10', '--db', db);
  expect(set.stdout).toMatch(/testimonial_system\s+enabled\s+10 %/);
  const bad = await cli('flags', 'set', 'testimonial_system', '--rollout', '150', '--db', db);
  expect(bad.code).toBe(2);
  const unknown = await cli('flags', 'set', 'no_such_flag', '--enabled', '--db', db);
  expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('no feature flag is named "no_such_flag"') });
  const lowering = await cli('flags', 'set', 'testimonial_system', '--rollout', '0', '--actor', 'ops', '--db', db);
  expect(lowering).toMatchObject({ code: 2, stdout: expect.stringContaining('Warning (lowering)'), stderr: expect.stringContaining('--force') });
  const history = await cli('flags', 'history', 'testimonial_system', '--db', db);
  expect(history.code, history.stderr).toBe(0);
  expect(history.stdout.trim().split('\n')).toHaveLength(2);
  expect(history.stdout).toMatch(/^#\d+\s+\S+\s+testimonial_system {2}rollout_percentage 0 -> 10 {2}by \S+\n#\d+\s+\S+\s+testimonial_system {2}enabled false -> true {2}by \S+\n$/);
}

describe('app-migrate end to end on a SQLite file (--db sqlite:<file> and <file>.db)', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-migrate-sqlite-'));
    file = join(dir, 'social-proof.db');
    const database = new Database(file);
    // The legacy tables as production has them (data_sources_v2 was added earlier: one campaign has it).
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

  it('runs the workflow, then reads the same file given as a plain .db path', async () => {
    await runWorkflow(`sqlite:${file}`);
    const status = await cli('status', '--db', file);
    expect(status.stdout).toContain(`SQLite ${file}`);
    expect(status.stdout).toContain('events:    117/120 with canonical_event');
  }, 300_000);
});

const mariadbAvailable = await mysql
  .createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })
  .then(async (connection) => {
    await connection.end();
    return true;
  })
  .catch((error: Error) => {
    if (process.env.REQUIRE_MARIADB === '1') throw new Error(`the CLI's MariaDB test needs the server at ${MYSQL_URL}: ${error.message}`);
    console.warn(`@app/migrate: skipping the MariaDB CLI test (${error.message}); REQUIRE_MARIADB=1 makes this a failure.`);
    return false;
  });

describe.runIf(mariadbAvailable)('app-migrate end to end on MariaDB (--db mysql://…)', () => {
  const name = `cli_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  let admin: mysql.Pool;
  beforeAll(async () => {
    admin = mysql.createPool({ uri: MYSQL_URL });
    await admin.query(`CREATE DATABASE \`${name}\``);
    const pool = mysql.createPool({ uri: url.href, supportBigNumbers: true, bigNumberStrings: true });
    // The legacy tables as production has them (data_sources_v2 was added earlier: one campaign has it).
    await pool.query(
      'CREATE TABLE events (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data JSON, created_at DATETIME(3)) DEFAULT CHARSET = utf8mb4',
    );
    await pool.query(
      'CREATE TABLE campaigns (id VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY, user_id VARCHAR(64), name VARCHAR(200), data_source VARCHAR(50), native_config JSON, integration_settings JSON, data_sources_v2 JSON) DEFAULT CHARSET = utf8mb4',
    );
    await pool.query('CREATE TABLE integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50), status VARCHAR(20), settings JSON, deleted_at DATETIME(3)) DEFAULT CHARSET = utf8mb4');
    await pool.query('INSERT INTO events (id, integration_type, event_type, event_data, created_at) VALUES ?', [
      seed.events.map((e) => [e.id, e.integration_type, e.event_type, json(e.event_data), new Date(e.created_at)]),
    ]);
    await pool.query('INSERT INTO campaigns (id, user_id, name, data_source, native_config, integration_settings, data_sources_v2) VALUES ?', [
      seed.campaigns.map((c) => [c.id, c.user_id, c.name, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2)]),
    ]);
    await pool.query('INSERT INTO integrations (id, user_id, provider, status, settings) VALUES ?', [
      seed.integrations.map((i) => [i.id, i.user_id, i.provider, i.status, json(i.settings)]),
    ]);
    await pool.end();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  });

  it('runs the workflow over mysql2, and hides the password in messages', async () => {
    await runWorkflow(url.href);
    const withPassword = new URL(url.href);
    withPassword.password = 'wrong-secret';
    const refused = await cli('status', '--db', withPassword.href);
    expect(refused.code).toBe(70);
    expect(refused.stderr).not.toContain('wrong-secret');
  }, 300_000);

  it('watches the replicas the config lists for --max-replication-lag, and refuses it without them, before any DDL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-migrate-replicas-'));
    try {
      const fresh = new URL(url.href);
      fresh.pathname = `/${name}_replicas`;
      await admin.query(`CREATE DATABASE \`${name}_replicas\``);
      await admin.query(`CREATE TABLE \`${name}_replicas\`.events (id VARCHAR(64) PRIMARY KEY, integration_type VARCHAR(50), event_type VARCHAR(100), event_data JSON, created_at DATETIME(3))`);
      await admin.query(`CREATE TABLE \`${name}_replicas\`.campaigns (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), data_source VARCHAR(50))`);
      await admin.query(`CREATE TABLE \`${name}_replicas\`.integrations (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), provider VARCHAR(50))`);
      const columns = async () => (await admin.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'events'`, [`${name}_replicas`]))[0];
      const before = await columns();
      // Without replicas in the config: nothing to watch on a MySQL/MariaDB server.
      const unwatched = await cli('events', '--apply', '--max-replication-lag', '10s', '--db', fresh.href);
      expect(unwatched.code).toBe(2);
      expect(unwatched.stderr).toContain('--max-replication-lag: MySQL/MariaDB');
      expect(unwatched.stderr).toContain('"replicas": ["mysql://…"]');
      // The primary listed as a replica (a configuration mistake): its connection is asked, and it says it is no replica.
      const config = join(dir, 'replicas.json');
      const primary = new URL(MYSQL_URL);
      await writeFile(config, JSON.stringify({ replicas: [{ name: 'replica-eu', url: primary.href }] }));
      const mistaken = await cli('events', '--apply', '--max-replication-lag', '10s', '--db', fresh.href, '--config', config);
      expect(mistaken.code).not.toBe(0);
      expect(mistaken.stderr).toContain('replica-eu is not a replica: SHOW REPLICA STATUS returned no row');
      // Both refused before any DDL: no canonical_event column was added.
      expect(await columns()).toEqual(before);
      // The same config on a PostgreSQL target is refused: replicas apply to MySQL/MariaDB only.
      const elsewhere = await cli('status', '--db', 'postgres://127.0.0.1:1/none', '--config', config);
      expect(elsewhere.code).toBe(2);
      expect(elsewhere.stderr).toContain('$.replicas applies to MySQL/MariaDB only');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}_replicas\``);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// A server listening is enough: the test is about a database that does not exist on it.
const postgresAvailable = await new Promise<boolean>((resolve, reject) => {
  const { hostname, port } = new URL(POSTGRES_URL);
  const socket = connect({ host: hostname, port: Number(port || 5432), timeout: 3000 });
  const give = (available: boolean, reason?: string) => {
    socket.destroy();
    if (!available && process.env.REQUIRE_POSTGRES === '1') return reject(new Error(`the CLI's PostgreSQL test needs the server at ${POSTGRES_URL}: ${reason}`));
    if (!available) console.warn(`@app/migrate: skipping the PostgreSQL CLI test (${reason}); REQUIRE_POSTGRES=1 makes this a failure.`);
    resolve(available);
  };
  socket.once('connect', () => give(true));
  socket.once('timeout', () => give(false, 'connection timed out'));
  socket.once('error', (error) => give(false, error.message));
});

describe.runIf(postgresAvailable)('app-migrate on a PostgreSQL server (--db postgres://…)', () => {
  it('names a database that does not exist in one line, password hidden, exit 70, no stack', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/no_such_db_${Date.now().toString(36)}`;
    url.password = 's3cret';
    const refused = await cli('status', '--db', url.href);
    expect(refused.code, refused.stderr).toBe(70);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`app-migrate status: PostgreSQL postgres://${url.username}:***@${url.host}${url.pathname}`);
    expect(lines[0]).toContain(`database "${url.pathname.slice(1)}" does not exist`);
    expect(refused.stderr).not.toContain('s3cret');
    expect(refused.stderr).not.toContain('unexpected error');
  }, 300_000);
});
