import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { runCli } from './cli-process.js';
import { POSTGRES_URL, postgresAvailable } from './postgres-server.js';

// What progress and status say about runs that stop at --limit, resume, re-run with nothing to
// write, or start over with --takeover: the built bin on the real PostgreSQL server, in a schema
// of its own. Issue 12, defect 5.
const TIMEOUT = 300_000;

const available = await postgresAvailable('the progress and status CLI test');

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const seed = conformanceSeed();

/** The last progress line a run printed into a pipe. */
const lastProgress = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('progress:')).at(-1);

describe.runIf(available)('progress and status after --limit, --resume, no-op re-runs and --takeover (PostgreSQL)', () => {
  const schema = `fc_progress_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  let dir: string;
  let config: string;
  const cli = (...args: string[]) => runCli([...args, '--db', POSTGRES_URL, '--config', config]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-migrate-progress-'));
    config = join(dir, 'migrate.json');
    await writeFile(config, JSON.stringify({ schema }));
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`);
    await pool.query(`CREATE TABLE ${schema}.campaigns (id text PRIMARY KEY, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb, data_sources_v2 jsonb)`);
    await pool.query(`CREATE TABLE ${schema}.integrations (id text PRIMARY KEY, user_id text, provider text, status text, settings jsonb, deleted_at timestamptz)`);
    for (const e of seed.events) {
      await pool.query(`INSERT INTO ${schema}.events VALUES ($1, $2, $3, $4, $5)`, [e.id, e.integration_type, e.event_type, json(e.event_data), e.created_at]);
    }
    for (const c of seed.campaigns) {
      await pool.query(`INSERT INTO ${schema}.campaigns VALUES ($1, $2, $3, $4, $5, $6, $7)`, [c.id, c.user_id, c.name, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2)]);
    }
    for (const i of seed.integrations) {
      await pool.query(`INSERT INTO ${schema}.integrations (id, user_id, provider, status, settings) VALUES ($1, $2, $3, $4, $5)`, [i.id, i.user_id, i.provider, i.status, json(i.settings)]);
    }
    expect((await cli('init')).code).toBe(0);
  }, TIMEOUT);

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('events: a --limit run ends without an ETA and status says it stopped; --resume reaches its total; re-runs and --takeover keep the real run in status', async () => {
    // evt-0040 fails (unusable on purpose) before the limit's cursor, evt-0050.
    const limited = await cli('events', '--apply', '--batch-size', '10', '--limit', '50');
    expect(limited.code, limited.stderr).toBe(1);
    expect(lastProgress(limited.stdout)).toBe('progress: stopped at --limit  50/120 events  failed 1');
    const stopped = await cli('status');
    expect(stopped.stdout).toMatch(/last events run: stopped at --limit \(--resume continues it\), cursor evt-0050, processed 50, written 49/);
    expect(stopped.stdout).not.toContain('last events run: running');

    const resumed = await cli('events', '--apply', '--resume', '--batch-size', '10');
    expect(resumed.stdout).toContain('120 events processed, 117 written, 3 failed');
    // Not 120/121: evt-0040 is still selected but was processed by the run this one resumes.
    expect(lastProgress(resumed.stdout)).toBe('progress: done  120/120 events  failed 3');
    const completed = await cli('status');
    expect(completed.stdout).toMatch(/last events run: completed, cursor evt-0120, processed 120, written 117, .*failed 3/);

    // A re-run finds only the three rows that fail every time: it writes nothing, and status still shows the run that did.
    const rerun = await cli('events', '--apply');
    expect(rerun.stdout).toContain('3 events processed, 0 written, 3 failed');
    const afterRerun = await cli('status');
    expect(afterRerun.stdout).toMatch(
      /last events run: completed, cursor evt-0120, processed 3, written 0, .*failed 3, .* \(1 earlier run kept\); it wrote nothing\. Last run that wrote rows: completed, cursor evt-0120, processed 120, written 117/,
    );
    // --takeover without --resume starts over as well: the run before it is kept, not replaced.
    const takeover = await cli('events', '--apply', '--takeover');
    expect(takeover.stdout).toContain('3 events processed, 0 written, 3 failed');
    const afterTakeover = await cli('status');
    expect(afterTakeover.stdout).toMatch(/\(2 earlier runs kept\); it wrote nothing\. Last run that wrote rows: completed, cursor evt-0120, processed 120, written 117/);
  }, TIMEOUT);

  it('events: acknowledged failures are skipped until --retry-failed, and only new failures fail the run', async () => {
    // The three rows that fail every time are listed by the last run: acknowledged, they are skipped.
    const acknowledged = await cli('events', '--apply', '--acknowledge-failures');
    expect(acknowledged.code, acknowledged.stdout + acknowledged.stderr).toBe(0);
    expect(acknowledged.stdout).toContain('Acknowledged failures: 3 known failed rows skipped, 0 new failures');
    // A new row that cannot be migrated: the mode is kept without the flag, and the new failure fails the run.
    await pool.query(`INSERT INTO ${schema}.events VALUES ('evt-0121', 'shopify', 'order', '"not an object"', now())`);
    const fresh = await cli('events', '--apply');
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toContain('Acknowledged failures: 3 known failed rows skipped, 1 new failures');
    expect(JSON.parse((await cli('events', '--json')).stdout)).toMatchObject({ mode: 'dry-run', counts: { processed: 4, skipped: 4, newFailed: 0, failed: 0 } });
    const quiet = await cli('events', '--apply');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('4 known failed rows skipped, 0 new failures');
    // Retried after a fix: the fixed row is written, the rest fail again, still known: exit 0.
    await pool.query(`UPDATE ${schema}.events SET event_data = '{"id": 121, "total_price": "5.00", "currency": "USD", "created_at": "2025-01-15T10:30:00Z"}' WHERE id = 'evt-0121'`);
    const retried = await cli('events', '--apply', '--retry-failed', '--json');
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ counts: { processed: 4, written: 1, failed: 3, skipped: 0, newFailed: 0 } });
    expect((await cli('status')).stdout).toContain('events:    118/121 with canonical_event');
  }, TIMEOUT);

  it('campaigns: progress counts the campaigns processed, not the writes; a no-op re-run keeps the run that wrote in status', async () => {
    const resolutions = join(dir, 'resolutions.json');
    await writeFile(resolutions, JSON.stringify({ schemaVersion: 1, resolutions: { 'campaign-2': 'native', 'campaign-3': 'skip' } }));
    const applied = await cli('campaigns', '--apply', '--resolutions', resolutions, '--batch-size', '1');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Wrote data_sources_v2 of 3 campaigns.');
    // Five campaigns processed (one already migrated, one skipped), three written: not "3/3".
    expect(lastProgress(applied.stdout)).toBe('progress: done  5/5 campaigns  written 3');
    const again = await cli('campaigns', '--apply', '--resolutions', resolutions);
    expect(again.stdout).toContain('Wrote data_sources_v2 of 0 campaigns.');
    expect(lastProgress(again.stdout)).toBe('progress: done  5/5 campaigns  written 0');
    const status = await cli('status');
    expect(status.stdout).toMatch(/last campaigns run: completed, .*written 0, .*\(1 earlier run kept\); it wrote nothing\. Last run that wrote rows: completed, .*written 3/);
  }, TIMEOUT);
});
