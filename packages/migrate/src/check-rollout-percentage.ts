import { InvalidOptionError } from './errors.js';

/**
 * Refuses a rollout percentage that is not an integer from 0 to 100, before any store writes it:
 * databases differ on a fraction (SQLite would keep 50.5, MySQL and a PostgreSQL literal round it
 * to 51), so the port decides, the same for every adapter.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming `rollout_percentage` and the value.
 */
export function checkRolloutPercentage(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new InvalidOptionError('rollout_percentage', `must be an integer from 0 to 100, got ${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)}`);
  }
}
