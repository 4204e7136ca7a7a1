import {
  type MigrationReport,
  type PlanCampaignMigrationOptions,
  planCampaignMigration,
} from '@app/campaign-migrator';
import { assertSchemaReady } from './assert-schema-ready.js';
import { leaseRefusal } from './lease-refusal.js';
import { type InvalidOptionError, type LeaseLostError, MigrationError, type RunLockedError, type RunOverlapError, SchemaNotReadyError } from './errors.js';
import { absentOwnerColumns } from './owner-columns.js';
import type { MigrationProgress } from './migration-progress.js';
import { type BatchTimeouts, type CampaignUpdate, type CheckpointScope, type FailedItem, MAX_STORED_FAILURES, type MigrationStore, type RunCheckpoint, type StoredRow } from './migration-store.js';
import { resumeCheckpoint } from './resume-checkpoint.js';
import { startedHistory } from './run-history.js';
import { writeInParts } from './write-in-parts.js';
import { type ThrottleOptions, type ThrottleReport, throttleOf } from './throttle.js';
import { throttleTally } from './throttle-tally.js';
import { retryTransient } from './retry-transient.js';
import { batchTimeoutsOf } from './batch-timeouts-of.js';
import { DEFAULT_LEASE_TTL_MS } from './run-event-migration.js';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, batchSizeOf, nextTurn, positiveInteger } from './run-options.js';

/** Options of {@link runCampaignMigration}. */
export interface CampaignMigrationOptions extends Omit<PlanCampaignMigrationOptions, 'resolutions'> {
  store: MigrationStore;
  /**
   * Write `data_sources_v2`. `false` (the default) is a dry run that writes nothing at all, not even
   * DDL, and needs only the legacy tables; `true` needs the schema `store.ensureSchema()`
   * (`app-migrate init`) creates.
   */
  apply?: boolean;
  /** A resolutions file (parsed JSON) deciding ambiguous campaigns; see `@app/campaign-migrator`. */
  resolutions?: unknown;
  /**
   * Campaigns per read and per write transaction: a positive integer up to {@link MAX_BATCH_SIZE};
   * {@link DEFAULT_BATCH_SIZE} by default.
   */
  batchSize?: number;
  /** Write at most this many campaigns in this run (a trial run); the run then ends `limited`. */
  limit?: number;
  /**
   * Continue the previous run: the counts of its checkpoint carry over and its cursor is
   * reported (`resumedFrom`). Campaigns it wrote plan as `already_migrated`, so they are not
   * written again — with or without `resume`.
   */
  resume?: boolean;
  /**
   * Stops between batches (Ctrl-C in the CLI). The runner yields to the event loop between
   * batches, so an abort from a timer or a signal handler is seen even on a synchronous driver.
   */
  signal?: AbortSignal;
  /** Called after every batch, written or (in a dry run) planned, and once per pause of the throttle. */
  onProgress?: (progress: MigrationProgress) => void;
  holder?: string;
  leaseTtlMs?: number;
  now?: () => Date;
  /**
   * Pause before each batch it writes while the database's replicas are behind, as the events
   * runner does (a dry run writes nothing and never waits). Checked before anything is read.
   */
  throttle?: ThrottleOptions | undefined;
  /**
   * The longest the throttle may keep the run waiting, in ms in all: past it the run stops before
   * the batch it waited for and ends `limited`, with `throttle.pausedAtEnd` saying why; `resume`
   * continues. A run that does not wait is not cut short (the admin's Apply uses it to answer
   * within a request). No limit by default.
   */
  maxWaitMs?: number | undefined;
  /**
   * Limits on each batch of `data_sources_v2` the run writes, set in that batch's transaction
   * only, as `batchTimeouts` of `runEventMigration`: `lockTimeoutMs`, how long a batch waits for
   * the application's row locks before the database gives up and the runner tries it again
   * (`retries`), and `statementTimeoutMs`, how long a batch may run before the database cancels
   * it, which stops the run with its checkpoint at the last committed batch. Positive integers of
   * ms; none by default (the connection's settings hold). The SQL stores apply them to campaign
   * batches as to event batches ({@link BatchTimeouts}).
   */
  batchTimeouts?: BatchTimeouts | undefined;
}

