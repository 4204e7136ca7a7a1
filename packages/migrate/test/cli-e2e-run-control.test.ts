import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { bin, cli, repoRoot } from './cli-process.js';

// The built bin, spawned on SQLite files (the quickest database to start): how runs end, what
// they exit with, and how a killed run is taken over. Generous timeouts: CI runs many projects
// at once on two cores.
const TIMEOUT = 300_000;


/** Starts the bin and resolves once its stdout shows `marker` (the run is then past its first batch). */
function startCli(marker: string, ...args: string[]): Promise<{ child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; stdout: string }> }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(marker)) resolve({ child, exited });
    });
    void exited.then(({ code }) => reject(new Error(`the CLI exited (${code}) before printing "${marker}": ${stdout}`)));
  });
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const seed = conformanceSeed();

/** A SQLite file with the seed's campaigns and `events` events (the seed's 120 repeated; every 40th is unusable). */
function seedFile(file: string, events: number) {
  const database = new Database(file);
  return createSqliteStore({ database, createLegacyTables: true })
    .ensureSchema()
    .then(() => {
      const insert = database.prepare('INSERT INTO events (id, integration_type, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)');
      database.transaction(() => {
        for (let n = 0; n < events; n++) {
          const e = seed.events[n % seed.events.length]!;
          insert.run(`evt-${String(n + 1).padStart(6, '0')}`, e.integration_type, e.event_type, json(e.event_data), e.created_at);
        }
      })();
      const campaign = database.prepare('INSERT INTO campaigns (id, user_id, name, data_source, native_config, integration_settings, data_sources_v2) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const c of seed.campaigns) campaign.run(c.id, c.user_id, c.name, c.data_source, json(c.native_config), json(c.integration_settings), json(c.data_sources_v2));
      const integration = database.prepare('INSERT INTO integrations (id, user_id, provider, status, settings) VALUES (?, ?, ?, ?, ?)');
      for (const i of seed.integrations) integration.run(i.id, i.user_id, i.provider, i.status, json(i.settings));
    })
    .finally(() => database.close());
}

let dir: string;
let small: string;
let large: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-run-control-'));
  small = join(dir, 'small.db');
  large = join(dir, 'large.db');
  await seedFile(small, 120);
  // Enough rows that a run with --batch-size 1 is still going when the test stops it.
  await seedFile(large, 20_000);
}, TIMEOUT);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('app-migrate run control, end to end on SQLite', () => {
  it('exits with 1 when rows could not be migrated; sharded runs show in status and pass verify', async () => {
    const db = join(dir, 'shards.db');
    await copyFile(small, db);
    const dry = await cli('events', '--db', db);
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toContain('120 events processed, 117 would be written, 3 failed');
    for (const shard of ['1/2', '2/2']) {
      const applied = await cli('events', '--db', db, '--apply', '--shard', shard, '--batch-size', '20');
      expect(applied.code, applied.stderr).toBe(1);
      expect(applied.stdout).toContain('Failed rows (left without canonical_event');
    }
    const status = await cli('status', '--db', db);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('events:    117/120 with canonical_event');
    expect(status.stdout).not.toContain('last events run: none applied yet');
    // The SQLite store lists its runs: status shows the shards without being told their count, as --shards 2 does.
    const shards = await cli('status', '--db', db, '--shards', '2');
    for (const shown of [status.stdout, shards.stdout]) {
      expect(shown).toMatch(/events#1\/2: completed, cursor evt-000060, .*failed 1/);
      expect(shown).toMatch(/events#2\/2: completed, cursor evt-000120, .*failed 2/);
      expect(shown).toMatch(/events over 2 shards: 2\/2 completed, processed 120, written 117, .*failed 3/);
    }
    const verify = await cli('verify', '--db', db);
    // The events are explained; the campaigns have not run yet.
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toContain('117 migrated, 3 remaining (3 failed and reported)');
    expect(verify.stdout).toContain('NOT_MIGRATED: Campaign "campaign-1"');

    // Exit 1 on each: campaigns 2 and 3 are ambiguous and nobody decided them.
    const limited = await cli('campaigns', '--db', db, '--apply', '--limit', '1');
    expect(limited.code, limited.stderr).toBe(1);
    expect(limited.stdout).toContain('Wrote data_sources_v2 of 1 campaigns.');
    expect(limited.stdout).toContain('Stopped at --limit (run again with --resume to continue).');
    const resumed = await cli('campaigns', '--db', db, '--apply', '--resume');
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(resumed.stdout).toContain('Resumed after campaign campaign-1.');
    expect(resumed.stdout).toContain('Wrote data_sources_v2 of 1 campaigns.');
    expect(resumed.stdout).toContain('2 written in all, with the runs this one resumed.');
  }, TIMEOUT);

  it('exits with 130 when Ctrl-C stops a run, and --resume continues it', async () => {
    const db = join(dir, 'interrupted.db');
    await copyFile(large, db);
    const { child, exited } = await startCli('progress:', 'events', '--db', db, '--apply', '--batch-size', '1');
    child.kill('SIGINT');
    const stopped = await exited;
    expect(stopped.code, stopped.stdout).toBe(130);
    expect(stopped.stdout).toContain('Stopped (run again with --resume to continue)');
    const resumed = await cli('events', '--db', db, '--apply', '--resume');
    expect(resumed.stdout).toMatch(/Resumed after event evt-\d{6}\./);
    expect(resumed.stdout).toContain('20,000 events processed, 19,500 written, 500 failed');
    expect(resumed.code).toBe(1);
  }, TIMEOUT);

  it('--workers n runs the n shards side by side: Ctrl-C stops every worker, kill -9 then --takeover --workers n finishes, status --shards n adds them up', async () => {
    const db = join(dir, 'workers.db');
    await copyFile(large, db);
    for (const [args, message] of [
      [['--workers', '2', '--shard', '1/2'], '--workers: cannot be combined with --shard'],
      [['--workers', '2', '--limit', '10'], '--workers: cannot be combined with --limit'],
      [['--workers', '17'], '--workers: must be at most 16, got 17'],
      [['--workers', '0'], '--workers'],
      [['--writes-in-flight', '3'], '--writes-in-flight: must be 1 or 2, got "3"'],
      // A SQLite file writes one transaction at a time.
      [['--writes-in-flight', '2'], '--writes-in-flight: 2 needs a PostgreSQL or MySQL/MariaDB server'],
    ] as const) {
      const refused = await cli('events', '--db', db, '--apply', ...args);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    const interrupted = await startCli('progress:', 'events', '--db', db, '--apply', '--workers', '3', '--batch-size', '1');
    interrupted.child.kill('SIGINT');
    const stopped = await interrupted.exited;
    expect(stopped.code, stopped.stdout).toBe(130);
    expect(stopped.stdout).toContain('Stopped (run again with --resume to continue)');
    expect(stopped.stdout).toContain('Workers: 3 shards side by side');
    const killed = await startCli('progress:', 'events', '--db', db, '--apply', '--resume', '--workers', '3', '--batch-size', '1');
    killed.child.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    const refused = await cli('events', '--db', db, '--apply', '--resume', '--workers', '3');
    expect(refused.code, refused.stderr).toBe(3);
    const finished = await cli('events', '--db', db, '--apply', '--resume', '--takeover', '--workers', '3');
    expect(finished.stderr.match(/WARNING: --takeover: took over the lease of "events#\d\/3"/g)).toHaveLength(3);
    expect(finished.stdout).toContain('20,000 events processed, 19,500 written, 500 failed');
    expect(finished.code).toBe(1);
    const status = await cli('status', '--db', db, '--shards', '3');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('events:    19,500/20,000 with canonical_event');
  }, TIMEOUT);

  it('after kill -9, --resume is refused with the expiry and the way out; --takeover continues at once', async () => {
    const db = join(dir, 'killed.db');
    await copyFile(large, db);
    const { child, exited } = await startCli('progress:', 'events', '--db', db, '--apply', '--batch-size', '1');
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const refused = await cli('events', '--db', db, '--apply', '--resume');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/its lease expires at \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(refused.stderr).toContain('run again with --takeover');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const takenOver = await cli('events', '--db', db, '--apply', '--resume', '--takeover');
    expect(takenOver.stderr).toContain('WARNING: --takeover: took over the lease of "events" from runner-');
    expect(takenOver.stdout).toMatch(/Resumed after event evt-\d{6}\./);
    expect(takenOver.stdout).toContain('20,000 events processed, 19,500 written, 500 failed');
    expect(takenOver.code).toBe(1);
    // The lease was released at the end: a plain run is no longer refused.
    expect((await cli('events', '--db', db, '--apply', '--resume')).code).toBe(1);
  }, TIMEOUT);

  it('--takeover while the old runner still writes: the old one stops with LEASE_LOST before its next batch and the counts add up; a run beside a shard run is refused with exit 8', async () => {
    const db = join(dir, 'overlap.db');
    await copyFile(large, db);
    const old = await startCli('progress:', 'events', '--db', db, '--apply', '--batch-size', '1');
    const takenOver = await cli('events', '--db', db, '--apply', '--resume', '--takeover');
    expect(takenOver.stderr).toContain('WARNING: --takeover: took over the lease of "events" from runner-');
    expect(takenOver.stdout).toContain('20,000 events processed, 19,500 written, 500 failed');
    expect(takenOver.code).toBe(1);
    const stopped = await old.exited;
    expect(stopped.code).toBe(3);
    const database = new Database(db, { readonly: true });
    try {
      expect(database.prepare('SELECT COUNT(*) AS n FROM events WHERE canonical_event IS NOT NULL').get()).toEqual({ n: 19_500 });
      const row = database.prepare("SELECT counts FROM migration_runs WHERE run_key = 'events'").get() as { counts: string };
      expect(JSON.parse(row.counts)).toMatchObject({ processed: 20_000, written: 19_500, failed: 500 });
    } finally {
      database.close();
    }

    const sharded = join(dir, 'overlap-shard.db');
    await copyFile(large, sharded);
    const shard = await startCli('progress:', 'events', '--db', sharded, '--apply', '--shard', '1/2', '--batch-size', '1');
    const beside = await cli('events', '--db', sharded, '--apply');
    expect(beside.code).toBe(8);
    expect(beside.stderr).toContain('Run "events#1/2"');
    shard.child.kill('SIGTERM');
    expect((await shard.exited).code).toBe(130);
  }, TIMEOUT);

  it('refuses --batch-size above 10,000 before touching the database', async () => {
    const refused = await cli('events', '--db', join(dir, 'never-created.db'), '--apply', '--batch-size', '12000');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--batch-size: must be at most 10,000');
    expect(refused.stderr).not.toContain('SQL variables');
  }, TIMEOUT);
});
