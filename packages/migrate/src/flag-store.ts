import type { FlagValidationError } from '@app/flags';

/** A feature flag as a {@link FlagStore} returns it: the `feature_flags` row, timestamps as ISO 8601 text. */
export interface StoredFlag {
  id: string | null;
  name: string;
  description: string | null;
  enabled: boolean;
  rollout_percentage: number;
  metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

/**
 * A `feature_flags` row a store could not read: a column holding what the store cannot turn into
 * its field (a time that is no time, metadata that is no JSON). `listFlags` reports it and returns
 * every other flag, so one bad row never hides the rest.
 */
export interface UnreadableFlagRow {
  code: 'UNREADABLE_FLAG_ROW';
  /** The flag's name, or `null` when the name itself could not be read. */
  name: string | null;
  /** The row's id as text, or `null`. */
  id: string | null;
  /** The column that could not be read (`created_at`). */
  column: string;
  /** What was wrong, naming the flag and the column. */
  message: string;
}

/** What `listFlags` returns: the flags that could be read, by name, with `errors` for the rows that could not. */
export type FlagList = StoredFlag[] & { errors: UnreadableFlagRow[] };

/** The fields an admin changes (`metadata` holds the flag's rollout plan, `metadata.rolloutPlan`). */
export type FlagField = 'enabled' | 'rollout_percentage' | 'description' | 'metadata';

/** A change of some of a flag's {@link FlagField}s (`flags set`, `flags rollback`, the admin page). */
export interface FlagPatch {
  enabled?: boolean;
  rollout_percentage?: number;
  description?: string | null;
  /**
   * The whole `metadata` object (or `null`), replacing the stored one; a `rolloutPlan` in it must
   * pass `RolloutPlanSchema`. Compared and recorded as JSON (key order does not matter).
   */
  metadata?: Record<string, unknown> | null;
}

/** A flag to create; absent fields take the table's defaults (disabled, 0 %, no description). */
export interface NewFlag extends FlagPatch {
  name: string;
}

/**
 * What a change of a flag recorded in its history touched: one of the {@link FlagField}s, or
 * `flag` for the creation (from `null`) or deletion (to `null`) of the whole flag.
 */
export type FlagChangeField = FlagField | 'flag';

/** The values a creation or deletion records for `flag`. */
export interface FlagSnapshot {
  description: string | null;
  enabled: boolean;
  rollout_percentage: number;
  /** The flag's metadata (its rollout plan), when it had any; absent from records written before metadata was recorded. */
  metadata?: Record<string, unknown>;
}

/** One recorded change: who changed which field of which flag, when, from what to what. */
export interface FlagChange {
  /** Ascending in the order changes were recorded (text, like every key of the port). */
  id: string;
  flagName: string;
  field: FlagChangeField;
  /** The value before: a boolean, a number, a string or `null`, or a {@link FlagSnapshot} for `flag`. */
  from: unknown;
  /** The value after, as `from`. */
  to: unknown;
  actor: string;
  /** ISO 8601, by the database clock. */
  changedAt: string;
  /** The change this one reverted, when it is a revert. */
  revertsChangeId: string | null;
}

/** Who writes, and (optimistic concurrency) what they saw. */
export interface FlagWrite {
  /** Recorded with every change: a user name, `alice@example.com`, `cli:deploy-bot`. Non-empty. */
  actor: string;
  /**
   * The values the writer saw before deciding (the form's hidden fields, what the CLI read). When
   * any of them is no longer the flag's current value, nothing is written and the result is a
   * `conflict` carrying the current flag: two admins cannot silently overwrite each other.
   */
  expected?: FlagPatch;
  /** Set by `revertFlagChange`: the change this write reverts, recorded with it. */
  revertsChangeId?: string;
}

/** Which changes {@link FlagStore.readFlagHistory} returns: newest first. */
export interface FlagHistoryQuery {
  /** Only this flag's changes (creations and deletions included); every flag's when absent. */
  name?: string;
  /** At most this many (1–1000); 100 when absent. */
  limit?: number;
  /** Only changes older than this change id (paging). */
  before?: string;
}

/**
 * The outcome of a write. Expected failures are values: `not_found` (no flag of that name, or no
 * such change), `exists` (creating a name that is taken), `conflict` (the flag is not what the
 * writer expected; `flag` is what it is now, `fields` the ones that differ), `invalid` (the name
 * or a value fails the flags schema; nothing was written).
 */
export type FlagWriteResult =
  | { ok: true; flag: StoredFlag | null; changes: FlagChange[] }
  | { ok: false; reason: 'not_found'; name: string }
  | { ok: false; reason: 'exists'; name: string }
  | { ok: false; reason: 'conflict'; flag: StoredFlag | null; fields: (FlagField | 'flag')[] }
  | { ok: false; reason: 'invalid'; error: FlagValidationError };

/**
 * Feature flags and their audit history: the port the CLI's `flags` command and the admin page
 * use. Every write changes the flag and records one {@link FlagChange} per changed field in the
 * same transaction, so the history never misses a change nor records one that did not happen.
 * Adapters implement it beside `MigrationStore` and pass the flag part of the conformance suite
 * (`@app/migrate/testing`).
 */
export interface FlagStore {
  /**
   * Every flag, by name. A row the store cannot read (a column its type cannot hold, such as a
   * `created_at` that is no time) is left out and reported in the list's `errors`, naming the flag
   * and the column: one bad row never hides the others.
   */
  listFlags(): Promise<FlagList>;
  /** One flag, or `null`. */
  getFlag(name: string): Promise<StoredFlag | null>;
  /** Creates a flag (name checked with `FlagNameSchema`, values with `FlagSchema`) and records it. */
  createFlag(flag: NewFlag, write: FlagWrite): Promise<FlagWriteResult>;
  /**
   * Changes fields of a flag, bumps `updated_at` and records each field that changed (`from` →
   * `to`), in the order the patch lists them. A patch that changes nothing writes nothing and
   * returns no changes.
   */
  updateFlag(name: string, patch: FlagPatch, write: FlagWrite): Promise<FlagWriteResult>;
  /** Deletes a flag and records it (with its last values, so it can be restored); `flag` is `null` in the result. */
  deleteFlag(name: string, write: FlagWrite): Promise<FlagWriteResult>;
  /** Recorded changes, newest first. */
  readFlagHistory(query?: FlagHistoryQuery): Promise<FlagChange[]>;
  /** One recorded change, or `null`. */
  readFlagChange(id: string): Promise<FlagChange | null>;
}
