import type { FlagSource } from './flag-source.js';

/** Options of {@link pollFlags}. */
export interface PollFlagsOptions {
  /** Time between the end of one load and the start of the next, in milliseconds (default 60,000; at least 1,000). */
  intervalMs?: number;
  /** Stops polling when aborted (e.g. when the widget unmounts). */
  signal?: AbortSignal;
  /** Called when a load fails; the provider keeps its flags and polling goes on. */
  onError?: (error: unknown) => void;
}

/** Anything with `setFlags`: `FlagsWebProvider` and `FlagsServerProvider`. */
export interface FlagsReceiver {
  setFlags(source: FlagSource): unknown;
}

/**
 * Reloads a provider's flags on an interval: a widget that reads `feature_flags` rows from
 * Supabase (or any API) keeps them fresh, and each change emits `PROVIDER_CONFIGURATION_CHANGED`
 * so bound components re-render. Loads never overlap; a failed load keeps the current flags.
 * Returns a function that stops polling (so does `options.signal`).
 *
 * @example
 * ```ts
 * const provider = new FlagsWebProvider(await loadRows());
 * await OpenFeature.setProviderAndWait(provider);
 * const stop = pollFlags(provider, loadRows, { intervalMs: 30_000 });
 * async function loadRows() {
 *   const { data, error } = await supabase.from('feature_flags').select('name, enabled, rollout_percentage, metadata');
 *   if (error) throw error;
 *   return data;
 * }
 * ```
 */
export function pollFlags(provider: FlagsReceiver, load: () => Promise<readonly unknown[]> | readonly unknown[], options: PollFlagsOptions = {}): () => void {
  const interval = Math.max(1_000, Number.isFinite(options.intervalMs) ? (options.intervalMs as number) : 60_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
  const tick = async () => {
    try {
      const rows = await load();
      if (!stopped) provider.setFlags(rows);
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(tick, interval);
  };
  if (options.signal?.aborted) return stop;
  options.signal?.addEventListener('abort', stop, { once: true });
  timer = setTimeout(tick, interval);
  return stop;
}
