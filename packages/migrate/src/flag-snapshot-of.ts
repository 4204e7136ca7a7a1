import type { FlagSnapshot, StoredFlag } from './flag-store.js';

/**
 * What a creation or deletion records of a flag, the same for every store: its values, and its
 * `metadata` (the rollout plan) when it has any, so restoring a deleted flag restores its plan.
 */
export function flagSnapshotOf(flag: Pick<StoredFlag, 'description' | 'enabled' | 'rollout_percentage' | 'metadata'>): FlagSnapshot {
  const snapshot: FlagSnapshot = { description: flag.description, enabled: flag.enabled, rollout_percentage: flag.rollout_percentage };
  if (flag.metadata != null) snapshot.metadata = structuredClone(flag.metadata);
  return snapshot;
}