/** What {@link runCampaignMigration} did: the planner's report, and how much of it was written. */
export interface CampaignMigrationRun {
  mode: 'dry-run' | 'apply';
  /** `limited` when `limit` or `maxWaitMs` stopped it, `aborted` when `signal` did; run again to continue. */
  status: 'completed' | 'aborted' | 'limited';
  /** The campaign-migrator's report: per-campaign outcome, reasons, candidates, before/after. */
  report: MigrationReport;
  /** Campaigns whose `data_sources_v2` was written by this run (0 in a dry run). */
  written: number;
  /**
   * Campaigns whose `data_sources_v2` the database refused (`WRITE_REJECTED`, with its reason):
   * the batch was written in halves until each was alone, and the rest written. They keep no
   * `data_sources_v2`, and the next run tries them again. Empty in a dry run.
   */
  rejected: FailedItem[];
  /** Written by this run and the runs it resumed (`resume`). */
  totalWritten: number;
  /** The cursor of the checkpoint this run resumed, `null` when it did not resume one. */
  resumedFrom: string | null;
  /**
   * Batch reads and writes tried again after the database gave up on them for a reason that
   * passes (a deadlock, a lock wait past its timeout, a busy SQLite file); absent when none was.
   */
  retries?: number;
  /** With a `throttle`: how often and how long it paused, and why when it ended still paused. */
  throttle?: ThrottleReport;
}

/** The `code` of a reviewer's decision kept in the campaigns checkpoint; `reason` is the resolution as JSON. */
export const RESOLUTION_RECORD = 'RESOLUTION';

/** The decisions of `report` that were applied, as checkpoint items. */
function decisionsOf(report: MigrationReport): FailedItem[] {
  return report.items.flatMap((item) =>
    item.resolutionApplied && item.resolution !== null && item.campaignId !== null ? [{ id: item.campaignId, code: RESOLUTION_RECORD, reason: JSON.stringify(item.resolution) }] : [],
  );
}

/** The decisions an earlier applied run kept in `checkpoint`. */
export function recordedDecisions(checkpoint: RunCheckpoint | null): FailedItem[] {
  return (checkpoint?.failures ?? []).filter((item) => item.code === RESOLUTION_RECORD && item.id !== null);
}

/**
 * The reviewers' decisions an applied campaign run kept in its checkpoint, as a resolutions file
 * (for verify, and to plan the campaigns again as they were applied: the admin's apply report);
 * `undefined` when there are none.
 */
export function recordedResolutions(checkpoint: RunCheckpoint | null): unknown {
  const resolutions: Record<string, unknown> = {};
  for (const item of recordedDecisions(checkpoint)) {
    try {
      resolutions[item.id!] = JSON.parse(item.reason) as unknown;
    } catch {
      // A record that is not JSON explains nothing; verify then lists its campaign.
    }
  }
  return Object.keys(resolutions).length === 0 ? undefined : { schemaVersion: 1, resolutions };
}

/**
 * Migrates campaigns from `data_source` to `data_sources_v2`: reads every campaign (keyset
 * batches) and integration, plans with `planCampaignMigration` (applying `resolutions`), and —
 * with `apply: true` — writes only `data_sources_v2` of the campaigns the plan migrates, in
 * batches committed with a checkpoint. Running it again is safe: migrated campaigns plan as
 * `already_migrated` and are not written twice, which is also how a resumed run continues.
 *
 * Campaigns are planned in memory (the planner needs every integration of an owner); campaign
 * tables are small next to events. An invalid resolutions file refuses to apply. A store lacking
 * what it needs gets a {@link SchemaNotReadyError} before anything is read (a dry run needs only
 * the legacy tables, where a missing `data_sources_v2` column means nothing is migrated yet; an
 * applying run needs `ensureSchema()`'s additions too), and so does one whose `ownerKey` or
 * `integrationOwnerKey` names a column the rows lack: the run never changes the schema. Between batches it gives the event loop a turn, so `signal` stops it after
 * the current batch even when the store never waits (better-sqlite3). Leases work as for events:
 * a second runner gets a {@link RunLockedError} (a {@link RunOverlapError} should the store hold
 * an overlapping run's lease), and a runner whose lease was taken over stops with a
 * {@link LeaseLostError} before writing another row or count.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the option, before anything is read, for a
 *   `batchSize` that is not a positive integer up to {@link MAX_BATCH_SIZE}, a bad `limit`,
 *   `leaseTtlMs`, `maxWaitMs` or `batchTimeouts`, or a `throttle` without health to read, without a
 *   limit or with a bad value.
 */
