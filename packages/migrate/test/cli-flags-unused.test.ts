import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '@app/adapter-postgres';
import { createSqliteStore } from '@app/adapter-sqlite';
import { createFlagTelemetry, flushFlagTelemetry } from '@app/flags';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import type { FlagMetricsStore } from '../src/index.js';

const DAY = 86_400_000;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The flags' updated_at is the database clock's: the CLI's clock is the real one.
const NOW = Date.now();

const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
const postgres = await probe
  .connect()
  .then(async () => {
    await probe.end();
    return true;
  })
  .catch((error: Error) => {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`this test needs PostgreSQL at ${POSTGRES_URL}: ${error.message}`);
    return false;
  });

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exit = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, now: () => NOW });
  return { code: exit, stdout, stderr };
}

/** Evaluations as an application records them, `daysAgo` days ago, flushed to the store as the README shows. */
async function evaluate(store: FlagMetricsStore, flagName: string, daysAgo: number): Promise<void> {
  const telemetry = createFlagTelemetry({ now: () => NOW - daysAgo * DAY });
  for (let i = 0; i < 3; i++) telemetry.recordEvaluation({ flagName, value: i % 2 === 0, reason: 'SPLIT' });
  expect(await flushFlagTelemetry(telemetry, (rows) => store.writeFlagMetrics(rows))).toBe(2);
}

/** The unused-flag listing of `app-migrate flags stale` on one database (`db`: its --db and --config options). */
async function listsUnusedFlags(store: FlagMetricsStore, db: string[]): Promise<void> {
  // The seed's four system flags, all disabled and just created: none is settled, so only telemetry lists them.
  await evaluate(store, 'v2_canonical_system', 2);
  await evaluate(store, 'testimonial_system', 10);
  const week = await run('flags', 'stale', '--unused-days', '7', ...db);
  expect(week.code, week.stderr).toBe(0);
  expect(week.stdout.trimEnd().split('\n').sort()).toEqual([
    'multi_integration_campaigns: never evaluated in 7 days (unused)',
    'playlist_orchestration: never evaluated in 7 days (unused)',
    'testimonial_system: never evaluated in 7 days (unused)',
  ]);
  // The telemetry window follows --days when not given.
  const fortnight = await run('flags', 'stale', ...db);
  expect(fortnight.stdout.trimEnd().split('\n').sort()).toEqual([
    'multi_integration_campaigns: never evaluated in 14 days (unused)',
    'playlist_orchestration: never evaluated in 14 days (unused)',
  ]);
  await evaluate(store, 'playlist_orchestration', 0);
  await evaluate(store, 'multi_integration_campaigns', 13);
  expect((await run('flags', 'stale', ...db)).stdout).toBe('No flag is fully on or off and unchanged for 14 days, and every flag was evaluated in the last 14 days.\n');
  expect(await run('flags', 'stale', '--unused-days', '0', ...db)).toMatchObject({ code: 2 });
  expect(await run('flags', 'list', '--unused-days', '3', ...db)).toMatchObject({ code: 2 });
}

/** `app-migrate flags metrics`: the seed's monitoring checklist as numbers, from the same telemetry. */
async function printsMetrics(store: FlagMetricsStore, db: string[]): Promise<void> {
  const telemetry = createFlagTelemetry({ now: () => NOW - 3_600_000 });
  for (let i = 0; i < 200; i++) telemetry.recordEvaluation({ flagName: 'checkout\u001b[2J', value: i < 20, reason: 'SPLIT' });
  telemetry.recordEvaluation({ flagName: 'checkout\u001b[2J', value: false, reason: 'ERROR' });
  telemetry.track('checkout\u001b[2J', 'on', 'error', 2);
  telemetry.track('checkout\u001b[2J', 'off', 'error', 9);
  await flushFlagTelemetry(telemetry, (rows) => store.writeFlagMetrics(rows));
  const one = await run('flags', 'metrics', 'checkout\u001b[2J', '--window', '2h', ...db);
  expect(one.code, one.stderr).toBe(0);
  expect(one.stdout).toBe(
    'No stored flag is named "checkout\\x1b[2J"; its telemetry, if any:\n' +
      'checkout\\x1b[2J (no stored flag of this name): 201 evaluations in 2h, 10.0 % on (20), 181 off; 1 could not be evaluated (reason ERROR)\n' +
      '  error: 10.0 % on (2 of 20) vs 5.0 % off (9 of 181)\n',
  );
  // An hour-long window ends before the evaluations: nothing.
  expect((await run('flags', 'metrics', 'checkout\u001b[2J', '--window', '30m', ...db)).stdout).toContain('no evaluations in 30m');
  const all = await run('flags', 'metrics', '--json', ...db);
  expect(all.code, all.stderr).toBe(0);
  const report = JSON.parse(all.stdout) as { window: string; flags: { flagName: string; evaluations: { total: number }; enabledShare: number | null }[] };
  expect(report.window).toBe('24h');
  expect(report.flags.map((flag) => flag.flagName)).toEqual(['checkout\u001b[2J', 'multi_integration_campaigns', 'playlist_orchestration', 'testimonial_system', 'v2_canonical_system']);
  expect(report.flags[0]).toMatchObject({ evaluations: { on: 20, off: 181, total: 201 }, enabledShare: 20 / 201, evaluationErrors: 1 });
  expect(report.flags.find((flag) => flag.flagName === 'testimonial_system')).toMatchObject({ evaluations: { total: 0 }, enabledShare: null });
  expect(await run('flags', 'metrics', '--window', '1.5h', ...db)).toMatchObject({ code: 2 });
  expect(await run('flags', 'list', '--window', '1h', ...db)).toMatchObject({ code: 2 });
}

describe('app-migrate flags stale lists flags never evaluated in the telemetry window; flags metrics prints the telemetry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-migrate-unused-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('on SQLite', async () => {
    const file = join(dir, 'flags.db');
    const database = new Database(file);
    try {
      const store = createSqliteStore({ database, createLegacyTables: true });
      await store.ensureSchema();
      await listsUnusedFlags(store, ['--db', file]);
      await printsMetrics(store, ['--db', file]);
    } finally {
      database.close();
    }
  });

  it.runIf(postgres)('on PostgreSQL', async () => {
    const schema = `fm_unused_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    const config = join(dir, 'postgres.json');
    await writeFile(config, JSON.stringify({ schema }));
    try {
      const store = createPostgresStore({ client: pool, schema, createLegacyTables: true });
      await store.ensureSchema();
      await listsUnusedFlags(store, ['--db', POSTGRES_URL, '--config', config]);
      await printsMetrics(store, ['--db', POSTGRES_URL, '--config', config]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
