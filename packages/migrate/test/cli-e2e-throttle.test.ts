import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, runCli } from './cli-process.js';
import { POSTGRES_URL, postgresAvailable } from './postgres-server.js';


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-throttle-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('app-migrate events --max-replication-lag', () => {
  it('is refused, exit 2, on a value that is neither a time nor a size, and on a database without replicas (SQLite)', async () => {
    const file = join(dir, 'events.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, data_source TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT);
INSERT INTO events VALUES ('e1', 'zapier', NULL, '{"name":"Ola"}', '2026-01-01T00:00:00Z');`);
    db.close();
    const badValue = await runCli(['events', '--apply', '--max-replication-lag', '10 seconds', '--db', file]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--max-replication-lag: must be a time (10s, 500ms, 2min) or a size of log (64MB, 512kB, 1GB), got "10 seconds"');
    const sqlite = await runCli(['events', '--apply', '--max-replication-lag', '10s', '--db', file]);
    expect(sqlite.code).toBe(2);
    expect(sqlite.stderr).toMatch(/--max-replication-lag: .* has no replicas to watch/);
    // Refused before any DDL: not even the canonical_event column was added.
    const columns = new Database(file, { readonly: true }).prepare("SELECT name FROM pragma_table_info('events')").all();
    expect(columns).not.toContainEqual({ name: 'canonical_event' });
  });
});

const available = await postgresAvailable('the throttle CLI test');

describe.runIf(available)('app-migrate events --max-replication-lag on PostgreSQL', () => {
  const schema = `cli_throttle_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const slot = `test_throttle_slot_cli_${Math.random().toString(36).slice(2, 8)}`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  afterAll(async () => {
    await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('says what it watches, pauses while a replication slot is behind, says why, and goes on when it is gone', async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`);
    await pool.query(`CREATE TABLE ${schema}.campaigns (id text PRIMARY KEY, user_id text, data_source text)`);
    await pool.query(`CREATE TABLE ${schema}.integrations (id text PRIMARY KEY, user_id text, provider text)`);
    for (let n = 1; n <= 12; n++) {
      await pool.query(`INSERT INTO ${schema}.events VALUES ($1, 'zapier', NULL, $2, '2026-01-01T00:00:00Z')`, [`e${String(n).padStart(2, '0')}`, JSON.stringify({ name: `Person ${n}` })]);
    }
    const config = join(dir, 'pg.json');
    await writeFile(config, JSON.stringify({ schema }));
    // A slot no one reads, behind by the WAL of everything written after it: 1 kB is soon past.
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await pool.query(`CREATE TABLE ${schema}.filler AS SELECT g, repeat('x', 100) AS text FROM generate_series(1, 100) AS g`);

    const child = spawn(process.execPath, [bin, 'events', '--apply', '--max-replication-lag', '1kB', '--db', POSTGRES_URL, '--config', config], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let dropped: Promise<unknown> | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The standby is gone (rebuilt, removed) once the run has said it waits for it.
      if (dropped === undefined && stdout.includes('paused: ')) dropped = pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await dropped;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Throttle: watching slot ${slot}; the run pauses while one is past the limit, as now: replica slot ${slot} has`);
    expect(stdout).toMatch(new RegExp(`progress: 0\\.0% {2}0/12 events {2}paused: replica slot ${slot} has [\\d.,]+ (bytes|MB) of log to apply \\(limit 1,024 bytes\\)`));
    expect(stdout).toMatch(/Throttled: paused once for lagging replicas, \d+\.\d s in all\./);
    expect(stdout).toContain('Done: 12 events processed, 12 written, 0 failed');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.events WHERE canonical_event IS NOT NULL`);
    expect(rows[0].n).toBe(12);
  });

  it('throttles a campaigns --apply the same way, and writes once the slot is gone', async () => {
    const campaignSchema = `${schema}_campaigns`;
    const campaignSlot = `${slot}_c`;
    await pool.query(`CREATE SCHEMA ${campaignSchema}`);
    try {
      await pool.query(`CREATE TABLE ${campaignSchema}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`);
      await pool.query(`CREATE TABLE ${campaignSchema}.campaigns (id text PRIMARY KEY, user_id text, data_source text)`);
      await pool.query(`CREATE TABLE ${campaignSchema}.integrations (id text PRIMARY KEY, user_id text, provider text)`);
      await pool.query(`INSERT INTO ${campaignSchema}.integrations VALUES ('i1', 'u1', 'shopify'), ('i2', 'u2', 'stripe')`);
      await pool.query(`INSERT INTO ${campaignSchema}.campaigns VALUES ('c1', 'u1', 'shopify'), ('c2', 'u2', 'stripe'), ('c3', 'u1', 'shopify')`);
      const config = join(dir, 'pg-campaigns.json');
      await writeFile(config, JSON.stringify({ schema: campaignSchema }));
      await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [campaignSlot]);
      await pool.query(`CREATE TABLE ${campaignSchema}.filler AS SELECT g, repeat('x', 100) AS text FROM generate_series(1, 100) AS g`);

      const child = spawn(process.execPath, [bin, 'campaigns', '--apply', '--batch-size', '1', '--max-replication-lag', '1kB', '--db', POSTGRES_URL, '--config', config], {
        cwd: repoRoot,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      let dropped: Promise<unknown> | undefined;
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (dropped === undefined && stdout.includes('paused: ')) dropped = pool.query('SELECT pg_drop_replication_slot($1)', [campaignSlot]);
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      await dropped;
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`Throttle: watching slot ${campaignSlot}; the run pauses while one is past the limit, as now: replica slot ${campaignSlot} has`);
      expect(stdout).toMatch(new RegExp(`0/3 campaigns {2}paused: replica slot ${campaignSlot} has [\\d.,]+ (bytes|MB) of log to apply \\(limit 1,024 bytes\\)`));
      expect(stdout).toMatch(/Throttled: paused once for lagging replicas, \d+\.\d s in all\./);
      expect(stdout).toContain('Wrote data_sources_v2 of 3 campaigns.');
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${campaignSchema}.campaigns WHERE data_sources_v2 IS NOT NULL`);
      expect(rows[0].n).toBe(3);
    } finally {
      await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [campaignSlot]);
      await pool.query(`DROP SCHEMA IF EXISTS ${campaignSchema} CASCADE`);
    }
  });
});
