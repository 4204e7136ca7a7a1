import { CheckpointMismatchError } from './errors.js';
import type { CheckpointScope, MigrationStore, RunCheckpoint } from './migration-store.js';

/**
 * The checkpoint a `resume` continues: the run's last one, when it was written for the same
 * table, key column and selection as `scope` describes. A checkpoint written before checkpoints
 * recorded their scope is taken as it is. The shard range is not compared: a resumed shard keeps
 * the range it started with (the table may have grown since), which the caller reads from the
 * checkpoint.
 *
 * @throws CheckpointMismatchError `CHECKPOINT_MISMATCH`, naming each difference, before anything is written.
 */
export async function resumeCheckpoint(store: MigrationStore, runKey: string, scope: Omit<CheckpointScope, 'range'>): Promise<RunCheckpoint | null> {
  const previous = await store.readCheckpoint(runKey);
  const recorded = previous?.scope;
  if (previous === null || recorded == null) return previous;
  const differences: string[] = [];
  if (recorded.source !== scope.source) differences.push(`table and key column ${recorded.source} in the checkpoint, ${scope.source} now`);
  if (recorded.renormalize !== scope.renormalize) {
    differences.push(recorded.renormalize ? 'the checkpoint re-normalizes (--renormalize), this run does not' : 'this run re-normalizes (--renormalize), the checkpoint does not');
  }
  if (differences.length > 0) throw new CheckpointMismatchError(runKey, differences);
  return previous;
}
