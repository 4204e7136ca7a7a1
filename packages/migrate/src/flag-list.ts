import type { FlagList, StoredFlag, UnreadableFlagRow } from './flag-store.js';

/** A {@link FlagList} of `flags` and `errors`. */
export function flagList(flags: StoredFlag[], errors: UnreadableFlagRow[] = []): FlagList {
  return Object.assign(flags, { errors });
}

/**
 * Reads one row into a flag, a field at a time: the first field whose `read` throws makes the row
 * an {@link UnreadableFlagRow} naming that column and the flag.
 */
export function readFlagRow(
  name: unknown,
  id: unknown,
  fields: { [K in keyof StoredFlag]: () => StoredFlag[K] },
): { flag: StoredFlag } | { error: UnreadableFlagRow } {
  const flag: Partial<StoredFlag> = {};
  for (const column of Object.keys(fields) as (keyof StoredFlag)[]) {
    try {
      (flag as Record<string, unknown>)[column] = fields[column]();
    } catch (cause) {
      const flagName = typeof name === 'string' ? name : null;
      const flagId = id == null ? null : String(id);
      const reason = cause instanceof Error ? cause.message : String(cause);
      return {
        error: {
          code: 'UNREADABLE_FLAG_ROW',
          name: flagName,
          id: flagId,
          column,
          message: `Feature flag ${flagName === null ? `with id ${flagId ?? 'unknown'}` : `"${flagName}"`}: column ${column} cannot be read (${reason}); the flag is left out.`,
        },
      };
    }
  }
  return { flag: flag as StoredFlag };
}
