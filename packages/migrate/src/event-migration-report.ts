import { z } from 'zod';
import { EVENT_REPORT_SCHEMA_VERSION } from './event-report-schema-version.js';
import type { SAMPLES_PER_EVENT_KIND } from './samples-per-event-kind.js';

const Count = z.number().int().nonnegative();

/** A row the runner could not migrate. */
export const FailedItemSchema = z.object({
  id: z.string().nullable(),
  code: z.string(),
  reason: z.string(),
});

/** A normalized event shown in a report so a person can check it before applying. */
export const EventSampleSchema = z.object({
  id: z.string(),
  provider: z.string(),
  eventKind: z.string(),
  /** The canonical event's `template.*` fields, the ones templates render. */
  template: z.record(z.string(), z.unknown()),
});

/** A normalized event shown in a report. */
export type EventSample = z.infer<typeof EventSampleSchema>;

/**
 * The JSON report of an event migration run (`--report FILE`). Counts cover this run and, after
 * `--resume`, the runs it continues; `failures` lists failed rows by id with the reason.
 */
export const EventMigrationReportSchema = z.object({
  format: z.literal('event-migration-report'),
  schemaVersion: z.literal(EVENT_REPORT_SCHEMA_VERSION),
  mode: z.enum(['dry-run', 'apply']),
  runKey: z.string(),
  /** `completed`: nothing left in the selection; `aborted`: stopped by a signal; `limited`: `--limit` reached. */
  status: z.enum(['completed', 'aborted', 'limited']),
  resumedFrom: z.string().nullable(),
  batchSize: Count,
  /**
   * The sizes an adaptive run chose (no `batchSize` given: sized to `targetBatchMs`): the first,
   * the smallest, the largest and the last. Absent when the size was fixed.
   */
  batchSizes: z.object({ first: Count, smallest: Count, largest: Count, last: Count }).optional(),
  /**
   * Batch reads and writes tried again after the database gave up on them for a reason that
   * passes (a deadlock, a lock wait past its timeout, a busy SQLite file); absent when none was.
   */
  retries: Count.optional(),
  /**
   * With a `throttle` or a `timeoutThrottle`: how many times the run paused (once per stretch of
   * waiting for lagging replicas, once per batch the database ended on a timeout) and how long it
   * waited in all, in ms; `reasons`, the pauses by reason (`replication-lag`, `lock-timeouts`,
   * `statement-timeouts`), absent when it did not pause; `pausedAtEnd`, the reason it was still
   * waiting for when its time box (`maxDurationMs`) or the wait it was allowed (`maxWaitMs`) ended
   * the run (status `limited`). Absent when the run had neither.
   */
  throttle: z
    .object({
      pauses: Count,
      pausedMs: z.number().nonnegative(),
      reasons: z.object({ 'replication-lag': Count, 'lock-timeouts': Count, 'statement-timeouts': Count }).partial().optional(),
      pausedAtEnd: z.string().optional(),
    })
    .optional(),
  counts: z.object({
    /** Rows the selection held when the run started (past the cursor it resumed from, for a resumed run). */
    selected: Count,
    /** Rows read and normalized. */
    processed: Count,
    /** Canonical events written (0 in a dry run). */
    written: Count,
    /** Canonical events a dry run would write. */
    wouldWrite: Count,
    failed: Count,
    /** Events that went to the fallback normalizer (unknown providers). */
    fallback: Count,
    /** With acknowledged failures: known failed rows skipped (not normalized again). */
    skipped: Count.optional(),
    /** With acknowledged failures: rows that failed and were not known to (the exit code's count). */
    newFailed: Count.optional(),
  }),
  /** Processed rows per canonical provider id. */
  providers: z.record(z.string(), Count),
  /** Normalized rows per `template.event_kind` (purchase, signup, review, …): what the popups will say. */
  eventKinds: z.record(z.string(), Count).optional(),
  /**
   * Up to {@link SAMPLES_PER_EVENT_KIND} normalized events of each kind from this run, to read
   * before applying: the row id, the provider and the `template.*` fields a popup renders.
   */
  samples: z.array(EventSampleSchema).optional(),
  failures: z.array(FailedItemSchema),
  /** True when more rows failed than `failures` lists. */
  failuresTruncated: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: Count,
});

/** The JSON report of an event migration run. */
export type EventMigrationReport = z.infer<typeof EventMigrationReportSchema>;

/**
 * The report of a run of several workers (`--workers N`, `runEventMigrationWorkers`): the
 * workers' counts, providers, kinds and failures summed as one run's, its `runKey` `events#*\/N`,
 * and each worker's own report in shard order.
 */
export const EventMigrationWorkersReportSchema = EventMigrationReportSchema.extend({
  workers: z.array(EventMigrationReportSchema),
});

/** The report of a run of several workers. */
export type EventMigrationWorkersReport = z.infer<typeof EventMigrationWorkersReportSchema>;
