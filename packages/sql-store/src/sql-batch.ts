import type { BatchTimeouts, CampaignUpdate } from '@app/migrate';
import type { BatchRecordsText } from './batch-records-text.js';
import type { PreparedEventUpdate } from './prepared-event-update.js';
import type { SqlParameters } from './sql-parameters.js';

/** The rows of a {@link SqlBatch}: canonical events (with the selection they must still match) or campaigns. */
export type SqlBatchRows =
  | {
      table: 'events';
      /** The rows, each serialized ahead (while the previous batch was being written): its event's JSON text, no objects. */
      updates: readonly PreparedEventUpdate[];
      /**
       * The same rows as one JSON array text, `{"id":…,"original":1|0,"event":…}` per row
       * ({@link eventRecordsJson}), joined from the serialized rows each time it is asked for
       * (`String(records)`): ask as late as possible. A `pg` client takes it as a parameter as it
       * is, and asks for the text as it sends the statement (`toPostgres`), so the text of a batch,
       * a large string, is garbage before V8's next young collection instead of being promoted to
       * the old generation during the write.
       */
      records: BatchRecordsText;
      /** The selection's conditions on the events table under alias `e`; the UPDATE must repeat them, so a row is never written twice. */
      conditions: readonly string[];
    }
  | { table: 'campaigns'; updates: readonly CampaignUpdate[] };

/**
 * One batch as {@link SqlStoreConfig.batchStatement} gets it, to write as a single statement:
 * the lease check, the rows and the checkpoint, built by the store, for the adapter to combine.
 */
export interface SqlBatch {
  /** The statement's parameters so far (the lease's, the checkpoint's, the selection's): the adapter adds the rows' to them. */
  parameters: SqlParameters;
  /**
   * A `SELECT run_key, cursor_before, rows_behind_before` of the run's row, locked, while the
   * batch's holder holds the lease: one row, or none.
   */
  lease: string;
  /** The checkpoint as `column = value` assignments to the runs table. */
  checkpoint: string;
  /**
   * The `rows_behind = …` assignment to the runs table that goes with the checkpoint: for a
   * whole-table events checkpoint, the stored count plus the events between the stored cursor and
   * the new one (so it is counted in the statement that moves the cursor, and a crash cannot make
   * it drift); `NULL` for any other run. It reads the stored cursor and count as `lease.cursor`
   * and `lease.rows_behind` (the lease query returns them): the statement must join the lease
   * under that name. `keyFromText` turns the stored cursor (text) into a value of the key
   * column's type (`x::bigint` on PostgreSQL), so the comparison uses the key's index.
   */
  rowsBehind(keyFromText: (text: string) => string): string;
  /** The rows to write; `null` for a checkpoint on its own (`writeCheckpoint`, or a batch without updates). */
  rows: SqlBatchRows | null;
  /**
   * The run's limits on this batch (`BatchWrite.timeouts`), for what the statement can set itself
   * (PostgreSQL's `lock_timeout`, read when a lock wait starts); the rest is the adapter's
   * `timedSession`. Absent without rows or when the run sets none.
   */
  timeouts?: BatchTimeouts | undefined;
  /**
   * `true` for a batch that follows another one still being written (`BatchWrite.follows`):
   * `lease` then reads the run's row without locking it, and the statement must write the rows
   * only, not the checkpoint, still returning `leased` and `written`. The store writes the
   * checkpoint after it, in the same transaction, once the other batch has committed.
   */
  follows?: boolean | undefined;
}

/**
 * A batch's rows as `rowsStatement` of the store's config gets them, to write with one `UPDATE`
 * joined to the table of one JSON array parameter, aliased `u`: for events its objects are
 * `{"id":…,"original":1|0,"event":…}` (with `original` 1 the statement sets the event's
 * `payload` from the row's `event_data`, as stored), for campaigns `{"id":…,"value":…}` (the
 * `data_sources_v2`). Ids are the keys' text: the join casts them to the key column's type.
 */
export interface SqlJoinedRows {
  table: 'events' | 'campaigns';
  /**
   * The JSON parameter's placeholder; its value comes before those of `conditions`, so it must
   * appear before them in the statement. For events the value is a {@link BatchRecordsText},
   * which the session makes into text or bytes as it sends the statement; for campaigns a string.
   */
  records: string;
  /** For events, the selection's conditions under alias `e` that the UPDATE must repeat (a row is never written twice); none for campaigns. */
  conditions: readonly string[];
}
