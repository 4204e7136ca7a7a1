import { InvalidOptionError } from './errors.js';
import { DEFAULT_BATCH_SIZE } from './run-options.js';

/**
 * The smallest and largest batch an adaptive run chooses by time. The floor keeps the per-batch
 * round trips (lease, checkpoint) small beside the rows; the ceiling keeps two batches in memory
 * (one written, the next normalized) well inside the runner's memory budget. The byte budget
 * ({@link DEFAULT_MAX_BATCH_BYTES}) may take a batch of large payloads below the floor.
 */
export const ADAPTIVE_BATCH_SIZE_BOUNDS = Object.freeze({ min: 100, max: 5_000 });

/** How long a batch should last when the runner sizes them: about a second, as GitLab's batched migrations aim for. */
export const DEFAULT_TARGET_BATCH_MS = 1_000;

/**
 * The most payload an adaptive batch holds, in characters of its rows' `event_data` JSON text
 * (`EventRecord.eventDataLength`): about 1 MB. A batch's memory grows with its payloads, not its
 * rows: batches of 5,000 rows of the 49 real payloads (2.6 kB each on average) held 13 MB of text
 * and took the runner's peak RSS from 150 MB to over 300 MB; at 1 MB the batch's parsed payloads,
 * canonical events and the statement written stay a few MB, and the peak stays flat however large
 * the table (see the adapters' READMEs).
 */
export const DEFAULT_MAX_BATCH_BYTES = 1_000_000;

/** The batch sizes an adaptive run chose: the first, the smallest, the largest and the last. */
export interface ChosenBatchSizes {
  first: number;
  smallest: number;
  largest: number;
  last: number;
}

/** The size of the next batch: fixed when the caller gave one, else tuned to a target duration and a byte budget. */
export interface BatchSizer {
  readonly adaptive: boolean;
  /** The size of the next batch. */
  readonly size: number;
  /**
   * Records the payload of a batch just read: `rows` rows of which `measured` came with their
   * payload's length, `bytes` in all. An adaptive sizer then keeps the next batch within its byte
   * budget at this batch's mean payload size (down to one row).
   */
  weigh(rows: number, measured: number, bytes: number): void;
  /**
   * Records a batch of `rows` rows, `requested` asked for, that lasted `ms` (full batches only steer
   * the size). A fixed size that {@link shrink} halved doubles back toward the caller's size.
   */
  record(rows: number, requested: number, ms: number): void;
  /** Halves the size (down to one row): the database ended the last batch on its lock or statement timeout. */
  shrink(): void;
  chosen(): ChosenBatchSizes;
}

/**
 * A {@link BatchSizer}: `given` (the caller's `batchSize`) fixes every batch at `fallback`'s
 * validated value; without it the size starts at {@link DEFAULT_BATCH_SIZE} and moves toward
 * `targetMs` per batch, at most doubling or halving at a time, within {@link ADAPTIVE_BATCH_SIZE_BOUNDS},
 * and never past `maxBytes` of payload at the mean payload size of the last batch read.
 */
export function batchSizer(given: number | undefined, fallback: number, targetMs: number | undefined, maxBytes?: number): BatchSizer {
  if (targetMs !== undefined && (!Number.isFinite(targetMs) || targetMs <= 0)) throw new InvalidOptionError('targetBatchMs', `must be a positive number of milliseconds, got ${targetMs}`);
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 1)) throw new InvalidOptionError('maxBatchBytes', `must be a positive integer, got ${maxBytes}`);
  const adaptive = given === undefined;
  const target = targetMs ?? DEFAULT_TARGET_BATCH_MS;
  const budget = maxBytes ?? DEFAULT_MAX_BATCH_BYTES;
  let size = adaptive ? DEFAULT_BATCH_SIZE : fallback;
  // The most rows the byte budget allows at the last batch's mean payload size.
  let byBytes = Number.POSITIVE_INFINITY;
  const chosen: ChosenBatchSizes = { first: size, smallest: size, largest: size, last: size };
  const choose = (next: number) => {
    size = Math.max(1, Math.min(next, byBytes));
    chosen.smallest = Math.min(chosen.smallest, size);
    chosen.largest = Math.max(chosen.largest, size);
    chosen.last = size;
  };
  return {
    adaptive,
    get size() {
      return size;
    },
    weigh(rows, measured, bytes) {
      if (!adaptive || measured === 0 || rows === 0) return;
      byBytes = Math.max(1, Math.floor(budget / Math.max(bytes / measured, 1)));
      if (size > byBytes) choose(size);
    },
    record(rows, requested, ms) {
      // A short batch (the table's end) or a small one (a limit) says little about the rate.
      if (rows < requested || requested < size / 2) return;
      if (!adaptive) {
        if (size < fallback) choose(Math.min(fallback, size * 2));
        return;
      }
      const ideal = (rows * target) / Math.max(ms, 1);
      const bounded = Math.min(Math.max(ideal, size / 2), size * 2);
      choose(Math.round(Math.min(Math.max(bounded, ADAPTIVE_BATCH_SIZE_BOUNDS.min), ADAPTIVE_BATCH_SIZE_BOUNDS.max)));
    },
    shrink() {
      choose(Math.max(1, Math.floor(size / 2)));
    },
    chosen: () => ({ ...chosen }),
  };
}