export async function runCampaignMigration(options: CampaignMigrationOptions): Promise<CampaignMigrationRun> {
  const { store, apply = false, resolutions } = options;
  const batchSize = batchSizeOf(options.batchSize);
  const limit = options.limit === undefined ? Number.POSITIVE_INFINITY : positiveInteger('limit', options.limit, 1);
  const leaseTtlMs = positiveInteger('leaseTtlMs', options.leaseTtlMs, DEFAULT_LEASE_TTL_MS);
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? `runner-${globalThis.crypto.randomUUID()}`;
  const throttle = throttleOf(options.throttle);
  const maxWaitMs = options.maxWaitMs === undefined ? Number.POSITIVE_INFINITY : positiveInteger('maxWaitMs', options.maxWaitMs, 1);
  const timeouts = batchTimeoutsOf(options.batchTimeouts);
  const runKey = 'campaigns';
  const started = now();

  await assertSchemaReady(store, apply ? 'write' : 'read');
  // The lease comes before the first read: a plan made from campaigns read while another runner
  // still wrote would write (and count) its campaigns again, and a checkpoint read then would carry
  // counts that runner has since changed.
  if (apply) {
    const lease = await store.acquireLease(runKey, holder, leaseTtlMs);
    if (!lease.acquired) throw leaseRefusal(runKey, holder, lease, false);
  }
  try {
    // Reads and writes the database gave up on for a reason that passes are tried again, as for events.
    let retries = 0;
    const integrations = await store.readIntegrations();
    const campaigns: StoredRow[] = [];
    for (let after: string | null = null; ; ) {
      // `signal` does not stop the reading (the plan needs every campaign), but timers and signal
      // handlers (a second Ctrl-C) still get their turn meanwhile.
      await nextTurn();
      const { value: batch, retries: retried } = await retryTransient(() => store.readCampaignBatch(after, batchSize), { signal: options.signal });
      retries += retried;
      if (batch.length === 0) break;
      campaigns.push(...batch);
      after = batch.at(-1)!.id;
    }
    // A wrong owner column would make every campaign NO_OWNER: refuse, naming the option.
    const absentOwners = absentOwnerColumns(campaigns, integrations, options);
    if (absentOwners.length > 0) throw new SchemaNotReadyError([], absentOwners);
    const report = planCampaignMigration(campaigns, integrations, {
      ...(options.ownerKey === undefined ? {} : { ownerKey: options.ownerKey }),
      ...(options.integrationOwnerKey === undefined ? {} : { integrationOwnerKey: options.integrationOwnerKey }),
      ...(options.singleOwner === undefined ? {} : { singleOwner: options.singleOwner }),
      ...(options.activeStatuses === undefined ? {} : { activeStatuses: options.activeStatuses }),
      ...(options.conflictingSources === undefined ? {} : { conflictingSources: options.conflictingSources }),
      ...(options.optionNames === undefined ? {} : { optionNames: options.optionNames }),
      ...(resolutions === undefined ? {} : { resolutions }),
    });
    if (apply && report.resolutionErrors.length > 0) {
      const first = report.resolutionErrors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ');
      throw new MigrationError(
        'INVALID_RESOLUTIONS',
        `The resolutions file has ${report.resolutionErrors.length} error(s), so nothing was applied: ${first}`,
      );
    }

    // Each update with the number of campaigns up to and including its own (the plan keeps key
    // order): progress counts campaigns processed, not writes.
    const updates: (CampaignUpdate & { position: number })[] = report.items.flatMap((item, index) =>
      item.patch !== null && item.campaignId !== null ? [{ id: item.campaignId, dataSourcesV2: item.patch.data_sources_v2, position: index + 1 }] : [],
    );
    const scope: CheckpointScope = { source: await store.sourceOf('campaigns'), range: null, renormalize: false };
    const previous = options.resume ? await resumeCheckpoint(store, runKey, scope) : null;
    // The reviewers' decisions the run applied, kept in its checkpoint: they explain to verify the
    // campaigns left without data_sources_v2 ("skip") or matched by hand, with no file to pass again.
    const last = await store.readCheckpoint(runKey);
    const byCampaign = new Map<string | null, FailedItem>();
    for (const item of [...recordedDecisions(last), ...decisionsOf(report)]) byCampaign.set(item.id, item);
    // A run that starts over keeps the run it replaces in its history: status still shows the work done.
    const history = options.resume ? (previous?.history ?? []) : startedHistory(last);
    const decisions = [...byCampaign.values()].slice(0, MAX_STORED_FAILURES);
    const writtenBefore = previous?.counts.written ?? 0;
    // Refused campaigns are planned again by every run, so `failed` counts this run's only.
    const counts: Record<string, number> = { ...(previous?.counts ?? {}), planned: updates.length, written: writtenBefore, failed: 0 };
    const rejected: FailedItem[] = [];
    const checkpoint = (status: RunCheckpoint['status'], cursor: string | null, limited = false): RunCheckpoint => ({
      runKey,
      migration: 'campaigns',
      status,
      cursor,
      counts: { ...counts },
      failures: [...decisions, ...rejected].slice(0, MAX_STORED_FAILURES),
      startedAt: previous?.startedAt ?? started.toISOString(),
      updatedAt: now().toISOString(),
      scope,
      ...(limited ? { limited: true } : {}),
      history,
    });
    let status: CampaignMigrationRun['status'] = 'completed';
    const progress = (processed: number, batchCount: number, etaSeconds: number | null, paused?: string) => {
      const elapsedSeconds = Math.max((now().getTime() - started.getTime()) / 1000, 1e-3);
      options.onProgress?.({
        ...(paused === undefined ? {} : { paused }),
        migration: 'campaigns',
        mode: apply ? 'apply' : 'dry-run',
        processed,
        total: report.items.length,
        written: apply ? counts.written! : 0,
        failed: counts.failed!,
        ratePerSecond: processed / elapsedSeconds,
        etaSeconds,
        batches: batchCount,
      });
    };
    let cursor: string | null = previous?.cursor ?? null;
    let done = 0;
    let batches = 0;
    let leaseRenewedAt = now().getTime();
    const renewLease = async () => {
      const lease = await store.acquireLease(runKey, holder, leaseTtlMs);
      if (!lease.acquired) throw leaseRefusal(runKey, holder, lease, true);
      leaseRenewedAt = now().getTime();
    };
    // While paused, renewed as for events, after a third of it: a long pause must not let the lease lapse.
    const renewLeaseIfDue = async () => {
      if (now().getTime() - leaseRenewedAt >= leaseTtlMs / 3) await renewLease();
    };
    const throttled = apply && throttle !== null ? throttleTally(throttle, { signal: options.signal, now: () => now().getTime(), renewLeaseIfDue }) : null;
    while (done < updates.length) {
      await nextTurn();
      if (options.signal?.aborted) {
        status = 'aborted';
        break;
      }
      if (done >= limit) {
        status = 'limited';
        break;
      }
      const batch = updates.slice(done, done + Math.min(batchSize, limit - done));
      if (apply) {
        if (throttled !== null) {
          const processedSoFar = done === 0 ? 0 : updates[done - 1]!.position;
          const after = await throttled.beforeBatch({
            onPause: (reason) => progress(processedSoFar, batches, null, reason),
            until: now().getTime() + maxWaitMs - throttled.pausedMs(),
          });
          if (after !== 'write') {
            status = after;
            break;
          }
        }
        // Renewed before every batch, as for events (reading and planning may have outlasted the
        // lease taken before them): a runner whose lease lapsed finds out before it writes.
        await renewLease();
        const batchEnd = batch.at(-1)!.id;
        let uncommitted = false;
        // As for events: a campaign whose data the database refuses is found by writing halves, and the rest is written.
        await writeInParts(
          batch,
          async (part) => {
            cursor = part.at(-1) === batch.at(-1) ? batchEnd : part.at(-1)!.id;
            counts.written! += part.length;
            try {
              const { value: written, retries: retried } = await retryTransient(
                () =>
                  store.writeCampaignBatch({
                    holder,
                    updates: part.map(({ id, dataSourcesV2 }) => ({ id, dataSourcesV2 })),
                    checkpoint: checkpoint('running', cursor),
                    ...(timeouts === undefined ? {} : { timeouts }),
                  }),
                { signal: options.signal, beforeRetry: renewLease },
              );
              retries += retried;
              counts.written! += written - part.length;
              uncommitted = false;
            } catch (error) {
              counts.written! -= part.length;
              throw error;
            }
          },
          (update, error) => {
            counts.failed! += 1;
            rejected.push({ id: update.id, code: 'WRITE_REJECTED', reason: `Campaign ${update.id}: the database refused its data_sources_v2: ${error.message}` });
            uncommitted = true;
          },
        );
        // The batch's last campaign was refused: the checkpoint still has to record it and move to the batch's end.
        if (uncommitted) {
          cursor = batchEnd;
          await store.writeCheckpoint(checkpoint('running', cursor), holder);
        }
      }
      done += batch.length;
      batches++;
      // Every campaign up to the batch's last one is processed: planned, and written when it needs it.
      const processed = done === updates.length ? report.items.length : batch.at(-1)!.position;
      progress(processed, batches, Math.min(updates.length - done, limit - done) * (now().getTime() - started.getTime()) / 1000 / done);
    }
    // A plan with nothing to write still processed every campaign: one progress report says so.
    if (updates.length === 0) progress(report.items.length, 0, 0);
    if (apply) await store.writeCheckpoint(status === 'limited' ? checkpoint('running', cursor, true) : checkpoint(status, cursor), holder);
    const written = apply ? counts.written! - writtenBefore : 0;
    return {
      mode: apply ? 'apply' : 'dry-run',
      status,
      report,
      written,
      rejected,
      totalWritten: apply ? counts.written! : writtenBefore,
      resumedFrom: previous?.cursor ?? null,
      ...(retries > 0 ? { retries } : {}),
      ...(throttle !== null ? { throttle: throttled?.report() ?? { pauses: 0, pausedMs: 0 } } : {}),
    };
  } finally {
    if (apply) await store.releaseLease(runKey, holder);
  }
}
