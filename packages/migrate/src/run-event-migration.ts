import type { NormalizerRegistry } from '@app/canonical-events/core';
// The zod-free entry: the package root loads zod for its schemas (about 10 MB of a runner's memory).
import { defaultRegistry } from '@app/canonical-events/default-registry';
import { assertSchemaReady } from './assert-schema-ready.js';
import { type CanonicalPayload, canonicalPayloadOf } from './canonical-payload.js';
import { leaseRefusal } from './lease-refusal.js';
import {
  type CheckpointMismatchError,
  InvalidOptionError,
  type LeaseLostError,
  type RunLockedError,
  type RunOverlapError,
  type SchemaNotReadyError,
  TimeoutLimitError,
  isBatchOutOfOrder,
  isDataRejected,
} from './errors.js';
import type { EventMigrationReport, EventSample } from './event-migration-report.js';
import { EVENT_REPORT_SCHEMA_VERSION } from './event-report-schema-version.js';
import { SAMPLES_PER_EVENT_KIND } from './samples-per-event-kind.js';
import type { MigrationProgress } from './migration-progress.js';
import {
  type BatchTimeouts,
  type BatchWrite,
  type CheckpointScope,
  type EventRecord,
  type EventUpdate,
  type EventSelection,
  type FailedItem,
  MAX_STORED_FAILURES,
  type MigrationStore,
  type RowKey,
  type RunCheckpoint,
} from './migration-store.js';
import { batchTimeoutsOf } from './batch-timeouts-of.js';
import { resumeCheckpoint } from './resume-checkpoint.js';
import { isRetryable, retryTransient } from './retry-transient.js';
import { afterBatchTimeout } from './after-batch-timeout.js';
import { batchTimeoutKindOf } from './batch-timeout-kind.js';
import { type TimeoutThrottleOptions, timeoutThrottleOf } from './timeout-throttle.js';
import { startedHistory } from './run-history.js';
import { writeInParts } from './write-in-parts.js';
import { type ADAPTIVE_BATCH_SIZE_BOUNDS, DEFAULT_MAX_BATCH_BYTES, type DEFAULT_TARGET_BATCH_MS, batchSizer } from './batch-sizer.js';
import { type NormalizedEventBatch, normalizeEventBatch } from './normalize-event-batch.js';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, batchSizeOf, nextTurn, positiveInteger, writesInFlightOf } from './run-options.js';
import { type Shard, runKeyOf, shardRange } from './shard.js';
import { type ThrottleOptions, throttleOf } from './throttle.js';
import { throttleTally } from './throttle-tally.js';

export { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './run-options.js';

/** How long a runner's lease lasts without a batch; renewed before every batch. */
export const DEFAULT_LEASE_TTL_MS = 60_000;

/** Options of {@link runEventMigration}. */
export interface EventMigrationOptions {
  /** Where the events are. */
  store: MigrationStore;
  /**
   * Write the canonical events. `false` (the default) is a dry run that writes nothing at all, not
   * even DDL, and needs only the legacy tables; `true` needs the schema `store.ensureSchema()`
   * (`app-migrate init`) creates.
   */
  apply?: boolean;
  /** Continue after the last committed batch of the previous run of this migration (and shard). */
  resume?: boolean;
  /**
   * Rows per batch (one transaction each): a positive integer up to {@link MAX_BATCH_SIZE}, the
   * same for every batch. When absent the runner sizes its batches to `targetBatchMs`, starting at
   * {@link DEFAULT_BATCH_SIZE}.
   */
  batchSize?: number;
  /**
   * When no `batchSize` is given, the runner sizes its batches while it runs so that one lasts
   * about this long (reading, normalizing, writing), as GitLab's batched background migrations do:
   * {@link DEFAULT_BATCH_SIZE} first, then each next size from the last batch's rate, at most
   * doubled or halved at a time and kept within {@link ADAPTIVE_BATCH_SIZE_BOUNDS};
   * {@link DEFAULT_TARGET_BATCH_MS} by default. The sizes chosen are in the report (`batchSizes`).
   */
  targetBatchMs?: number;
  /**
   * When no `batchSize` is given, the most payload a batch holds, in characters of its rows'
   * `event_data` JSON text: from the mean payload size of each batch read, the next one is made
   * small enough (down to one row), so a table of large payloads does not fill the memory.
   * {@link DEFAULT_MAX_BATCH_BYTES} (about 1 MB) by default. Applies with a store that reports the
   * length (`EventRecord.eventDataLength`: every SQL store does); the first batch has
   * {@link DEFAULT_BATCH_SIZE} rows whatever their size.
   */
  maxBatchBytes?: number;
  /** Stop after this many rows (a trial run). */
  limit?: number;
  /**
   * A time box: stop after the batch during which the run has lasted this long (by `now`). The run
   * ends `limited` with its checkpoint still `running`, so `resume: true` continues it: a web page
   * or an edge function with a request time limit drives a long migration as a series of slices.
   * A throttle's wait ends with the box too (the report's `throttle.pausedAtEnd` says why it was
   * waiting), so a slice never outlasts its request while a replica lags.
   */
  maxDurationMs?: number;
  /** Process one key range of the table: shard `index` of `count` (1-based). */
  shard?: Shard;
  /** Also re-normalize events written by an older normalizer version. */
  renormalize?: boolean;
  /** The normalizers; `defaultRegistry` of `@app/canonical-events` by default (extend it with your own providers). */
  registry?: NormalizerRegistry;
  /**
   * The event time of rows whose payload and `created_at` have none (`receivedAt` of
   * `normalizeEvent`): such rows otherwise fail with `MISSING_TIMESTAMP` on every run. Give the
   * time the events were received, or the run's start time when any recent time will do.
   */
  receivedAt?: string | number | Date;
  /**
   * Stops the run after the current batch (Ctrl-C in the CLI). The runner yields to the event
   * loop between batches, so an abort from a timer or a signal handler is seen even on a
   * synchronous driver.
   */
  signal?: AbortSignal;
  /** Called after every batch. */
  onProgress?: (progress: MigrationProgress) => void;
  /** Identifies this runner in the lease; a random id by default. */
  holder?: string;
  /** Lease length; {@link DEFAULT_LEASE_TTL_MS} by default. */
  leaseTtlMs?: number;
  /** The clock, for reports and rates; `() => new Date()` by default. */
  now?: () => Date;
  /**
   * Acknowledge the failed rows: the rows the last checkpoint of this run key lists as failed are
   * known, skipped (counted `skipped`, not normalized again) and kept in the checkpoint beside
   * this run's new failures, and `counts.newFailed` counts only the rows that were not known. The
   * checkpoint records the mode, so later runs keep it until `retryFailed`. (A checkpoint lists
   * the first {@link MAX_STORED_FAILURES} failures; rows past them are not known.)
   */
  acknowledgeFailures?: boolean;
  /** With acknowledged failures: read the known failed rows again this run (those that fail again stay known). */
  retryFailed?: boolean;
  /**
   * What the written canonical event holds of the payload. `'copy'` (the default) is the canonical
   * event as the product defines it, its `payload` a copy of the row's `event_data`. `'omit'`
   * writes it without `payload`: the row already holds it in `event_data`, so each event is
   * written with half the bytes or less, and a reader takes the payload from `event_data`.
   * `verifyMigration` checks such an event against its row's `event_data`. Runs of either kind
   * may follow each other (a resumed run may change it); an event keeps what the run that wrote
   * it chose until it is written again (`renormalize`).
   */
  canonicalPayload?: CanonicalPayload;
  /**
   * Pause while the database's replicas fall behind: before every batch it writes, an applying run
   * reads `throttle.health` (the PostgreSQL and MySQL/MariaDB stores implement it) and waits while
   * a replica is further behind than `maxReplicationLagSeconds` or `maxReplicationLagBytes`,
   * reading again every `pauseMs`, renewing its lease and stopping at once on `signal`. Progress
   * says why it waits (`paused`); the report counts the pauses and the time paused (`throttle`).
   */
  throttle?: ThrottleOptions;
  /**
   * The longest the throttle may keep the run waiting, in ms in all (the pauses added up, as the
   * report's `throttle.pausedMs`): past it the run stops before the batch it waited for and ends
   * `limited`, with its checkpoint still `running` and `throttle.pausedAtEnd` saying why; `resume`
   * continues. A run that does not wait is not cut short, however long its batches take (that is
   * `maxDurationMs`). As `maxWaitMs` of `runCampaignMigration`; no limit by default.
   */
  maxWaitMs?: number;
  /**
   * Limits on each batch the run writes, set in that batch's transaction only (its one statement
   * on PostgreSQL where it can), apart from the connection's own: `lockTimeoutMs`, how long a
   * batch waits for the application's row locks before the database gives up and the runner
   * tries it again (`retries`), and `statementTimeoutMs`, how long a batch may run before the
   * database cancels it, which stops the run with its checkpoint at the last committed batch
   * (`resume` continues). Positive integers of ms; none by default (the connection's settings
   * hold). What each database applies: see {@link BatchTimeouts} and the adapters' READMEs.
   * With a `timeoutThrottle` the run pauses on either instead.
   */
  batchTimeouts?: BatchTimeouts;
  /**
   * Pause when the database ends a batch on its lock or statement timeout (`batchTimeouts`, or the
   * connection's own), rather than try the same batch again at once (a lock wait) or stop (a
   * statement timeout): the batch was rolled back with its checkpoint, so the run forgets it,
   * pauses `pauseMs` (renewing its lease, stopping at once on `signal`), halves its batch size
   * and reads the rows again; past `maxTimeouts` timeouts within `windowMs` it stops with a
   * {@link TimeoutLimitError} (`TIMEOUT_LIMIT`), its checkpoint at the last committed batch.
   * Progress says why it waits (`paused`); the report counts the pauses with the throttle's
   * (`throttle.reasons`: `lock-timeouts`, `statement-timeouts`), and `maxWaitMs` and
   * `maxDurationMs` bound them: a pause that would outlast either ends the run `limited` instead.
   * Without it a run behaves as `batchTimeouts` says.
   */
  timeoutThrottle?: TimeoutThrottleOptions;
  /**
   * How many batch writes are in flight at once: 1 (the default), each batch written after the
   * previous one committed, or 2, the next batch's write sent while the previous one is still
   * being written, on a connection of its own, so the database works on both at once (its second
   * core). The second writes its rows at once, and its checkpoint only once the first committed,
   * and only at the first's end ({@link BatchWrite.follows}): the checkpoint still moves one batch
   * at a time, and a batch whose predecessor is rolled back (a refused row, a deadlock) writes
   * nothing and is written again after it, so a crash loses or doubles nothing. 2 needs a store with
   * {@link MigrationStore.maxWritesInFlight} of 2 (the PostgreSQL and MySQL/MariaDB stores over a
   * pool; not SQLite, PGlite or a single connection, which refuse it with `INVALID_OPTION`), and
   * one more connection (three: two writes and the next batch's read). A checkpoint counts a row
   * that another writer migrated between the read and the write as written until the next
   * checkpoint but one (the next one with 1). Not with `timeoutThrottle` (`INVALID_OPTION`): a
   * batch ended on a timeout is written again in order instead. See the adapters' READMEs for
   * what it gains.
   */
  writesInFlight?: 1 | 2;
}

/** A batch write sent while another may still be in flight (`writesInFlight: 2`), with what it takes to write it again in order. */
interface SentWrite {
  /** The batch as read and normalized: its counts, failures and rows read, to count it again after a rewrite of the one before. */
  batch: NormalizedEventBatch;
  updates: readonly EventUpdate[];
  /** The batch's last key, where its checkpoint puts the cursor. */
  end: RowKey;
  /** The cursor its checkpoint follows (the previous batch's end). */
  follows: RowKey | null;
  /** The run's counts and how many failures it listed once the batch was counted, before its rows were counted written. */
  countsBefore: Record<string, number>;
  failuresBefore: number;
  /** The store's answer: the rows written, or why nothing was. */
  attempt: Promise<number>;
}

function randomHolder(): string {
  return `runner-${globalThis.crypto.randomUUID()}`;
}

/** Current version per normalizer name, the fallback included, for re-normalization. */
function currentVersions(registry: NormalizerRegistry): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const normalizer of [...registry.normalizers, registry.resolve(undefined)]) versions[normalizer.name] = normalizer.version;
  return versions;
}

