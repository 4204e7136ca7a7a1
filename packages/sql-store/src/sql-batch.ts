import type { CampaignUpdate } from '@app/migrate';
import type { CanonicalEventWrite } from './original-payloads.js';
import type { SqlParameters } from './sql-parameters.js';

/** The rows of a {@link SqlBatch}: canonical events (with the selection they must still match) or campaigns. */
export type SqlBatchRows =
  | {
      table: 'events';
      updates: readonly CanonicalEventWrite[];
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
  /** A `SELECT run_key` of the run's row, locked, while the batch's holder holds the lease: one row, or none. */
  lease: string;
  /** The checkpoint as `column = value` assignments to the runs table. */
  checkpoint: string;
  /** The rows to write; `null` for a checkpoint on its own (`writeCheckpoint`, or a batch without updates). */
  rows: SqlBatchRows | null;
}
