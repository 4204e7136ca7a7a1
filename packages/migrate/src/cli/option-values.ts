import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { type MAX_BATCH_SIZE, batchSizeOf } from '../run-options.js';

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
  return n === undefined ? undefined : batchSizeOf(n, '--batch-size');
}

/** A percentage option value (integer 0..100). */
export function percentageOption(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 100) throw new InvalidOptionError(option, `must be an integer from 0 to 100, got "${value}"`);
  return n;
}

/** The JSON in the file an option names; an unreadable file or invalid JSON is that option's error. */
export async function readJsonOption(option: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (error) {
    throw new InvalidOptionError(option, `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidOptionError(option, `${file} is not valid JSON: ${(error as Error).message}`);
  }
}
