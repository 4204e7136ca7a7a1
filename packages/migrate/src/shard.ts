import { InvalidOptionError } from './errors.js';
import type { KeyRange, MigrationName, MigrationStore, RunCheckpoint } from './migration-store.js';

/** One of `count` runners: `index` is 1-based, as in `--shard 2/4`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidOptionError('--shard', `expected i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** The run key of a migration, with its shard: `events`, `events#2/4`. */
export function runKeyOf(migration: MigrationName, shard: Shard | undefined): string {
  return shard && shard.count > 1 ? `${migration}#${shard.index}/${shard.count}` : migration;
}

/**
 * The key range of a shard, or `null` when the table is too small to give this shard any keys.
 * The boundaries are the store's {@link MigrationStore.shardBoundaries}: fixed by the first
 * applying shard of that count on that table and recorded, so every shard of the count, whenever
 * it starts, cuts the table at the same keys, and the ranges partition the key space exactly (no
 * row is processed or counted by two shards, none by no shard, even when rows were inserted or
 * deleted between the shards' starts). `record`: record them when none are (a run that writes).
 */
export async function shardRange(
  store: MigrationStore,
  migration: MigrationName,
  shard: Shard | undefined,
  record = false,
): Promise<KeyRange | undefined | null> {
  if (!shard || shard.count === 1) return undefined;
  const boundaries = await store.shardBoundaries(migration, shard.count, { record });
  const ranges = boundaries.length + 1;
  if (shard.index > ranges) return null;
  return {
    after: shard.index === 1 ? null : boundaries[shard.index - 2]!,
    upTo: shard.index === ranges ? null : boundaries[shard.index - 1]!,
  };
}

/** The migration and shard layout of a run key: `events#2/4` → `events`, 2 of 4; `events` → the whole table. */
function parseRunKey(runKey: string): { migration: string; shard: Shard | null } {
  const match = /^(.*)#(\d+)\/(\d+)$/.exec(runKey);
  return match ? { migration: match[1]!, shard: { index: Number(match[2]), count: Number(match[3]) } } : { migration: runKey, shard: null };
}

/**
 * Whether two runs (by run key) may process the same rows at the same time: two runs of one
 * migration, unless both are shards of the same count (those split the table between them). A
 * run over the whole table overlaps every shard, and `--shard 1/2` overlaps `--shard 1/3`. Each
 * would count the rows it writes in its own checkpoint while the other writes them too, so the
 * stores refuse the lease of a run while an overlapping run holds a live one. A run does not
 * overlap itself (its own lease decides that).
 */
export function runsOverlap(runKey: string, otherRunKey: string): boolean {
  if (runKey === otherRunKey) return false;
  const a = parseRunKey(runKey);
  const b = parseRunKey(otherRunKey);
  if (a.migration !== b.migration) return false;
  return a.shard === null || b.shard === null || a.shard.count !== b.shard.count;
}

/**
 * Orders run keys as a listing shows them: by migration, the whole-table run first, then shards
 * by count and index (`events`, `events#1/4`, `events#2/4`, `events#10/12`), numbers compared as
 * numbers.
 */
export function compareRunKeys(runKey: string, otherRunKey: string): number {
  const a = parseRunKey(runKey);
  const b = parseRunKey(otherRunKey);
  if (a.migration !== b.migration) return a.migration < b.migration ? -1 : 1;
  if (a.shard === null || b.shard === null) return (a.shard === null ? 0 : 1) - (b.shard === null ? 0 : 1);
  return a.shard.count - b.shard.count || a.shard.index - b.shard.index;
}

/**
 * Whether `runKey` is a run of `migration` as {@link runKeyOf} writes it: the whole table's
 * (`events`) or a shard's (`events#2/4`); not a shard layout's key, nor `events#01/02` or
 * `events#1/1`, which no run uses.
 */
export function isRunOf(migration: string, runKey: string): boolean {
  const { shard } = parseRunKey(runKey);
  if (shard === null) return runKey === migration;
  return shard.count > 1 && shard.index >= 1 && shard.index <= shard.count && runKeyOf(migration as MigrationName, shard) === runKey;
}

/** The runs of one shard count, from a listing (`RunListing.listCheckpoints`). */
export interface ShardRuns {
  /** The shard count: `n` of `events#i/n`. */
  count: number;
  /** Every shard's run key, `events#1/n` to `events#n/n`. */
  runKeys: string[];
  /** Each shard's checkpoint, in the order of `runKeys`; `null` for a shard that never ran. */
  checkpoints: (RunCheckpoint | null)[];
}

/**
 * The shard runs of a listing grouped by shard count, in the order the counts first appear (a
 * listing is in {@link compareRunKeys} order: by count). The whole-table run and keys that are no
 * run of the migration are left out.
 */
export function groupShardRuns(migration: MigrationName, listed: readonly RunCheckpoint[]): ShardRuns[] {
  const groups = new Map<number, Map<string, RunCheckpoint>>();
  for (const checkpoint of listed) {
    const { shard } = parseRunKey(checkpoint.runKey);
    if (shard === null || !isRunOf(migration, checkpoint.runKey)) continue;
    groups.set(shard.count, (groups.get(shard.count) ?? new Map<string, RunCheckpoint>()).set(checkpoint.runKey, checkpoint));
  }
  return [...groups].map(([count, byKey]) => {
    const runKeys = Array.from({ length: count }, (_, i) => runKeyOf(migration, { index: i + 1, count }));
    return { count, runKeys, checkpoints: runKeys.map((runKey) => byKey.get(runKey) ?? null) };
  });
}

/** The migration a run key belongs to (`events#2/4` → `events`): the row every lease request of that migration locks first. */
export function migrationOfRunKey(runKey: string): string {
  return parseRunKey(runKey).migration;
}
