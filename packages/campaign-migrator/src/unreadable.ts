const UNREADABLE_PREFIX = 'could not be read';

/**
 * The `why` of a row or field whose reading threw (a getter or proxy that throws, a value nested
 * deeper than the stack allows). Only the error's name is kept: its message may quote row data.
 */
export function unreadableWhy(error: unknown, detail?: string): string {
  const name = error instanceof Error ? error.name : 'error';
  return `${UNREADABLE_PREFIX} (${name}${detail === undefined ? '' : `: ${detail}`})`;
}

/** Whether `why` came from {@link unreadableWhy}: such a row must not be read again (to write it as JSON). */
export function isUnreadableWhy(why: string): boolean {
  return why.startsWith(UNREADABLE_PREFIX);
}
