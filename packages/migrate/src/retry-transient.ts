/**
 * How many times a runner tries a batch again after the database gave up on it for a reason that
 * passes, before the run fails with that error.
 */
export const MAX_BATCH_RETRIES = 5;

/** The wait before the first retry; each next one waits twice as long (0.2, 0.4, 0.8, 1.6, 3.2 s). */
export const FIRST_RETRY_DELAY_MS = 200;

/**
 * Whether a store's error says the statement may succeed when tried again unchanged: the store
 * marks it `retryable` (a deadlock victim, a serialization failure, a lock wait past the
 * database's lock timeout, a SQLite file busy past its busy timeout). Such a statement was rolled
 * back whole, so trying it again writes nothing twice.
 */
export const isRetryable = (error: unknown): boolean => (error as { retryable?: unknown } | null)?.retryable === true;

/** What {@link retryTransient} needs besides the work. */
export interface RetryOptions {
  /** No retry once aborted: the error is thrown at once. */
  signal?: AbortSignal | undefined;
  /** Called before each retry (after its wait), e.g. to renew a lease; a throw ends the retries. */
  beforeRetry?: (attempt: number, error: unknown) => Promise<void> | void;
  /** Waits `ms`; a timer by default (tests pass a fake clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Which errors are tried again: {@link isRetryable} by default (a runner with a timeout throttle leaves timeouts to it). */
  retryable?: (error: unknown) => boolean;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and again after a growing wait while it fails with a retryable error
 * (`options.retryable`, {@link isRetryable} by default), at most {@link MAX_BATCH_RETRIES} times;
 * any other error, or the last one, is thrown as it is.
 * Resolves to the result and how many retries it took.
 */
export async function retryTransient<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<{ value: T; retries: number }> {
  const sleep = options.sleep ?? sleepFor;
  const retryable = options.retryable ?? isRetryable;
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await work(), retries: attempt };
    } catch (error) {
      if (!retryable(error) || attempt >= MAX_BATCH_RETRIES || options.signal?.aborted === true) throw error;
      await sleep(FIRST_RETRY_DELAY_MS * 2 ** attempt);
      await options.beforeRetry?.(attempt + 1, error);
    }
  }
}
