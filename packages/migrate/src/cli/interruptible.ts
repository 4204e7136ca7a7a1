import { InterruptedError } from '../errors.js';

/** The error a signal's abort stands for: the signal's name when the bin gave it as the reason. */
export function interruptionOf(signal: AbortSignal): InterruptedError {
  return new InterruptedError(typeof signal.reason === 'string' ? signal.reason : 'a signal');
}

/**
 * `work`, cut short by `signal`: rejects with an {@link InterruptedError} as soon as the signal
 * aborts (at once when it already has), whatever `work` is waiting for — a connection, a query
 * behind a lock. `work` itself goes on; the caller closes what it was using.
 */
export function interruptible<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(interruptionOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interruptionOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
