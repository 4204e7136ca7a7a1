/** The part of a flag that decides who gets the feature: what rollout status, guidance and warnings look at. */
export interface FlagState {
  enabled: boolean | 0 | 1;
  rollout_percentage: number;
}

/**
 * One recorded change of a flag, as the flag store's history keeps it: which field (`enabled`,
 * `rollout_percentage`, `description`, or `flag` for creation and deletion) and when.
 */
export interface FlagStateChange {
  field: string;
  changedAt: string | Date;
}

/** The share of subjects that get the feature: the rollout percentage when enabled, else 0. */
export function exposureOf(flag: FlagState): number {
  return flag.enabled === true || flag.enabled === 1 ? flag.rollout_percentage : 0;
}

/**
 * When the flag reached its current exposure: the newest change of `enabled`,
 * `rollout_percentage` or the flag itself (its creation) in `history`; `fallback` (the row's
 * `updated_at`, say) when the history has none. Description edits do not count.
 */
export function stageEnteredAt(history: readonly FlagStateChange[], fallback: string | Date | null = null): Date | null {
  let newest: number | null = null;
  for (const change of history) {
    if (change.field !== 'enabled' && change.field !== 'rollout_percentage' && change.field !== 'flag') continue;
    const at = new Date(change.changedAt).getTime();
    if (!Number.isNaN(at) && (newest === null || at > newest)) newest = at;
  }
  if (newest !== null) return new Date(newest);
  if (fallback === null) return null;
  const at = new Date(fallback);
  return Number.isNaN(at.getTime()) ? null : at;
}
