import { createFlagClient } from '../create-parsed-flag-client.js';
import type { FlagClient, FlagClientOptions } from '../flag-client.js';

/** What an OpenFeature provider of `@app/flags` serves: a ready client, or rows to build one from. */
export type FlagSource = FlagClient | readonly unknown[];

export function toFlagClient(source: FlagSource, options: FlagClientOptions | undefined): FlagClient {
  return Array.isArray(source) ? createFlagClient(source, options) : (source as FlagClient);
}
