/** The history reads at most this many changes at once. */
const MAX_HISTORY_LIMIT = 1000;

/** The limit of a history read (`FlagHistoryQuery.limit`): 100 by default, an integer from 1 to 1000. */
export function historyLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) throw new TypeError(`limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}, got ${limit}`);
  return limit;
}
