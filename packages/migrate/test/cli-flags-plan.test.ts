import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { changeFlagPlan, flagVersion } from '../src/index.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
let dir: string;
let db: string;
let clock = T0;

/** The CLI in-process on a SQLite file, with a clock the test moves. */
async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, now: () => clock });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-plan-'));
  db = join(dir, 'flags.db');
  const database = new Database(db);
  try {
    await createSqliteStore({ database, createLegacyTables: true }).ensureSchema();
  } finally {
    database.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('app-migrate flags plan', () => {
  it("starts the seed's plan, follows the clock on sync, pauses, resumes, advances and rolls back, each in the history", async () => {
    const started = await run('flags', 'plan', 'start', 'testimonial_system', '--actor', 'alice', '--db', db);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain('testimonial_system: enabled, row at 10 %');
    expect(started.stdout).toContain('plan running, now 10 %: [10 % 24h] -> 50 % 48h -> 100 % 1w; next stage in 24 h');
    expect(started.stdout).toContain('last decision: started by alice at 2026-03-02T09:00:00.000Z');

    clock = T0 + 30 * HOUR;
    const synced = await run('flags', 'plan', 'sync', 'testimonial_system', '--actor', 'cron', '--db', db);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('recorded #');
    expect(synced.stdout).toContain('rollout_percentage 10 -> 50 by cron');
    expect(synced.stdout).toContain('row at 50 %');

    expect((await run('flags', 'plan', 'pause', 'testimonial_system', '--actor', 'bob', '--db', db)).stdout).toContain('plan paused, now 50 %');
    expect(await run('flags', 'plan', 'pause', 'testimonial_system', '--actor', 'bob', '--db', db)).toMatchObject({ code: 2, stderr: expect.stringContaining('not running') });
    clock = T0 + 200 * HOUR;
    const resumed = await run('flags', 'plan', 'resume', 'testimonial_system', '--actor', 'bob', '--db', db);
    // 6 h of the 48 h hold were spent before the pause: 42 h remain.
    expect(resumed.stdout).toContain('plan running, now 50 %: 10 % 24h -> [50 % 48h] -> 100 % 1w; next stage in 42 h');
    expect((await run('flags', 'plan', 'advance', 'testimonial_system', '--actor', 'bob', '--db', db)).stdout).toContain('row at 100 %');
    const rolledBack = await run('flags', 'plan', 'rollback', 'testimonial_system', '--actor', 'carol', '--db', db);
    expect(rolledBack.stdout).toContain('testimonial_system: disabled, row at 0 %');
    expect(rolledBack.stdout).toContain('plan rolled back, now 0 %');

    const history = await run('flags', 'history', 'testimonial_system', '--db', db);
    expect(history.stdout.split('\n').filter((line) => line.includes(' metadata '))).toHaveLength(5);
    expect(history.stdout).toContain('"decision":"rolled back by carol at 2026-03-10T17:00:00.000Z"');
  });

  it('refuses a change decided on an older version of the flag (two writers): --expect-version in the CLI, expectedVersion in the library', async () => {
    clock = T0;
    expect((await run('flags', 'plan', 'start', 'v2_canonical_system', '--actor', 'alice', '--db', db)).code).toBe(0);
    const shown = await run('flags', 'plan', 'show', 'v2_canonical_system', '--db', db);
    const version = /version (\S+) /.exec(shown.stdout)?.[1];
    expect(version, shown.stdout).toMatch(/^2026-\S+Z~[0-9a-f]{8}$/);
    // Both writers decided on the plan they saw: the first change lands, the second is refused (exit 6) and writes nothing.
    expect(await run('flags', 'plan', 'pause', 'v2_canonical_system', '--expect-version', version!, '--actor', 'bob', '--db', db)).toMatchObject({ code: 0 });
    const second = await run('flags', 'plan', 'advance', 'v2_canonical_system', '--expect-version', version!, '--actor', 'carol', '--db', db);
    expect(second.code).toBe(6);
    expect(second.stderr).toContain(`Feature flag "v2_canonical_system" changed meanwhile (version ${version} is now `);
    const after = await run('flags', 'plan', 'show', 'v2_canonical_system', '--db', db);
    expect(after.stdout).toContain('plan paused, now 10 %');
    expect(after.stdout).toContain('last decision: paused by bob');
    expect(await run('flags', 'plan', 'show', 'v2_canonical_system', '--expect-version', version!, '--db', db)).toMatchObject({ code: 2 });
    expect(await run('flags', 'set', 'v2_canonical_system', '--rollout', '10', '--expect-version', version!, '--db', db)).toMatchObject({ code: 2 });

    // The library, two writers at once on one version: one change lands, the other is a typed conflict.
    const database = new Database(db);
    try {
      const store = createSqliteStore({ database });
      const flag = (await store.getFlag('v2_canonical_system'))!;
      const results = await Promise.all([
        changeFlagPlan(store, 'v2_canonical_system', { kind: 'resume' }, { actor: 'dave', expectedVersion: flagVersion(flag) }, new Date(clock)),
        changeFlagPlan(store, 'v2_canonical_system', { kind: 'rollback' }, { actor: 'erin', expectedVersion: flagVersion(flag) }, new Date(clock)),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      const refused = results.find((result) => !result.ok)!;
      expect(['version_conflict', 'conflict']).toContain(refused.ok ? 'ok' : refused.reason);
      const winner = results[0]!.ok ? 'resumed by dave' : 'rolled back by erin';
      expect(((await store.getFlag('v2_canonical_system'))!.metadata as { rolloutPlan: { decision: string } }).rolloutPlan.decision).toContain(winner);
      // Afterwards, the version the loser decided on is stale: refused before any write, with the flag as it is now.
      const stale = await changeFlagPlan(store, 'v2_canonical_system', { kind: 'remove' }, { actor: 'dave', expectedVersion: flagVersion(flag) }, new Date(clock));
      expect(stale).toMatchObject({ ok: false, reason: 'version_conflict', expectedVersion: flagVersion(flag), flag: { name: 'v2_canonical_system' } });
    } finally {
      database.close();
    }
  });

  it('takes stages and guardrails, and refuses bad ones and misplaced options with exit 2', async () => {
    clock = T0;
    const guarded = await run('flags', 'plan', 'start', 'playlist_orchestration', '--stages', '5:1h,25:2h,100', '--guardrail', 'error>2%:rollback:min=50:vs-off', '--start', '2026-03-02T10:00:00Z', '--actor', 'a', '--db', db);
    expect(guarded.code, guarded.stderr).toBe(0);
    expect(guarded.stdout).toContain('plan running, now 0 %: 5 % 1h -> 25 % 2h -> 100 %; starts at 2026-03-02T10:00:00.000Z');
    expect(guarded.stdout).toContain('guardrail: error rate (on minus off) above 2.0 % -> rollback (judged from 50 evaluations)');
    for (const [argv, message] of [
      [['--stages', '50:1h,10:1h'], 'percentages must rise'],
      [['--stages', '10:1day'], '--stages'],
      [['--guardrail', 'error>:stop'], '--guardrail'],
      [['--start', 'tomorrow'], '--start'],
    ] as const) {
      const refused = await run('flags', 'plan', 'start', 'multi_integration_campaigns', ...argv, '--actor', 'a', '--db', db);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    expect(await run('flags', 'plan', 'pause', 'multi_integration_campaigns', '--stages', '10', '--db', db)).toMatchObject({ code: 2 });
    expect(await run('flags', 'plan', 'pause', 'multi_integration_campaigns', '--actor', 'a', '--db', db)).toMatchObject({ code: 2, stderr: expect.stringContaining('has no rollout plan') });
    expect(await run('flags', 'plan', 'explode', 'x', '--db', db)).toMatchObject({ code: 2 });
    expect((await run('flags', 'plan', 'show', 'multi_integration_campaigns', '--db', db)).stdout).toContain('no rollout plan');
  });
});