function add(counts: Record<string, number>, key: string, n = 1) {
  counts[key] = (counts[key] ?? 0) + n;
}

/**
 * Backfills `canonical_event` for every event that lacks one, in keyset-paginated batches.
 *
 * - Dry run unless `apply: true`; a dry run reads and normalizes but writes nothing, not even a
 *   checkpoint, a lease or DDL.
 * - It never changes the schema: when the store lacks a table or column the migration needs
 *   (`inspectSchema()`), it throws a {@link SchemaNotReadyError} before reading anything. A dry
 *   run needs only the legacy tables and columns (without `canonical_event` every event is
 *   selected); an applying run needs `store.ensureSchema()` first (the CLI does for `--apply`,
 *   and `app-migrate init` does).
 * - Each applied batch commits its canonical events together with the checkpoint (cursor and
 *   counts), so `resume: true` after a crash, a kill or Ctrl-C continues exactly after the last
 *   committed batch: no row twice, none skipped.
 * - A row that fails to normalize is counted and listed with its id and reason; the batch goes on.
 *   So is a row whose canonical event the database refuses (`DataRejectedError`: a NUL character
 *   PostgreSQL's jsonb cannot hold, JSON MariaDB cannot parse): the batch is written in halves
 *   until that row is alone, and the others are written.
 * - A second runner of the same migration (and shard) gets a {@link RunLockedError}; a run while
 *   another run of the migration over some of the same rows holds a live lease (the whole table
 *   beside a shard, shards of different counts) gets a {@link RunOverlapError}. A runner whose
 *   lease was taken over (or lapsed) stops with a {@link LeaseLostError} before writing another
 *   row or count: every batch and checkpoint is written only while its holder holds the lease, so
 *   the checkpoint's counts are exactly the rows written.
 * - The checkpoint records what it describes (table and key column, shard range, selection):
 *   `resume` on anything else throws a {@link CheckpointMismatchError} before writing, and a
 *   resumed shard keeps the key range it started with.
 * - Between batches it gives the event loop a turn, so `signal` stops it after the current batch
 *   even when the store never waits (better-sqlite3).
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the option, before anything is read, for a
 *   `batchSize` that is not a positive integer up to {@link MAX_BATCH_SIZE}, or a bad `limit`,
 *   `maxDurationMs`, `maxWaitMs`, `maxBatchBytes`, `leaseTtlMs`, `batchTimeouts`, `timeoutThrottle`, `canonicalPayload`,
 *   or `writesInFlight` (also 2 with a store that cannot have two writes in flight, or with a `timeoutThrottle`).
 * @throws TimeoutLimitError `TIMEOUT_LIMIT` with a `timeoutThrottle`, when more batches timed out within its window than it allows.
 * @returns The JSON report of the run.
 */
