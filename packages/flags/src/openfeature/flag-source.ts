import type { FlagClient, FlagClientOptions } from '../flag-client.js';

/** What an OpenFeature provider of `@app/flags` serves: a ready client, or rows to build one from. */
export type FlagSource = FlagClient | readonly unknown[];

/** Rows become a client through `create` (zod-free for the web provider); a client is used as is. */
export function toFlagClient(
  source: FlagSource,
  options: FlagClientOptions | undefined,
  create: (rows: readonly unknown[], options?: FlagClientOptions) => FlagClient,
): FlagClient {
  return Array.isArray(source) ? create(source, options) : (source as FlagClient);
}
