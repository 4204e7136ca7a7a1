import { InvalidOptionError, type ThrottleOptions, hasDatabaseHealth, throttleOf } from '@app/migrate';
import { AdminConfigError } from './admin-config-error.js';
import type { AdminHandlerOptions } from './admin-handler-options.js';

/**
 * The runner's throttle for the events slices, from `options.throttle`: the store reads the
 * replicas' health unless `health` is given, and the limits are checked now, so a bad value stops
 * the app from being created rather than the first Apply.
 *
 * @throws AdminConfigError naming the option: no health to read, no limit, or a bad value.
 */
export function adminThrottle(options: Pick<AdminHandlerOptions, 'store' | 'throttle'>): ThrottleOptions | undefined {
  const given = options.throttle;
  if (given === undefined) return undefined;
  const health = given.health ?? (hasDatabaseHealth(options.store) ? options.store : undefined);
  if (health === undefined) {
    throw new AdminConfigError(
      'throttle.health',
      `is required: this store (${options.store.kind}) cannot read its replicas' lag (the PostgreSQL store can, and the MySQL store given replicas)`,
    );
  }
  const throttle = { ...given, health };
  try {
    throttleOf(throttle);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    // throttleOf names its options `throttle.…`, as this one does.
    throw new AdminConfigError(error.option, error.detail);
  }
  return throttle;
}