export async function runEventMigration(options: EventMigrationOptions): Promise<EventMigrationReport> {
  const { store } = options;
  const apply = options.apply === true;
  const batchSize = batchSizeOf(options.batchSize);
  const limit = options.limit === undefined ? Number.POSITIVE_INFINITY : positiveInteger('limit', options.limit, 1);
  const leaseTtlMs = positiveInteger('leaseTtlMs', options.leaseTtlMs, DEFAULT_LEASE_TTL_MS);
  const maxBatchBytes = positiveInteger('maxBatchBytes', options.maxBatchBytes, DEFAULT_MAX_BATCH_BYTES);
  const maxDurationMs = options.maxDurationMs === undefined ? Number.POSITIVE_INFINITY : positiveInteger('maxDurationMs', options.maxDurationMs, 1);
  const maxWaitMs = options.maxWaitMs === undefined ? Number.POSITIVE_INFINITY : positiveInteger('maxWaitMs', options.maxWaitMs, 1);
  const timeouts = batchTimeoutsOf(options.batchTimeouts);
  const registry = options.registry ?? defaultRegistry;
  const omitPayload = canonicalPayloadOf(options.canonicalPayload) === 'omit';
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? randomHolder();
  const runKey = runKeyOf('events', options.shard);
  const throttle = throttleOf(options.throttle);
  const timeoutThrottle = timeoutThrottleOf(options.timeoutThrottle);
  const writesInFlight = writesInFlightOf(options.writesInFlight, store);
  // A timeout throttle forgets a batch ended on a timeout and reads it again; with a second write in flight behind it, that write would have to be forgotten too.
  if (writesInFlight === 2 && timeoutThrottle !== null) throw new InvalidOptionError('writesInFlight', 'must be 1 with a timeoutThrottle');
  const started = now();

  await assertSchemaReady(store, apply ? 'write' : 'read');
  if (apply) {
    const lease = await store.acquireLease(runKey, holder, leaseTtlMs);
    if (!lease.acquired) throw leaseRefusal(runKey, holder, lease, false);
  }
  // The write in flight with `writesInFlight: 2` that was not settled yet; a run that throws waits for it before it lets go of the lease.
  let sent: SentWrite | null = null;
  try {
    const bound = { source: await store.sourceOf('events'), renormalize: options.renormalize === true };
    const previous = options.resume ? await resumeCheckpoint(store, runKey, bound) : null;
    // A run that starts over keeps the run it replaces in its history: status still shows the work done.
    const last = options.resume ? previous : await store.readCheckpoint(runKey);
    const history = options.resume ? (previous?.history ?? []) : apply ? startedHistory(last) : [];
    // Acknowledged failures: the rows the last checkpoint lists as failed, skipped unless retried.
    const acknowledge = options.acknowledgeFailures === true || last?.acknowledgedFailures === true;
    const known = new Map<string, FailedItem>();
    if (acknowledge) for (const item of last?.failures ?? []) if (item.id !== null) known.set(item.id, item);
    const skip = acknowledge && options.retryFailed !== true ? known : new Map<string, FailedItem>();
    // A resumed shard keeps the range it started with; a shard that starts takes it from the
    // boundaries the first shard of its count recorded, so shards never overlap however the table moved.
    const range = previous?.scope?.range ?? (await shardRange(store, 'events', options.shard, apply));
    const selection: EventSelection = {
      range: range ?? undefined,
      renormalize: options.renormalize ? currentVersions(registry) : undefined,
    };
    const scope: CheckpointScope = { ...bound, range: range ?? null };
    const counts: Record<string, number> = {
      processed: 0,
      written: 0,
      wouldWrite: 0,
      failed: 0,
      fallback: 0,
      ...(acknowledge ? { skipped: 0, newFailed: 0 } : {}),
      ...(previous?.counts ?? {}),
    };
    // A resumed run carries its failures; one that starts over carries the known ones it skips.
    const failures: FailedItem[] = previous !== null ? [...previous.failures] : [...skip.values()];
    const fail = (item: FailedItem) => {
      add(counts, 'failed');
      if (acknowledge && !known.has(item.id ?? '')) add(counts, 'newFailed');
      failures.push(item);
    };
    let cursor = previous?.cursor ?? null;
    // A resumed run reads only past its cursor, so it counts only there: a key range, whose cost is
    // the work left, where counting the whole selection reads every migrated row's canonical event.
    const selected = range === null ? 0 : await store.countEvents(cursor === null ? selection : { ...selection, range: { after: cursor, upTo: range?.upTo ?? null } });
    const alreadyProcessed = counts.processed!;
    // Rows still to read: past the cursor only. Rows the resumed runs failed before it are still
    // selected, but are already in `processed`; counted again they would keep the total out of reach.
    const remaining = selected;
    const total = alreadyProcessed + remaining;
    const checkpointAt = (status: RunCheckpoint['status'], limited = false): RunCheckpoint => ({
      runKey,
      migration: 'events',
      status,
      cursor,
      counts: { ...counts },
      failures: failures.slice(0, MAX_STORED_FAILURES),
      startedAt: previous?.startedAt ?? started.toISOString(),
      updatedAt: now().toISOString(),
      scope,
      ...(limited ? { limited: true } : {}),
      ...(acknowledge ? { acknowledgedFailures: true } : {}),
      history,
    });
    if (apply) await store.writeCheckpoint(checkpointAt('running'), holder);

    let status: EventMigrationReport['status'] = 'completed';
    // Samples come from this run only (a checkpoint keeps counts, not events).
    const samples: EventSample[] = [];
    const samplesPerKind = new Map<string, number>();
    let processedThisRun = 0;
    let batches = 0;
    const sizer = batchSizer(options.batchSize, batchSize, options.targetBatchMs, maxBatchBytes);
    const normalize = (rows: EventRecord[]) => normalizeEventBatch(rows, registry, skip, options.receivedAt, omitPayload);
    // Reads and writes the database gave up on for a reason that passes (a deadlock, a lock wait
    // timeout) are tried again: they were rolled back whole.
    let retries = 0;
    const read = (after: string | null, size: number): Promise<NormalizedEventBatch & { requested: number }> =>
      retryTransient(() => store.readEventBatch(selection, after, size), { signal: options.signal }).then(({ value: rows, retries: retried }) => {
        retries += retried;
        const batch = normalize(rows);
        // Its write's parameter too, while the current batch is still being written. The store's own
        // form of the updates, when it gives one, replaces them: the batch's canonical events and
        // parsed payloads are then garbage at once, and die in V8's young generation instead of
        // lasting until the write (see the adapters' READMEs, where the memory goes).
        const prepared = apply ? store.prepareEventBatch?.(batch.updates) : undefined;
        const updates = Array.isArray(prepared) && prepared.length === batch.updates.length ? prepared : batch.updates;
        return { ...batch, updates, requested: size };
      });
    // The next batch, read and normalized while the current one is written: it lies past the
    // current batch's end, so the write cannot change it, and its counts join the run's only with
    // its own write (a crash loses or doubles nothing). Nothing of it is written ahead.
    let next: Promise<NormalizedEventBatch & { requested: number }> | null = null;
    // The lease is renewed when a third of it has gone by; every write checks it in the database anyway.
    let leaseRenewedAt = apply ? now().getTime() : 0;
    const renewLease = async () => {
      const lease = await store.acquireLease(runKey, holder, leaseTtlMs);
      if (!lease.acquired) throw leaseRefusal(runKey, holder, lease, true);
      leaseRenewedAt = now().getTime();
    };
    const throttled =
      throttle === null && timeoutThrottle === null
        ? null
        : throttleTally(throttle, {
            signal: options.signal,
            now: () => now().getTime(),
            renewLeaseIfDue: async () => {
              if (now().getTime() - leaseRenewedAt >= leaseTtlMs / 3) await renewLease();
            },
          });
    const progressNow = (): MigrationProgress => {
      const elapsedSeconds = Math.max((now().getTime() - started.getTime()) / 1000, 1e-3);
      const rate = processedThisRun / elapsedSeconds;
      const shownTotal = Math.max(total, counts.processed!);
      // The time to this run's end: the selection's, or the limit's when that comes first.
      const left = Math.min(shownTotal - counts.processed!, limit - processedThisRun);
      return {
        migration: 'events',
        mode: apply ? 'apply' : 'dry-run',
        processed: counts.processed!,
        total: shownTotal,
        written: counts.written!,
        failed: counts.failed!,
        ratePerSecond: rate,
        etaSeconds: rate > 0 ? left / rate : null,
        batches,
      };
    };
    // The times of the batch timeouts so far, for the timeout throttle's window.
    const timeoutsAt: number[] = [];
    // With a timeout throttle, lock waits past their limit are its to handle, not retried at once.
    const notATimeout = (error: unknown) => isRetryable(error) && batchTimeoutKindOf(error) === null;
    const runState = () => ({ counts: { ...counts }, failures: failures.length, samples: samples.length, processedThisRun, batches, cursor });
    const restore = (state: ReturnType<typeof runState>) => {
      for (const key of Object.keys(counts)) delete counts[key];
      Object.assign(counts, state.counts);
      failures.length = state.failures;
      for (const sample of samples.splice(state.samples)) samplesPerKind.set(sample.eventKind, (samplesPerKind.get(sample.eventKind) ?? 1) - 1);
      processedThisRun = state.processedThisRun;
      batches = state.batches;
      cursor = state.cursor;
    };
    /**
     * Writes a batch after the previous one committed, in one transaction, or in parts when the
     * database refuses a row; each part's checkpoint ends at its last row, the last one at the
     * batch's end. Moves the cursor and counts the rows written. `onCommitted` is called once a
     * part is in the database (a timeout after it cannot forget the batch).
     */
    const writeInOrder = async (updates: readonly EventUpdate[], batchEnd: RowKey, onCommitted: () => void = () => undefined) => {
      let uncommitted = false;
      await writeInParts(
        updates,
        async (part) => {
          // A part's checkpoint ends at its last row; the batch's last part (or the batch with no update) at the batch's end.
          cursor = part.length === 0 || part.at(-1) === updates.at(-1) ? batchEnd : part.at(-1)!.id;
          // The checkpoint commits with the part, so it counts the part as written; should a row
          // have left the selection meanwhile (another writer), the count is corrected at once.
          add(counts, 'written', part.length);
          try {
            // Each retry renews the lease first: lock waits can outlast a third of it.
            const { value: written, retries: retried } = await retryTransient(
              // The batch's own array when written whole: the one prepareEventBatch returned, or got.
              () => store.writeEventBatch({ holder, updates: part === updates ? updates : [...part], checkpoint: checkpointAt('running'), ...(timeouts === undefined ? {} : { timeouts }) }, selection),
              { signal: options.signal, beforeRetry: renewLease, ...(timeoutThrottle === null ? {} : { retryable: notATimeout }) },
            );
            retries += retried;
            add(counts, 'written', written - part.length);
            uncommitted = false;
            onCommitted();
          } catch (error) {
            add(counts, 'written', -part.length);
            throw error;
          }
        },
        (update, error) => {
          fail({ id: update.id, code: 'WRITE_REJECTED', reason: `Event ${update.id}: the database refused its canonical event: ${error.message}` });
          uncommitted = true;
        },
      );
      // The last row of the batch was refused: the checkpoint still has to record it and move to the batch's end.
      if (uncommitted) {
        onCommitted();
        cursor = batchEnd;
        await store.writeCheckpoint(checkpointAt('running'), holder);
      }
    };
    /**
     * Sends a batch's write (`writesInFlight: 2`) whole, once, after `previous` (the write still
     * in flight, if any): the store writes its rows at once, and its checkpoint only after
     * `previous` committed and only at that one's end ({@link BatchWrite.follows}). Counts its
     * rows written, as {@link writeInOrder} does; {@link settle} corrects that.
     */
    const send = (batch: NormalizedEventBatch, updates: readonly EventUpdate[], end: RowKey, previous: SentWrite | null): SentWrite => {
      const follows = cursor;
      const countsBefore = { ...counts };
      const failuresBefore = failures.length;
      cursor = end;
      add(counts, 'written', updates.length);
      const attempt = store.writeEventBatch(
        { holder, updates, checkpoint: checkpointAt('running'), follows: { cursor: follows, committed: previous?.attempt ?? Promise.resolve() }, ...(timeouts === undefined ? {} : { timeouts }) },
        selection,
      );
      // Handled by settle(), or by the run's end: a write that fails while another is awaited leaves no unhandled rejection.
      attempt.catch(() => undefined);
      return { batch, updates, end, follows, countsBefore, failuresBefore, attempt };
    };
    /**
     * Waits for the oldest write in flight. When the database rolled it back for a reason that
     * passes (a refused row, a deadlock or lock timeout, or the checkpoint was not at its start:
     * `BatchOutOfOrderError`), the write sent after it rolls back too (its checkpoint follows this
     * one's commit): both are written again in order, the counts as they were when this one was
     * sent. Any other error ends the run once the other write has given up.
     */
    const settle = async (older: SentWrite): Promise<void> => {
      let failure: unknown;
      try {
        const written = await older.attempt;
        add(counts, 'written', written - older.updates.length);
        if (sent === older) sent = null;
        return;
      } catch (error) {
        failure = error;
      }
      const newer = sent === older ? null : sent;
      sent = null;
      if (newer !== null) await newer.attempt.catch(() => undefined);
      if (!isDataRejected(failure) && !isRetryable(failure) && !isBatchOutOfOrder(failure)) throw failure;
      if (isRetryable(failure)) retries++;
      for (const key of Object.keys(counts)) delete counts[key];
      Object.assign(counts, older.countsBefore);
      failures.length = older.failuresBefore;
      cursor = older.follows;
      await writeInOrder(older.updates, older.end);
      if (newer === null) return;
      for (const [key, n] of Object.entries(newer.batch.counts)) add(counts, key, n);
      for (const item of newer.batch.failures) fail(item);
      counts.processed! += newer.batch.read;
      await writeInOrder(newer.updates, newer.end);
    };
    // Whether the event loop had a turn while the last batch was written (an asynchronous
    // driver's write gives it turns): the next batch then starts at once, where a turn of its own
    // (a timer, at least a millisecond) would leave the database idle between two writes.
    let turned = false;
    while (range !== null) {
      if (!turned) await nextTurn();
      turned = false;
      if (options.signal?.aborted) {
        status = 'aborted';
        break;
      }
      if (processedThisRun >= limit || (batches > 0 && now().getTime() - started.getTime() >= maxDurationMs)) {
        status = 'limited';
        break;
      }
      if (apply && throttled !== null) {
        const after = await throttled.beforeBatch({
          onPause: (reason) => options.onProgress?.({ ...progressNow(), paused: reason }),
          // A time box ends the wait too, and so does the wait allowed in all: the run stops as
          // limited, still paused, and its resume reads again.
          until: Math.min(started.getTime() + maxDurationMs, now().getTime() + maxWaitMs - throttled.pausedMs()),
        });
        if (after !== 'write') {
          status = after;
          break;
        }
      }
      const batchStarted = now().getTime();
      const batch = await (next ?? read(cursor, Math.min(sizer.size, limit - processedThisRun)));
      next = null;
      const { updates } = batch;
      if (batch.read === 0 || batch.end === null) break;
      // What the run had before this batch: a batch the database ends on a timeout is forgotten.
      const before = timeoutThrottle === null ? null : runState();
      // Weighed before the next batch is asked for: its size then keeps to the byte budget at once.
      sizer.weigh(batch.read, batch.measured, batch.eventDataLength);
      for (const [key, n] of Object.entries(batch.counts)) add(counts, key, n);
      for (const item of batch.failures) fail(item);
      for (const sample of batch.samples) {
        const taken = samplesPerKind.get(sample.eventKind) ?? 0;
        if (taken >= SAMPLES_PER_EVENT_KIND) continue;
        samplesPerKind.set(sample.eventKind, taken + 1);
        samples.push(sample);
      }
      counts.processed! += batch.read;
      processedThisRun += batch.read;
      const batchEnd = batch.end;
      batches++;
      const wanted = Math.min(sizer.size, limit - processedThisRun);
      // A short batch was the selection's last; past the limit there is nothing to read.
      if (batch.read === batch.requested && wanted > 0) {
        const reading = read(batchEnd, wanted);
        // Handled here, awaited by the next turn: a write that throws first leaves no unhandled rejection.
        reading.catch(() => undefined);
        next = reading;
      }

      if (apply && writesInFlight === 2) {
        // Renewed before the write when due, so a runner whose lease lapsed finds out before it writes anything.
        if (now().getTime() - leaseRenewedAt >= leaseTtlMs / 3) await renewLease();
        void nextTurn().then(() => {
          turned = true;
        });
        const older = sent;
        sent = send(batch, updates, batchEnd, older);
        // This batch's write is on its way; the one before it is settled while it runs.
        if (older !== null) await settle(older);
      } else if (apply) {
        // Renewed before the write when due, so a runner whose lease lapsed finds out before it writes anything.
        if (now().getTime() - leaseRenewedAt >= leaseTtlMs / 3) await renewLease();
        // A part of the batch is in the database: a timeout after it cannot forget the batch.
        let committed = false;
        void nextTurn().then(() => {
          turned = true;
        });
        try {
          await writeInOrder(updates, batchEnd, () => {
            committed = true;
          });
        } catch (error) {
          const kind = before === null || committed ? null : batchTimeoutKindOf(error);
          if (kind === null || timeoutThrottle === null || throttled === null || before === null) throw error;
          // Rolled back whole with its checkpoint: the run forgets the batch, and the next one read
          // past its end, and reads from its cursor again once it has paused.
          restore(before);
          if (next !== null) await next.catch(() => undefined);
          next = null;
          const at = now().getTime();
          // Only the window's timeouts count; older ones are let go.
          while (timeoutsAt.length > 0 && at - timeoutsAt[0]! >= timeoutThrottle.windowMs) timeoutsAt.shift();
          const decision = afterBatchTimeout(kind, timeoutsAt, at, Math.min(started.getTime() + maxDurationMs, at + maxWaitMs - throttled.pausedMs()), timeoutThrottle);
          timeoutsAt.push(at);
          if (decision.action === 'stop') throw new TimeoutLimitError(kind, decision.recent, timeoutThrottle, { cause: error });
          const paused = () => options.onProgress?.({ ...progressNow(), paused: decision.reason });
          if (decision.action === 'limited') {
            paused();
            throttled.endPaused(decision.reason);
            status = 'limited';
            break;
          }
          sizer.shrink();
          if ((await throttled.pause(decision.ms, decision.code, paused)) === 'aborted') {
            status = 'aborted';
            break;
          }
          continue;
        }
      } else {
        cursor = batchEnd;
        add(counts, 'wouldWrite', updates.length);
      }

      sizer.record(batch.read, batch.requested, now().getTime() - batchStarted);
      options.onProgress?.(progressNow());
    }
    if (sent !== null) await settle(sent);
    // A run stopped (aborted, limited) with the next batch in flight waits for that read: the caller may close the store next.
    if (next !== null) await next.catch(() => undefined);
    if (apply) await store.writeCheckpoint(status === 'limited' ? checkpointAt('running', true) : checkpointAt(status), holder);

    const finished = now();
    const providers: Record<string, number> = {};
    for (const [key, n] of Object.entries(counts)) if (key.startsWith('provider:')) providers[key.slice('provider:'.length)] = n;
    const eventKinds: Record<string, number> = {};
    for (const [key, n] of Object.entries(counts)) if (key.startsWith('kind:')) eventKinds[key.slice('kind:'.length)] = n;
    return {
      format: 'event-migration-report',
      schemaVersion: EVENT_REPORT_SCHEMA_VERSION,
      mode: apply ? 'apply' : 'dry-run',
      runKey,
      status,
      resumedFrom: previous?.cursor ?? null,
      batchSize,
      ...(sizer.adaptive ? { batchSizes: sizer.chosen() } : {}),
      ...(retries > 0 ? { retries } : {}),
      ...(throttled !== null ? { throttle: throttled.report() } : {}),
      counts: {
        selected,
        processed: counts.processed!,
        written: counts.written!,
        wouldWrite: counts.wouldWrite!,
        failed: counts.failed!,
        fallback: counts.fallback!,
        ...(acknowledge ? { skipped: counts.skipped ?? 0, newFailed: counts.newFailed ?? 0 } : {}),
      },
      providers,
      eventKinds,
      samples,
      failures: failures.slice(0, MAX_STORED_FAILURES),
      failuresTruncated: counts.failed! > MAX_STORED_FAILURES,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: Math.max(0, finished.getTime() - started.getTime()),
    };
  } finally {
    // A write still in flight commits or not on its own; the lease is let go (and the store closed) after it.
    if (sent !== null) await sent.attempt.catch(() => undefined);
    if (apply) await store.releaseLease(runKey, holder);
  }
}
