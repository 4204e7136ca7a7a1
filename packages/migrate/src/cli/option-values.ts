import { InvalidOptionError } from '../errors.js';
import { MAX_BATCH_SIZE } from '../run-options.js';

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
 * `--batch-size`: a positive integer up to the runners' {@link MAX_BATCH_SIZE}, or `undefined`
 * when absent. Checked here too, so the message names the CLI's option.
 */
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
