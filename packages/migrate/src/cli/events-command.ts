import { writeFile } from 'node:fs/promises';
import { type Shard, parseShard, runKeyOf } from '../shard.js';
import { runEventMigration } from '../run-event-migration.js';
import { MAX_WORKERS, runEventMigrationWorkers } from '../run-event-migration-workers.js';
import type { EventMigrationReport } from '../event-migration-report.js';
import type { CanonicalPayload } from '../canonical-payload.js';
import { SAMPLES_PER_EVENT_KIND } from '../samples-per-event-kind.js';
import { type CliIo, count, say } from './cli-io.js';
import { InvalidOptionError } from '../errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { checkTakeover, takeOverLease, withTakeoverHint } from './lease-takeover.js';
import { batchTimeoutsOption } from './batch-timeouts-option.js';
import { openStore } from './open-store.js';
import { batchSizeOption, positiveIntegerOption } from './option-values.js';
import { createProgressPrinter } from './progress-printer.js';
import { replicationLagOption } from './replication-lag-option.js';
import { throttledSummary } from './throttled-summary.js';
import { watchReplicas } from './watch-replicas.js';

/** Options of `app-migrate events`, as parsed from the command line. */
export interface EventsCommandOptions {
  db?: string | undefined;
  config?: string | undefined;
  apply?: boolean | undefined;
  resume?: boolean | undefined;
  takeover?: boolean | undefined;
  'batch-size'?: string | undefined;
  limit?: string | undefined;
  shard?: string | undefined;
  workers?: string | undefined;
  'writes-in-flight'?: string | undefined;
  renormalize?: boolean | undefined;
  report?: string | undefined;
  'received-at-fallback'?: string | undefined;
  'acknowledge-failures'?: boolean | undefined;
  'retry-failed'?: boolean | undefined;
  'canonical-payload'?: string | undefined;
  'max-replication-lag'?: string[] | undefined;
}

/** `--canonical-payload`: `copy` or `omit`; the config file's `canonicalPayload` when absent, `copy` when neither says. */
function canonicalPayloadOption(value: string | undefined, configured: CanonicalPayload | undefined): CanonicalPayload {
  if (value === undefined) return configured ?? 'copy';
  if (value === 'copy' || value === 'omit') return value;
  throw new InvalidOptionError('--canonical-payload', `must be "copy" or "omit", got "${value}"`);
}

/**
 * `--received-at-fallback`: `now` (the run's start) or an ISO 8601 time, the event time of rows
 * whose payload and created_at have none.
 */
function receivedAtOption(value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  if (value === 'now') return now;
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw new InvalidOptionError('--received-at-fallback', `must be "now" or an ISO 8601 time with its offset (2025-01-15T10:30:00Z), got "${value}"`);
  }
  return time;
}

/**
 * `--workers`: an integer from 1 to {@link MAX_WORKERS}. A worker is a shard, so it cannot be
 * combined with `--shard`; `--limit` (a trial run) is one runner's.
 */
/**
 * `--writes-in-flight`: `1` (the default: each batch written after the one before committed) or
 * `2` (`writesInFlight` of `runEventMigration`: the next batch's write sent while the one before is
 * still written, one checkpoint; a store over a pool only, which the runner checks).
 */
function writesInFlightOption(value: string | undefined): 1 | 2 | undefined {
  if (value === undefined) return undefined;
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new InvalidOptionError('--writes-in-flight', `must be 1 or 2, got "${value}"`);
}

function workersOption(value: string | undefined, shard: Shard | undefined, limit: number | undefined): number | undefined {
  const workers = positiveIntegerOption('--workers', value);
  if (workers === undefined) return undefined;
  if (workers > MAX_WORKERS) throw new InvalidOptionError('--workers', `must be at most ${MAX_WORKERS}, got ${workers}`);
  if (shard !== undefined) throw new InvalidOptionError('--workers', 'cannot be combined with --shard: each worker is a shard of its own (--shard i/n splits the table across machines)');
  if (limit !== undefined) throw new InvalidOptionError('--workers', 'cannot be combined with --limit: a trial run is one runner (drop --workers)');
  return workers;
}

/**
 * A failure's reason in the CLI's words: the library's `options.receivedAt` is this command's flag.
 * The option's name is replaced wherever the message names it, so rewording the message keeps it.
 */
