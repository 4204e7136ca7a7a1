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

/**
 * The largest `--batch-size`: one batch is one UPDATE with about three parameters per row, which stays
 * under SQLite's 32,766 and MySQL's 65,535 parameter limits up to 10,000 rows (see
 * `@app/sql-store`). Past 1,000 rows a batch gains no speed anyway.
 */
export const MAX_BATCH_SIZE = 10_000;

/** `--batch-size`: a positive integer up to {@link MAX_BATCH_SIZE}, or `undefined` when absent. */
export function batchSizeOption(value: string | undefined): number | undefined {
  const n = positiveIntegerOption('--batch-size', value);
  if (n !== undefined && n > MAX_BATCH_SIZE) {
    throw new InvalidOptionError('--batch-size', `must be at most ${MAX_BATCH_SIZE.toLocaleString('en-US')} (the largest batch every database accepts in one statement), got "${value}"`);
  }
  return n;
}

/** A percentage option value (integer 0..100). */
export function percentageOption(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 100) throw new InvalidOptionError(option, `must be an integer from 0 to 100, got "${value}"`);
  return n;
}
