/** What the runner reports after every batch (`onProgress`). */
export interface MigrationProgress {
  migration: 'events' | 'campaigns';
  mode: 'dry-run' | 'apply';
  /** Rows (events, campaigns) read so far in this run (plus, for events, the resumed runs). */
  processed: number;
  /**
   * Events: the rows the resumed runs processed plus those the selection holds past their cursor
   * (the selection at the start when not resuming). Campaigns: every campaign of the plan.
   */
  total: number;
  written: number;
  failed: number;
  /** Rows per second over this run. */
  ratePerSecond: number;
  /** Seconds left to the end of this run (the selection's end, or `limit`'s) at the current rate; `null` until a rate is known. */
  etaSeconds: number | null;
  batches: number;
  /**
   * Set while the runner waits for the database's replicas to catch up (`throttle`): why, e.g.
   * `replica standby1 is 12.5 s behind (limit 10 s)`. The next report without it means it goes on.
   */
  paused?: string;
}