const cliReason = (reason: string) => reason.replaceAll('options.receivedAt', '--received-at-fallback');

/**
 * `app-migrate events`: the canonical-event backfill. Exits with `PROBLEMS_FOUND` when rows could
 * not be migrated (or would not be, in a dry run) and `INTERRUPTED` when stopped before the end.
 */
export async function eventsCommand(options: EventsCommandOptions, io: CliIo): Promise<number> {
  const batchSize = batchSizeOption(options['batch-size']);
  const limit = positiveIntegerOption('--limit', options.limit);
  const shard: Shard | undefined = options.shard === undefined ? undefined : parseShard(options.shard);
  const workers = workersOption(options.workers, shard, limit);
  const apply = options.apply === true;
  const takeover = checkTakeover(options.takeover, apply);
  const receivedAt = receivedAtOption(options['received-at-fallback'], new Date());
  const lagLimits = replicationLagOption(options['max-replication-lag']);
  const writesInFlight = writesInFlightOption(options['writes-in-flight']);
  // Each runner (each worker) holds a connection for each batch it writes and one for the next it reads.
  const perRunner = (writesInFlight ?? 1) + 1;
  const opened = await openStore({ db: options.db, config: options.config, ...(workers === undefined && writesInFlight === undefined ? {} : { connections: perRunner * (workers ?? 1) + 1 }) }, io);
  try {
    // Checked here to name the flag: the runner would name its option.
    if (writesInFlight === 2 && (opened.storeForRunners.maxWritesInFlight ?? 1) < 2) {
      throw new InvalidOptionError('--writes-in-flight', `2 needs a PostgreSQL or MySQL/MariaDB server, whose batches can be written on two connections at once; ${opened.description} writes one at a time`);
    }
    if (writesInFlight === 2 && opened.config?.timeoutThrottle !== undefined) {
      throw new InvalidOptionError('--writes-in-flight', 'must be 1 with the --config file\'s timeoutThrottle, which reads a batch ended on a timeout again');
    }
    const canonicalPayload = canonicalPayloadOption(options['canonical-payload'], opened.config?.canonicalPayload);
    const batchTimeouts = batchTimeoutsOption(opened.config);
    // Checked before any DDL: a run that cannot be throttled as asked changes nothing.
    const throttle = lagLimits !== undefined && apply ? await watchReplicas(lagLimits, opened, io, 'the run') : undefined;
    // Only a run that writes may change the schema; the runner refuses a dry run on a missing one (SCHEMA_NOT_READY).
    if (apply) await opened.store.ensureSchema();
    say(io, `Events: ${apply ? 'APPLY' : 'dry run (nothing is written; add --apply to write)'} on ${opened.description}${workers === undefined ? '' : `, ${workers} workers`}`);
    const shards = workers === undefined ? [shard] : Array.from({ length: workers }, (_, index) => (workers === 1 ? undefined : { index: index + 1, count: workers }));
    const holders: string[] = [];
    if (takeover) for (const each of shards) holders.push(await takeOverLease(opened.store, runKeyOf('events', each), io));
    const progress = createProgressPrinter(io);
    const runOptions = {
      // A run that writes stops on the signal itself, after the batch in flight, with its checkpoint
      // written; a dry run writes nothing, so a signal may cut any of its reads short.
      store: apply ? opened.storeForRunners : opened.store,
      apply,
      resume: options.resume === true,
      renormalize: options.renormalize === true,
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(receivedAt === undefined ? {} : { receivedAt }),
      ...(options['acknowledge-failures'] === true ? { acknowledgeFailures: true } : {}),
      ...(options['retry-failed'] === true ? { retryFailed: true } : {}),
      ...(canonicalPayload === 'omit' ? { canonicalPayload } : {}),
      ...(throttle === undefined ? {} : { throttle }),
      ...(batchTimeouts === undefined ? {} : { batchTimeouts }),
      ...(writesInFlight === undefined ? {} : { writesInFlight }),
      ...(opened.config?.timeoutThrottle === undefined ? {} : { timeoutThrottle: opened.config.timeoutThrottle }),
      signal: io.signal,
      onProgress: progress.update,
    };
    const running: Promise<EventMigrationReport> =
      workers === undefined
        ? runEventMigration({
            ...runOptions,
            ...(limit === undefined ? {} : { limit }),
            ...(shard === undefined ? {} : { shard }),
            ...(holders[0] === undefined ? {} : { holder: holders[0] }),
          })
        : runEventMigrationWorkers({ ...runOptions, workers, ...(takeover ? { holders } : {}) });
    const report = await running.catch((error: unknown) => {
      progress.finish();
      throw withTakeoverHint(error);
    });
    progress.finish(report.status);
    if (workers !== undefined && workers > 1) say(io, `Workers: ${workers} shards side by side, each with its own checkpoint (status shows each).`);
    const c = report.counts;
    if (report.resumedFrom !== null) say(io, `Resumed after event ${report.resumedFrom}.`);
    say(
      io,
      `${report.status === 'completed' ? 'Done' : report.status === 'aborted' ? 'Stopped (run again with --resume to continue)' : 'Stopped at --limit (run again with --resume to continue)'}: ` +
        `${count(c.processed)} events processed, ${apply ? `${count(c.written)} written` : `${count(c.wouldWrite)} would be written`}, ` +
        `${count(c.failed)} failed, ${count(c.fallback)} by the fallback normalizer, in ${(report.durationMs / 1000).toFixed(1)} s.`,
    );
    if (report.throttle !== undefined && report.throttle.pauses > 0) say(io, throttledSummary(report.throttle));
    if (report.retries !== undefined) say(io, `Retried ${count(report.retries)} batch reads or writes the database gave up on (a deadlock or a lock wait past its timeout); each was rolled back whole.`);
    if (c.skipped !== undefined) {
      say(
        io,
        `Acknowledged failures: ${count(c.skipped)} known failed rows skipped, ${count(c.newFailed ?? 0)} new failures (the exit code counts only these; --retry-failed reads the known ones again).`,
      );
    }
    const providers = Object.entries(report.providers).sort(([, a], [, b]) => b - a);
    if (providers.length > 0) say(io, `Providers: ${providers.map(([p, n]) => `${p} ${count(n)}`).join(', ')}`);
    const eventKinds = Object.entries(report.eventKinds ?? {}).sort(([, a], [, b]) => b - a);
    if (eventKinds.length > 0) say(io, `Event kinds: ${eventKinds.map(([kind, n]) => `${kind} ${count(n)}`).join(', ')}`);
    // A dry run is the moment to read what the popups will say, one sample of each kind.
    if (!apply && report.samples !== undefined && report.samples.length > 0) {
      say(io, `Samples (one per kind; ${options.report === undefined ? '--report FILE keeps' : 'the report keeps'} up to ${SAMPLES_PER_EVENT_KIND} of each):`);
      const shown = new Set<string>();
      for (const sample of report.samples) {
        if (shown.has(sample.eventKind)) continue;
        shown.add(sample.eventKind);
        say(io, `  ${sample.eventKind}  ${sample.id}  ${sampleFields(sample.template)}`);
      }
    }
    if (report.failures.length > 0) {
      say(io, `Failed rows (left without canonical_event, listed in the report):`);
      for (const f of report.failures.slice(0, 10)) say(io, `  ${f.id}  ${f.code}  ${cliReason(f.reason)}`);
      if (report.failures.length > 10) say(io, `  … and ${count(report.failures.length - 10)} more`);
      if (report.failures.some((f) => f.code === 'MISSING_TIMESTAMP')) {
        say(io, 'Rows without any event time (no time in the payload, no created_at) fail on every run: --received-at-fallback now (or an ISO time) gives them one.');
      }
    }
    if (options.report !== undefined) {
      await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
      say(io, `Report written to ${options.report}`);
    }
    io.report?.(report);
    if (report.status === 'aborted') return EXIT_CODES.INTERRUPTED;
    // Acknowledged failures: only rows that were not known make the run fail.
    return (c.newFailed ?? c.failed) > 0 ? EXIT_CODES.PROBLEMS_FOUND : EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}

const SAMPLE_WIDTH = 160;

const sampleFields = (template: Record<string, unknown>): string => {
  const text = Object.entries(template)
    .filter(([key]) => key !== 'template.event_kind')
    .map(([key, value]) => `${key.slice('template.'.length)}=${JSON.stringify(value)}`)
    .join(' ');
  return text.length > SAMPLE_WIDTH ? `${text.slice(0, SAMPLE_WIDTH - 1)}…` : text;
};
