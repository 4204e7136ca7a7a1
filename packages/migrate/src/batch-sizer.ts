import { InvalidOptionError } from './errors.js';
import { DEFAULT_BATCH_SIZE } from './run-options.js';

/**
 * The smallest and largest batch an adaptive run chooses. The floor keeps the per-batch round
 * trips (lease, checkpoint) small beside the rows; the ceiling keeps two batches in memory (one
 * written, the next normalized) well inside the runner's memory budget.
 */
export const ADAPTIVE_BATCH_SIZE_BOUNDS = Object.freeze({ min: 100, max: 5_000 });

/** How long a batch should last when the runner sizes them: about a second, as GitLab's batched migrations aim for. */
export const DEFAULT_TARGET_BATCH_MS = 1_000;

/** The batch sizes an adaptive run chose: the first, the smallest, the largest and the last. */
export interface ChosenBatchSizes {
  first: number;
  smallest: number;
  largest: number;
  last: number;
}

/** The size of the next batch: fixed when the caller gave one, else tuned to a target duration. */
export interface BatchSizer {
  readonly adaptive: boolean;
  /** The size of the next batch. */
  readonly size: number;
  /** Records a batch of `rows` rows, `requested` asked for, that lasted `ms` (full batches only steer the size). */
  record(rows: number, requested: number, ms: number): void;
  chosen(): ChosenBatchSizes;
}

/**
 * A {@link BatchSizer}: `given` (the caller's `batchSize`) fixes every batch at `fallback`'s
 * validated value; without it the size starts at {@link DEFAULT_BATCH_SIZE} and moves toward
 * `targetMs` per batch, at most doubling or halving at a time, within {@link ADAPTIVE_BATCH_SIZE_BOUNDS}.
 */
export function batchSizer(given: number | undefined, fallback: number, targetMs: number | undefined): BatchSizer {
  if (targetMs !== undefined && (!Number.isFinite(targetMs) || targetMs <= 0)) throw new InvalidOptionError('targetBatchMs', `must be a positive number of milliseconds, got ${targetMs}`);
  const adaptive = given === undefined;
  const target = targetMs ?? DEFAULT_TARGET_BATCH_MS;
  let size = adaptive ? DEFAULT_BATCH_SIZE : fallback;
  const chosen: ChosenBatchSizes = { first: size, smallest: size, largest: size, last: size };
  return {
    adaptive,
    get size() {
      return size;
    },
    record(rows, requested, ms) {
      // A short batch (the table's end) or a small one (a limit) says little about the rate.
      if (!adaptive || rows < requested || requested < size / 2) return;
      const ideal = (rows * target) / Math.max(ms, 1);
      const bounded = Math.min(Math.max(ideal, size / 2), size * 2);
      size = Math.round(Math.min(Math.max(bounded, ADAPTIVE_BATCH_SIZE_BOUNDS.min), ADAPTIVE_BATCH_SIZE_BOUNDS.max));
      chosen.smallest = Math.min(chosen.smallest, size);
      chosen.largest = Math.max(chosen.largest, size);
      chosen.last = size;
    },
    chosen: () => ({ ...chosen }),
  };
}
