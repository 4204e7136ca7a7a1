import type { MigrationName, MigrationStore, RunCheckpoint } from './migration-store.js';

/**
 * The port that lists a migration's runs: the whole table's and every shard's. Runs with
 * `--workers n` or `--shard i/n` keep one checkpoint per shard (`events#2/4`), which
 * {@link MigrationStore.readCheckpoint} only finds when asked for that key; a dashboard or
 * `app-migrate status` that must show whatever ran lists them instead. Every SQL store of the
 * adapters and the memory store implement it, and the conformance suite of `@app/migrate/testing`
 * checks it; where a store lacks it, the admin shows the whole-table run only and `status` needs
 * `--shards n`.
 */
export interface RunListing {
  /**
   * Every checkpoint of the migration's runs, in `compareRunKeys` order: the whole-table
   * run's (`events`) first, then each shard's by shard count and index (`events#1/4`,
   * `events#2/4`…). Keys without a checkpoint (a recorded shard layout) are left out; so are the
   * other migration's runs.
   */
  listCheckpoints(migration: MigrationName): Promise<RunCheckpoint[]>;
}

/** Whether `value` (a store, say) implements {@link RunListing}. */
export const hasRunListing = (value: unknown): value is RunListing =>
  typeof (value as Partial<RunListing> | null)?.listCheckpoints === 'function';
