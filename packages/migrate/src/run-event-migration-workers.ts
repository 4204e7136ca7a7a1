import { InvalidOptionError } from './errors.js';
import type { EventMigrationReport, EventMigrationWorkersReport, EventSample } from './event-migration-report.js';
import { SAMPLES_PER_EVENT_KIND } from './samples-per-event-kind.js';
import type { MigrationProgress } from './migration-progress.js';
import { MAX_STORED_FAILURES } from './migration-store.js';
import { type EventMigrationOptions, runEventMigration } from './run-event-migration.js';

/**
 * The most workers one {@link runEventMigrationWorkers} call starts. Each holds up to two
 * connections (the batch it writes and the next one it reads); past the database's cores more
 * workers only queue on its locks and CPU.
 */
export const MAX_WORKERS = 16;

/** Options of {@link runEventMigrationWorkers}: those of `runEventMigration`, for every worker. */
export interface EventMigrationWorkersOptions extends Omit<EventMigrationOptions, 'shard' | 'holder' | 'limit'> {
  /** How many shards of the table to run side by side: an integer from 1 to {@link MAX_WORKERS}. */
  workers: number;
  /**
   * The lease holder of each worker, in shard order (`--takeover` gives ids whose leases it took
   * over); random ids by default.
   */
  holders?: readonly string[];
}

/** The run key that names every shard of a count together in a summed report: `events#*\/4`. */
export const workersRunKey = (workers: number): string => (workers === 1 ? 'events' : `events#*/${workers}`);

/**
 * Runs the event backfill as `workers` shards of the table side by side in one process (shard
 * `i/workers` each, as `--shard` does on several machines), so a run can keep more than one
 * database core busy. Every worker is an ordinary shard run: its own lease, its own checkpoint,
 * the same crash-and-resume guarantees, and the shard boundaries recorded once for the count, so
 * `resume: true` continues each shard where it stopped (and `app-migrate status` shows them).
 *
 * When one worker fails (a lost lease, a database error), the others stop after their batch in
 * flight with their checkpoints written, and the first error is thrown once all have stopped:
 * no worker is left writing behind a failed run. `signal` stops them all the same way.
 *
 * @throws InvalidOptionError `INVALID_OPTION` for a `workers` that is not an integer from 1 to
 *   {@link MAX_WORKERS}, or `holders` of another length, before anything is read.
 * @returns The summed report, with each worker's report in `workers`.
 */
export async function runEventMigrationWorkers(options: EventMigrationWorkersOptions): Promise<EventMigrationWorkersReport> {
  const { workers, holders, signal, onProgress, ...shared } = options;
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new InvalidOptionError('workers', `must be an integer from 1 to ${MAX_WORKERS}, got ${workers}`);
  }
  if (holders !== undefined && holders.length !== workers) {
    throw new InvalidOptionError('holders', `must give one holder per worker (${workers}), got ${holders.length}`);
  }
  // One worker's failure stops the others at their next batch, as the caller's signal does.
  const stop = new AbortController();
  const stopOnSignal = () => stop.abort(signal?.reason);
  if (signal?.aborted) stop.abort(signal.reason);
  else signal?.addEventListener('abort', stopOnSignal, { once: true });
  const latest: (MigrationProgress | undefined)[] = Array.from({ length: workers }, () => undefined);
  const progressOf = (index: number) => (progress: MigrationProgress) => {
    latest[index] = progress;
    onProgress?.(sumProgress(latest));
  };
  try {
    const runs = Array.from({ length: workers }, (_, index) =>
      runEventMigration({
        ...shared,
        ...(workers > 1 ? { shard: { index: index + 1, count: workers } } : {}),
        ...(holders === undefined ? {} : { holder: holders[index]! }),
        signal: stop.signal,
        onProgress: progressOf(index),
      }).then(
        (report) => {
          // A worker with nothing left reports no batch: its final figures come from its report,
          // so the sum covers every shard once all have ended.
          if (onProgress !== undefined) progressOf(index)(finalProgress(report, latest[index]?.batches ?? 0));
          return report;
        },
        (error: unknown) => {
          stop.abort(error);
          throw error;
        },
      ),
    );
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return sumReports(
      workers,
      settled.map((result) => (result as PromiseFulfilledResult<EventMigrationReport>).value),
    );
  } finally {
    signal?.removeEventListener('abort', stopOnSignal);
  }
}

/** A finished worker's progress, from its report: processed up to its total, nothing left. */
function finalProgress(report: EventMigrationReport, batches: number): MigrationProgress {
  const seconds = Math.max(report.durationMs / 1000, 1e-3);
  return {
    migration: 'events',
    mode: report.mode,
    processed: report.counts.processed,
    total: report.status === 'completed' ? report.counts.processed : Math.max(report.counts.processed, report.counts.selected),
    written: report.counts.written,
    failed: report.counts.failed,
    ratePerSecond: report.counts.processed / seconds,
    etaSeconds: report.status === 'completed' ? 0 : null,
    batches,
  };
}

