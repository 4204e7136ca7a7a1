import { assertSchemaReady } from '../assert-schema-ready.js';
import { InvalidOptionError } from '../errors.js';
import type { RunCheckpoint, RunSummary } from '../migration-store.js';
import { lastMeaningfulRun } from '../run-history.js';
import { hasRunListing } from '../run-listing.js';
import { type ShardRuns, groupShardRuns, runKeyOf } from '../shard.js';
import { type CliIo, count, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';
import { positiveIntegerOption } from './option-values.js';

/** Options of `app-migrate status`, as parsed from the command line. */
export interface StatusCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  shards?: string | undefined;
  json?: boolean | undefined;
}

/** The most `--shards` reads: one checkpoint per shard. */
const MAX_SHARDS = 1_000;

// The counts in one order whatever the database keeps them in (PostgreSQL's jsonb sorts keys by length).
const COUNT_ORDER = ['processed', 'planned', 'written', 'wouldWrite', 'failed', 'fallback'];
const rank = (key: string) => (COUNT_ORDER.includes(key) ? COUNT_ORDER.indexOf(key) : COUNT_ORDER.length);

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([key]) => !key.startsWith('provider:'))
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => `${key} ${count(n)}`)
    .join(', ');

/** A run's state in words: a `running` checkpoint of a run stopped at its limit is not running. */
const describeState = (run: RunSummary) =>
  run.limited === true ? 'stopped at --limit (--resume continues it)' : run.status === 'aborted' ? 'stopped before the end (--resume continues it)' : run.status;

const describeRun = (run: RunSummary) => `${describeState(run)}, cursor ${run.cursor ?? '(start)'}, ${describeCounts(run.counts)}, updated ${run.updatedAt}`;

/**
 * A checkpoint, and — when its run wrote nothing (a re-run with nothing left, or only the rows
 * that fail every time) — the last run of its history that wrote rows: a no-op must not hide it.
 */
function describeCheckpoint(checkpoint: RunCheckpoint): string {
  const earlier = checkpoint.history?.length ?? 0;
  const line = `${describeRun(checkpoint)}${earlier > 0 ? ` (${count(earlier)} earlier run${earlier === 1 ? '' : 's'} kept)` : ''}`;
  const meaningful = lastMeaningfulRun(checkpoint);
  if (meaningful === null || (checkpoint.counts.written ?? 0) > 0) return line;
  return `${line}; it wrote nothing. Last run that wrote rows: ${describeRun(meaningful)}`;
}

/**
 * `app-migrate status`: table counts and the last checkpoints. Sharded runs keep one checkpoint
 * per shard (`events#2/4`): a store that lists its runs (`RunListing`, every adapter's) shows
 * every sharded run there is; `--shards n` reads the n shards of that count, in one statement
 * (`readCheckpoints`), on any store. Each sharded run's counts are summed.
 */
export async function statusCommand(options: StatusCommandOptions, io: CliIo): Promise<number> {
  const shards = positiveIntegerOption('--shards', options.shards);
  if (shards !== undefined && shards > MAX_SHARDS) throw new InvalidOptionError('--shards', `must be at most ${count(MAX_SHARDS)}, got "${options.shards}"`);
  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    await assertSchemaReady(opened.store, 'read');
    const [events, campaigns] = await Promise.all([opened.store.eventStatus({ fromCheckpoint: true }), opened.store.campaignStatus()]);
    say(io, `Status of ${opened.description}`);
    // Not an estimate: exact as of the checkpoint behind its cursor, and counted now past it.
    const basis =
      events.basis === 'checkpoint' ? " (counted with the last run's checkpoint and past its cursor; rows added, removed or changed behind the cursor since are not seen: verify counts every row)" : '';
    say(io, `  events:    ${count(events.migrated)}/${count(events.total)} with canonical_event${basis}`);
    say(io, `  campaigns: ${count(campaigns.migrated)}/${count(campaigns.total)} with data_sources_v2`);
    const shardKeys = shards !== undefined && shards > 1 ? Array.from({ length: shards }, (_, i) => runKeyOf('events', { index: i + 1, count: shards })) : [];
    // Every checkpoint status shows, in one statement however many shards (up to MAX_SHARDS).
    const [wholeTable = null, campaignRun = null, ...asked] = await opened.store.readCheckpoints(['events', 'campaigns', ...shardKeys]);
    // Without --shards, a store that lists its runs shows every sharded run there is.
    const listed = shards === undefined && hasRunListing(opened.store) ? groupShardRuns('events', await opened.store.listCheckpoints('events')) : [];
    const groups: ShardRuns[] = shardKeys.length > 0 ? [{ count: shards!, runKeys: shardKeys, checkpoints: asked }] : listed;
    if (wholeTable) say(io, `  last events run: ${describeCheckpoint(wholeTable)}`);
    else if (events.migrated === 0 && groups.length === 0) say(io, '  last events run: none applied yet');
    else if (groups.length === 0 && (shards === undefined || shards === 1)) {
      say(io, `  last events run: no whole-table run; ${count(events.migrated)} events have canonical_event (from sharded runs, which keep one checkpoint per shard: add --shards <n> to show them)`);
    }
    for (const group of groups) {
      const total: Record<string, number> = {};
      let completed = 0;
      for (const [i, runKey] of group.runKeys.entries()) {
        const checkpoint = group.checkpoints[i] ?? null;
        if (!checkpoint) {
          say(io, `  ${runKey}: none applied yet`);
          continue;
        }
        say(io, `  ${runKey}: ${describeCheckpoint(checkpoint)}`);
        if (checkpoint.status === 'completed') completed++;
        for (const [key, n] of Object.entries(checkpoint.counts)) total[key] = (total[key] ?? 0) + n;
      }
      say(io, `  events over ${count(group.count)} shards: ${count(completed)}/${count(group.count)} completed${Object.keys(total).length > 0 ? `, ${describeCounts(total)}` : ''}`);
    }
    say(io, `  last campaigns run: ${campaignRun ? describeCheckpoint(campaignRun) : 'none applied yet'}`);
    io.report?.({
      format: 'migration-status',
      events,
      campaigns,
      runs: {
        events: wholeTable,
        campaigns: campaignRun,
        // --shards n: that count's checkpoints, in shard order; otherwise every sharded run listed, by count.
        ...(shardKeys.length > 0 ? { shards: asked } : {}),
        ...(listed.length > 0 ? { shardedRuns: listed.map((group) => ({ count: group.count, runs: group.runKeys.map((runKey, i) => ({ runKey, checkpoint: group.checkpoints[i] ?? null })) })) } : {}),
      },
    });
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
