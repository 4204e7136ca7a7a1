import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventMigrationReportSchema } from '../src/index.js';
import { conformanceSeed } from '../src/conformance-seed.js';
import { bin, cli } from './cli-process.js';

// The CLI as users run it: the built bin, spawned, on an embedded PGlite database directory.
// It loads @app/adapter-postgres and @electric-sql/pglite from the project it runs in (the
// repository root here), exactly as from a user's project. Every spawn starts PGlite afresh
// (seconds each on a loaded machine), so the test keeps to one spawn per behaviour and has a
// generous timeout: CI runs many projects at once on two cores.
const TIMEOUT = 300_000;


let dir: string;
let db: string;

beforeAll(async () => {
  expect(existsSync(bin), 'build @app/migrate first (pnpm build)').toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-e2e-'));
  db = join(dir, 'db');
  // Seed the database the way production looks: legacy tables and rows, no canonical_event
  // column, no runs or flags tables (data_sources_v2 was added earlier: one campaign has it).
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(db);
  await pglite.exec(`CREATE TABLE events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz);
CREATE TABLE campaigns (id text PRIMARY KEY, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb, data_sources_v2 jsonb);
CREATE TABLE integrations (id text PRIMARY KEY, user_id text, provider text, status text, settings jsonb, deleted_at timestamptz);`);
  const seed = conformanceSeed();
  await pglite.query(
    `INSERT INTO events (id, integration_type, event_type, event_data, created_at)
     SELECT id, integration_type, event_type, event_data, created_at FROM jsonb_to_recordset($1::jsonb)
     AS t(id text, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`,
    [JSON.stringify(seed.events)],
  );
  await pglite.query(
    `INSERT INTO campaigns (id, user_id, name, data_source, native_config, integration_settings, data_sources_v2)
     SELECT id, user_id, name, data_source, native_config, integration_settings, data_sources_v2 FROM jsonb_to_recordset($1::jsonb)
     AS t(id text, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb, data_sources_v2 jsonb)`,
    [JSON.stringify(seed.campaigns)],
  );
  await pglite.query(
    `INSERT INTO integrations (id, user_id, provider, status, settings)
     SELECT id, user_id, provider, status, settings FROM jsonb_to_recordset($1::jsonb)
     AS t(id text, user_id text, provider text, status text, settings jsonb)`,
    [JSON.stringify(seed.integrations)],
  );
  await pglite.close();
}, TIMEOUT);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The columns of the database's public schema, read in-process between two CLI runs. */
async function catalog(): Promise<unknown[]> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(db);
  try {
    const { rows } = await pglite.query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`);
    return rows;
  } finally {
    await pglite.close();
  }
}

describe('app-migrate end to end on PGlite', () => {
  it('runs the whole workflow: init, campaigns review and apply, events dry run, apply, resume, verify, flags', async () => {
    // Before init, the preview runs read-only (nothing migrated yet), changing nothing: not even DDL.
    const untouched = await catalog();
    const preview = await cli('events', '--db', db);
    expect(preview.code, preview.stderr).toBe(1);
    expect(preview.stdout).toContain('120 events processed, 117 would be written, 3 failed');
    const early = await cli('status', '--db', db);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toContain('events:    0/120 with canonical_event');
    expect(await catalog()).toEqual(untouched);

    const init = await cli('init', '--db', db);
    expect(init.code, init.stderr).toBe(0);
    for (const item of [
      'column events.canonical_event',
      'table migration_runs',
      'table feature_flags',
      'table feature_flag_changes',
      'table feature_flag_metrics',
      'row-level security on feature_flags',
      'row-level security on feature_flag_changes',
      'row-level security on feature_flag_metrics',
      'system flag v2_canonical_system',
    ]) {
      expect(init.stdout).toContain(`  ${item}\n`);
    }
    expect(init.stdout).toContain('The schema is ready');
    expect((await cli('init', '--db', db)).stdout).toContain('Nothing to add: the migration schema is already in place.');

    const before = await cli('status', '--db', db);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('events:    0/120 with canonical_event');

    const plan = await cli('campaigns', '--db', db, '--report', join(dir, 'plan.json'), '--report', join(dir, 'plan.md'), '--resolutions-template', join(dir, 'decisions.json'));
    // Exit 1: two campaigns would be left undecided (the same rule as events with failing rows).
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('5 campaigns: migrated 2, already_migrated 1, ambiguous 2');
    expect(plan.stdout).toContain('2 campaigns would be left without data_sources_v2 and undecided (exit 1)');
    expect(plan.stdout).toMatch(/campaign-2\s+NO_MATCHING_INTEGRATION/);
    expect(await readFile(join(dir, 'plan.md'), 'utf8')).toContain('campaign-3');
    expect(JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'))).toMatchObject({ format: 'campaign-migration-report', summary: { writes: 2 } });

    const template = JSON.parse(await readFile(join(dir, 'decisions.json'), 'utf8'));
    expect(Object.keys(template.resolutions).sort()).toEqual(['campaign-2', 'campaign-3']);
    template.resolutions['campaign-2'] = 'native';
    await writeFile(join(dir, 'decisions.json'), JSON.stringify(template));
    const applied = await cli('campaigns', '--db', db, '--apply', '--resolutions', join(dir, 'decisions.json'));
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Wrote data_sources_v2 of 3 campaigns.');

    const dry = await cli('events', '--db', db, '--report', join(dir, 'dry.json'), '--batch-size', '25');
    // 1: three rows cannot be migrated.
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('dry run');
    expect(dry.stdout).toContain('120 events processed, 117 would be written, 3 failed');
    expect(dry.stdout).toContain('progress:');
    const dryReport = EventMigrationReportSchema.parse(JSON.parse(await readFile(join(dir, 'dry.json'), 'utf8')));
    expect(dryReport.failures.map((f) => f.id)).toEqual(['evt-0040', 'evt-0080', 'evt-0120']);
    expect((await cli('status', '--db', db)).stdout).toContain('events:    0/120 with canonical_event');

    const limited = await cli('events', '--db', db, '--apply', '--batch-size', '10', '--limit', '30');
    expect(limited.code).toBe(0);
    expect(limited.stdout).toContain('Stopped at --limit');
    const resumed = await cli('events', '--db', db, '--apply', '--resume', '--batch-size', '10', '--report', join(dir, 'events.json'));
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toContain('Resumed after event evt-0030.');
    expect(resumed.stdout).toContain('120 events processed, 117 written, 3 failed');

    const verify = await cli('verify', '--db', db, '--sample', '50', '--resolutions', join(dir, 'decisions.json'));
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('events:    117 migrated, 3 remaining (3 failed and reported)');
    expect(verify.stdout).toContain('OK: every event is migrated or reported');

    const set = await cli('flags', 'set', 'v2_canonical_system', '--enabled', '--rollout', '10', '--actor', 'ops@example.com', '--db', db);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/v2_canonical_system\s+enabled\s+10 %\s+Rolling out 10 %\s+\[system\]/);
    expect(set.stdout).toMatch(/recorded #\d+\s+\S+\s+v2_canonical_system {2}enabled false -> true {2}by ops@example\.com/);
    expect(set.stdout).toContain('Next stage of the rollout: 50 %');
    // Skipping the 50 % stage needs --force; without it nothing is written.
    const jump = await cli('flags', 'set', 'v2_canonical_system', '--rollout', '100', '--db', db);
    expect(jump).toMatchObject({ code: 2, stdout: expect.stringContaining('Warning (jumping): Jumps from 10 % to 100 %, past the 50 % stage'), stderr: expect.stringContaining('run it again with --force') });
    const rollback = await cli('flags', 'rollback', 'v2_canonical_system', '--db', db);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/v2_canonical_system\s+disabled\s+0 %\s+Off/);
    expect(rollback.stdout).toMatch(/rollout_percentage 10 -> 0 .*\n.*enabled true -> false/);
    const created = await cli('flags', 'create', 'beta_banner', '--description', 'A <b>banner</b>', '--actor', 'alice', '--db', db);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/beta_banner\s+disabled\s+0 %\s+Off\n\s+recorded #\d+.*beta_banner {2}created {2}by alice/);
    const badName = await cli('flags', 'create', '<script>', '--db', db);
    expect(badName).toMatchObject({ code: 2, stderr: expect.stringContaining('name must be a letter or digit') });

    const history = await cli('flags', 'history', '--db', db);
    expect(history.code, history.stderr).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines.map((line) => line.replace(/^#\d+\s+\S+\s+/, ''))).toEqual([
      'beta_banner  created  by alice',
      expect.stringMatching(/^v2_canonical_system {2}enabled true -> false {2}by \S+$/),
      expect.stringMatching(/^v2_canonical_system {2}rollout_percentage 10 -> 0 {2}by \S+$/),
      'v2_canonical_system  rollout_percentage 0 -> 10  by ops@example.com',
      'v2_canonical_system  enabled false -> true  by ops@example.com',
    ]);
    // Undo the rollback's "disable": re-enabling at 0 % changes no exposure, so no --force.
    const disableId = /^#(\d+)/.exec(lines[1]!)![1]!;
    const revert = await cli('flags', 'revert', disableId, '--actor', 'bob', '--db', db);
    expect(revert.code, revert.stderr).toBe(0);
    expect(revert.stdout).toMatch(new RegExp(`enabled false -> true \\(reverts #${disableId}\\) {2}by bob`));
    const again = await cli('flags', 'revert', disableId, '--actor', 'bob', '--db', db);
    expect(again).toMatchObject({ code: 6, stderr: expect.stringContaining('changed meanwhile (enabled)') });

    const list = await cli('flags', 'list', '--db', db);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(10);
    expect(list.stdout).toMatch(/beta_banner\s+disabled\s+0 %\s+Off\n\s+Off: nobody gets the feature\. Start the rollout at 10 %/);
    expect(list.stdout).toMatch(/v2_canonical_system\s+enabled\s+0 %\s+Off \(enabled at 0 %\)\s+\[system\]/);
  }, TIMEOUT);
});