/** The progress of every worker as one run's: counts and rates added, the ETA from the summed rate. */
function sumProgress(latest: readonly (MigrationProgress | undefined)[]): MigrationProgress {
  const reported = latest.filter((progress) => progress !== undefined);
  const sum = (pick: (progress: MigrationProgress) => number) => reported.reduce((total, progress) => total + pick(progress), 0);
  const processed = sum((progress) => progress.processed);
  const total = sum((progress) => progress.total);
  const ratePerSecond = sum((progress) => progress.ratePerSecond);
  // Until every worker has reported, the total (and so the time left) is not known.
  const everyWorker = reported.length === latest.length;
  const paused = reported.find((progress) => progress.paused !== undefined)?.paused;
  return {
    migration: 'events',
    mode: reported[0]!.mode,
    processed,
    total,
    written: sum((progress) => progress.written),
    failed: sum((progress) => progress.failed),
    ratePerSecond,
    etaSeconds: everyWorker && ratePerSecond > 0 ? Math.max(0, total - processed) / ratePerSecond : null,
    batches: sum((progress) => progress.batches),
    // Workers read the same replicas: one waiting says why the run is slowed.
    ...(paused === undefined ? {} : { paused }),
  };
}

function addCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [key, value] of Object.entries(counts)) into[key] = (into[key] ?? 0) + value;
}

/** The workers' reports as one: counts summed, failures and samples gathered, the run's span. */
function sumReports(workers: number, reports: EventMigrationReport[]): EventMigrationWorkersReport {
  const first = reports[0]!;
  if (workers === 1) return { ...first, workers: reports };
  const counts: Record<string, number> = {};
  const providers: Record<string, number> = {};
  const eventKinds: Record<string, number> = {};
  const samples: EventSample[] = [];
  const samplesPerKind = new Map<string, number>();
  for (const report of reports) {
    addCounts(counts, report.counts);
    addCounts(providers, report.providers);
    addCounts(eventKinds, report.eventKinds ?? {});
    for (const sample of report.samples ?? []) {
      const taken = samplesPerKind.get(sample.eventKind) ?? 0;
      if (taken >= SAMPLES_PER_EVENT_KIND) continue;
      samplesPerKind.set(sample.eventKind, taken + 1);
      samples.push(sample);
    }
  }
  const failures = reports.flatMap((report) => report.failures);
  const retries = reports.reduce((sum, report) => sum + (report.retries ?? 0), 0);
  const throttled = reports.map((report) => report.throttle).filter((throttle) => throttle !== undefined);
  const pausedAtEnd = throttled.find((throttle) => throttle.pausedAtEnd !== undefined)?.pausedAtEnd;
  const reasons: Record<string, number> = {};
  for (const throttle of throttled) addCounts(reasons, throttle.reasons ?? {});
  const sizes = reports.map((report) => report.batchSizes).filter((chosen) => chosen !== undefined);
  const startedAt = reports.map((report) => report.startedAt).sort()[0]!;
  const finishedAt = reports.map((report) => report.finishedAt).sort().at(-1)!;
  // Aborted (a signal, or a worker's failure) outranks limited (a time box), which outranks completed.
  const status = reports.some((report) => report.status === 'aborted') ? 'aborted' : reports.some((report) => report.status === 'limited') ? 'limited' : 'completed';
  return {
    ...first,
    runKey: workersRunKey(workers),
    status,
    resumedFrom: null,
    retries: retries > 0 ? retries : undefined,
    // Pauses of every worker; the time paused is the longest any worker waited (they wait side by side).
    ...(throttled.length > 0
      ? {
          throttle: {
            pauses: throttled.reduce((sum, throttle) => sum + throttle.pauses, 0),
            pausedMs: Math.max(...throttled.map((throttle) => throttle.pausedMs)),
            ...(Object.keys(reasons).length === 0 ? {} : { reasons }),
            ...(pausedAtEnd === undefined ? {} : { pausedAtEnd }),
          },
        }
      : {}),
    ...(sizes.length > 0
      ? {
          batchSizes: {
            first: sizes[0]!.first,
            smallest: Math.min(...sizes.map((chosen) => chosen.smallest)),
            largest: Math.max(...sizes.map((chosen) => chosen.largest)),
            last: sizes[0]!.last,
          },
        }
      : {}),
    counts: counts as EventMigrationReport['counts'],
    providers,
    eventKinds,
    samples,
    failures: failures.slice(0, MAX_STORED_FAILURES),
    failuresTruncated: (counts.failed ?? 0) > MAX_STORED_FAILURES || reports.some((report) => report.failuresTruncated),
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    workers: reports,
  };
}
