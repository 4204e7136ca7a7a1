import { InvalidOptionError } from '../errors.js';

/** A positive integer option value, or `undefined` when absent. */
export function positiveIntegerOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidOptionError(option, `must be a positive integer, got "${value}"`);
  }
  return n;
}

/** A percentage option value (integer 0..100). */
export function percentageOption(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 100) throw new InvalidOptionError(option, `must be an integer from 0 to 100, got "${value}"`);
  return n;
}
