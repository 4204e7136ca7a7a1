import { describe, expect, it, vi } from 'vitest';
import { conformanceSeed } from '../src/conformance-seed.js';
import { createMemoryStore } from '../src/index.js';
import type { MigrationStore } from '../src/migration-store.js';
import { runEventMigration } from '../src/run-event-migration.js';

// The store status opens, replaced by a memory store that counts the port calls: the statements a
// database would run, one per call.
const opened = vi.hoisted(() => ({ store: undefined as unknown }));
vi.mock('../src/cli/open-store.js', () => ({
  openStore: async () => ({ store: opened.store, storeForRunners: opened.store, description: 'a counting memory store', close: async () => undefined }),
}));

const { statusCommand } = await import('../src/cli/status-command.js');

/** `store` with every call of its port methods recorded, by method name. */
function counting(store: MigrationStore): { store: MigrationStore; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('app-migrate status --shards', () => {
  it('reads every shard checkpoint in one call, however many shards, and prints each', async () => {
    const store = createMemoryStore(conformanceSeed());
    for (const index of [1, 2, 3]) await runEventMigration({ store, apply: true, batchSize: 16, shard: { index, count: 3 } });
    const { store: watched, calls } = counting(store);
    opened.store = watched;
    let stdout = '';
    let report: unknown;
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => undefined }, report: (value: unknown) => (report = value) };
    for (const shards of ['3', '1000']) {
      calls.length = 0;
      stdout = '';
      expect(await statusCommand({ shards }, io)).toBe(0);
      expect(calls.filter((call) => call === 'readCheckpoint')).toEqual([]);
      expect(calls.filter((call) => call === 'readCheckpoints')).toEqual(['readCheckpoints']);
      expect(stdout).toContain(`events over ${shards === '3' ? '3' : '1,000'} shards: ${shards === '3' ? '3/3' : '0/1,000'} completed`);
    }
    calls.length = 0;
    stdout = '';
    await statusCommand({ shards: '3' }, io);
    expect(stdout).toMatch(/events#1\/3: completed, cursor evt-0040, .*failed 1/);
    expect(stdout).toMatch(/events#3\/3: completed, cursor evt-0120, .*failed 1/);
    expect(stdout).toMatch(/events over 3 shards: 3\/3 completed, processed 120, written 117, .*failed 3/);
    expect(stdout).toContain('last campaigns run: none applied yet');
    expect(report).toMatchObject({ runs: { events: null, campaigns: null, shards: [{ runKey: 'events#1/3' }, { runKey: 'events#2/3' }, { runKey: 'events#3/3' }] } });
  });

  it('without --shards, lists every sharded run the store has (shards of two counts), each shard with its checkpoint, in one listing', async () => {
    const store = createMemoryStore(conformanceSeed());
    await runEventMigration({ store, apply: true, batchSize: 4, limit: 4, shard: { index: 2, count: 3 } });
    for (const index of [1, 2]) await runEventMigration({ store, apply: true, batchSize: 16, shard: { index, count: 2 } });
    const { store: watched, calls } = counting(store);
    opened.store = watched;
    let stdout = '';
    let report: unknown;
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => undefined }, report: (value: unknown) => (report = value) };
    expect(await statusCommand({}, io)).toBe(0);
    expect(calls.filter((call) => call === 'listCheckpoints')).toEqual(['listCheckpoints']);
    expect(stdout).not.toContain('add --shards');
    expect(stdout).toMatch(/events#1\/2: completed, cursor evt-0060, /);
    expect(stdout).toMatch(/events over 2 shards: 2\/2 completed, processed 116, written 113, .*failed 3/);
    expect(stdout).toContain('events#1/3: none applied yet');
    expect(stdout).toMatch(/events#2\/3: stopped at --limit \(--resume continues it\), .*processed 4/);
    expect(stdout).toMatch(/events over 3 shards: 0\/3 completed, processed 4/);
    expect(report).toMatchObject({
      runs: {
        events: null,
        shardedRuns: [
          { count: 2, runs: [{ runKey: 'events#1/2', checkpoint: { status: 'completed' } }, { runKey: 'events#2/2', checkpoint: { status: 'completed' } }] },
          { count: 3, runs: [{ runKey: 'events#1/3', checkpoint: null }, { runKey: 'events#2/3', checkpoint: { limited: true } }, { runKey: 'events#3/3', checkpoint: null }] },
        ],
      },
    });
    expect((report as { runs: object }).runs).not.toHaveProperty('shards');
    // A store that cannot list its runs: the table counts, and the hint to name the count.
    const { listCheckpoints: _unlisted, ...plain } = store;
    opened.store = plain;
    stdout = '';
    expect(await statusCommand({}, io)).toBe(0);
    expect(stdout).toContain('no whole-table run; 117 events have canonical_event (from sharded runs, which keep one checkpoint per shard: add --shards <n> to show them)');
  });
});
