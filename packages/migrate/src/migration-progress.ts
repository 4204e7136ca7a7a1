/** What the runner reports after every batch (`onProgress`). */
export interface MigrationProgress {
  migration: 'events' | 'campaigns';
  mode: 'dry-run' | 'apply';
  /** Rows read so far in this run (plus the resumed runs). */
  processed: number;
  /** Rows the selection held at the start, plus those already processed when resuming. */
  total: number;
  written: number;
  failed: number;
  /** Rows per second over this run. */
  ratePerSecond: number;
  /** Seconds left at the current rate; `null` until a rate is known. */
  etaSeconds: number | null;
  batches: number;
}
