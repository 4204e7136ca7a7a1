/** Which of a batch's limits the database ended it on: its lock wait (`lock_timeout`) or its run time (`statement_timeout`). */
export type BatchTimeoutKind = 'lock' | 'statement';

/**
 * The limit a store's error says ended the statement (its `timeout`: the SQL stores set it from
 * the driver's code, as they set `retryable`), looked for in the error and the errors it wraps
 * (`cause`: the CLI rewords a store's errors); `null` for any other error.
 */
export function batchTimeoutKindOf(error: unknown): BatchTimeoutKind | null {
  let current = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { timeout, cause } = current as { timeout?: unknown; cause?: unknown };
    if (timeout === 'lock' || timeout === 'statement') return timeout;
    current = cause;
  }
  return null;
}
