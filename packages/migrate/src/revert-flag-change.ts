import type { FlagChange, FlagPatch, FlagSnapshot, FlagStore, FlagWrite, FlagWriteResult, NewFlag } from './flag-store.js';

/**
 * What undoing a recorded change takes: setting the field back (only while it still holds the
 * value the change set), deleting a flag whose creation is undone (only while it is as created),
 * or re-creating a deleted flag with its last values and metadata (its rollout plan).
 */
export type FlagRevert =
  | { action: 'update'; name: string; patch: FlagPatch; expected: FlagPatch }
  | { action: 'delete'; name: string; expected: FlagPatch }
  | { action: 'create'; flag: NewFlag };

const snapshotPatch = (value: unknown): FlagPatch => {
  const snapshot = value as FlagSnapshot;
  const patch: FlagPatch = { enabled: snapshot.enabled, rollout_percentage: snapshot.rollout_percentage, description: snapshot.description };
  if (snapshot.metadata != null) patch.metadata = snapshot.metadata;
  return patch;
};

/** The write that undoes `change` (pure). */
export function flagRevertOf(change: FlagChange): FlagRevert {
  if (change.field !== 'flag') {
    return { action: 'update', name: change.flagName, patch: { [change.field]: change.from }, expected: { [change.field]: change.to } };
  }
  if (change.from === null) return { action: 'delete', name: change.flagName, expected: snapshotPatch(change.to) };
  return { action: 'create', flag: { name: change.flagName, ...snapshotPatch(change.from) } };
}

/**
 * Undoes a recorded change through the port; the undo is itself recorded, with
 * `revertsChangeId`. When the flag has changed since (the field no longer holds what the change
 * set, or a deleted flag's name is taken again) nothing is written and the result says why
 * (`conflict`, `exists`); an unknown change id is `not_found`.
 */
export async function revertFlagChange(store: FlagStore, changeId: string, write: Omit<FlagWrite, 'expected' | 'revertsChangeId'>): Promise<FlagWriteResult> {
  const change = await store.readFlagChange(changeId);
  if (change === null) return { ok: false, reason: 'not_found', name: `change ${changeId}` };
  return applyFlagRevert(store, change, write);
}

/** Runs the {@link flagRevertOf} of a change already read (the CLI and the admin page show its warnings first). */
export function applyFlagRevert(store: FlagStore, change: FlagChange, write: Omit<FlagWrite, 'expected' | 'revertsChangeId'>): Promise<FlagWriteResult> {
  const revert = flagRevertOf(change);
  const recorded = { actor: write.actor, revertsChangeId: change.id };
  switch (revert.action) {
    case 'update':
      return store.updateFlag(revert.name, revert.patch, { ...recorded, expected: revert.expected });
    case 'delete':
      return store.deleteFlag(revert.name, { ...recorded, expected: revert.expected });
    case 'create':
      return store.createFlag(revert.flag, recorded);
  }
}
