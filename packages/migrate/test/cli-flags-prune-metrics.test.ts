import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { DEFAULT_METRICS_RETENTION_DAYS, type FlagMetricsStore, createMemoryFlagMetricsStore, pruneFlagMetrics } from '../src/index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exit = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, now: () => NOW });
  return { code: exit, stdout, stderr };
}

/** One evaluation window `daysAgo` days before NOW, for each of two flags. */
async function windows(store: FlagMetricsStore, ...daysAgo: number[]): Promise<void> {
  for (const days of daysAgo) {
    const windowStart = new Date(NOW - days * DAY).toISOString();
    await store.writeFlagMetrics(['banner', 'checkout'].map((flagName) => ({ windowStart, flagName, metric: '$evaluation', variant: 'on' as const, reason: 'SPLIT', count: days })));
  }
}

describe('the retention of flag telemetry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-migrate-prune-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pruneFlagMetrics deletes the windows older than keepDays (90 by default) through the port, and refuses a keepDays that is no whole number of days', async () => {
    const store = createMemoryFlagMetricsStore();
    await windows(store, 120, 91, 89, 1);
    expect(DEFAULT_METRICS_RETENTION_DAYS).toBe(90);
    expect(await pruneFlagMetrics(store, { now: new Date(NOW) })).toEqual({ before: '2026-03-03T12:00:00.000Z', deleted: 4 });
    expect((await store.readFlagMetrics()).map((total) => total.count)).toEqual([90, 90]);
    expect(await pruneFlagMetrics(store, { keepDays: 30, now: new Date(NOW) })).toEqual({ before: '2026-05-02T12:00:00.000Z', deleted: 2 });
    expect((await store.readFlagMetrics()).map((total) => total.count)).toEqual([1, 1]);
    for (const keepDays of [0, -1, 1.5, Number.NaN]) await expect(pruneFlagMetrics(store, { keepDays, now: new Date(NOW) })).rejects.toThrow(/keepDays must be a whole number/);
    expect(store.rows()).toHaveLength(2);
  });

  it('app-migrate flags prune-metrics [--keep-days N] deletes them on a database, and refuses a bad --keep-days', async () => {
    const file = join(dir, 'flags.db');
    const database = new Database(file);
    try {
      const store = createSqliteStore({ database, createLegacyTables: true });
      await store.ensureSchema();
      await windows(store, 120, 91, 89, 1);
      const pruned = await run('flags', 'prune-metrics', '--db', file);
      expect(pruned, pruned.stderr).toMatchObject({ code: 0, stdout: 'Deleted 4 flag telemetry rows of windows before 2026-03-03T12:00:00.000Z (kept 90 days).\n' });
      expect(await run('flags', 'prune-metrics', '--keep-days', '30', '--db', file)).toMatchObject({ code: 0, stdout: 'Deleted 2 flag telemetry rows of windows before 2026-05-02T12:00:00.000Z (kept 30 days).\n' });
      expect((await store.readFlagMetrics()).map((total) => total.count)).toEqual([1, 1]);
      expect(await run('flags', 'prune-metrics', '--keep-days', '0', '--db', file)).toMatchObject({ code: 2 });
      expect(await run('flags', 'list', '--keep-days', '3', '--db', file)).toMatchObject({ code: 2 });
      expect((await run('flags', 'prune-metrics', 'banner', '--db', file)).stderr).toMatch(/unexpected argument "banner"/);
      expect(await store.readFlagMetrics()).toHaveLength(2);
    } finally {
      database.close();
    }
  });
});
