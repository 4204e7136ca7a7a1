import type { FlagEvaluation } from './evaluation.js';
import { type FlagMetricRow, createFlagTelemetry } from './flag-telemetry.js';

/** Options of {@link createBeaconReporter}. */
export interface BeaconReporterOptions {
  /**
   * Where batches are POSTed: a JSON array of `FlagMetricRow`s, sent as `text/plain` (a
   * CORS-safelisted type, so a cross-origin beacon needs no preflight); the endpoint parses the
   * body as JSON and writes the rows as the server's aggregator does.
   */
  url: string;
  /** The length of a counting window, in milliseconds (default 60,000, as the server's aggregator). */
  windowMs?: number;
  /** The longest a count waits before it is sent, in milliseconds (default 10,000). */
  flushAfterMs?: number;
  /** Rows that trigger a send at once, and the most one request carries (default 50). */
  batchRows?: number;
  /**
   * The most rows held in memory (default 500). Counts that would need a row beyond it (the
   * endpoint unreachable for long) are dropped and counted in `droppedCounts`.
   */
  maxPendingRows?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * A widget-side reporter of flag telemetry: counts evaluations and tracked metrics in memory, in
 * the rows the server's aggregator writes, and sends them with `navigator.sendBeacon`. Nothing it
 * does throws into the page (only creation, on an invalid `windowMs`).
 */
export interface BeaconReporter {
  /** Counts one evaluation (pass each `evaluate` result, or call it from an evaluation hook). */
  recordEvaluation(evaluation: Pick<FlagEvaluation, 'flagName' | 'value' | 'reason'>): void;
  /**
   * Counts `count` (default 1) of `metric` (`error`, `checkout`…) for a subject who had `variant`
   * of `flagName`. A metric starting with `$`, or a count that is not a positive integer, is
   * ignored (and counted in `droppedCounts`).
   */
  track(flagName: string, variant: 'on' | 'off', metric: string, count?: number): void;
  /** Sends every pending row now. */
  flush(): void;
  /** Sends every pending row, then stops: no timer, no page listeners, later counts are ignored. */
  close(): void;
  /** Rows waiting to be sent. */
  readonly pendingRows: number;
  /** Counts given up: beyond `maxPendingRows`, invalid, or reported after `close`. */
  readonly droppedCounts: number;
}

/**
 * Creates a {@link BeaconReporter}. Rows are sent when `batchRows` of them are pending, when the
 * oldest has waited `flushAfterMs`, and when the page is hidden (`visibilitychange` to `hidden`,
 * `pagehide`), the last moment a page is sure to run. Each batch goes through
 * `navigator.sendBeacon`; when that is missing, throws or refuses the batch (returns `false`:
 * the browser's beacon quota is full), through `fetch(url, { keepalive: true })`, whose network
 * failure puts the rows back (within `maxPendingRows`). Outside a browser (no `document`) it only
 * sends on its timer and on `flush`.
 *
 * @example
 * ```ts
 * const reporter = createBeaconReporter({ url: 'https://api.example.com/flag-metrics' });
 * const evaluation = client.evaluate('new_checkout', visitorId);
 * reporter.recordEvaluation(evaluation);
 * reporter.track('new_checkout', evaluation.value ? 'on' : 'off', 'checkout');
 * ```
 *
 * @throws RangeError when `windowMs` is not a positive integer: at creation, as a configuration
 * error, never while counting or sending.
 */
export function createBeaconReporter(options: BeaconReporterOptions): BeaconReporter {
  const { url, flushAfterMs = 10_000, batchRows = 50, maxPendingRows = 500 } = options;
  const telemetry = createFlagTelemetry({ windowMs: options.windowMs, now: options.now });
  let dropped = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (rows: FlagMetricRow[]) => {
    const body = JSON.stringify(rows);
    try {
      if (navigator.sendBeacon(url, body)) return;
    } catch {
      // No navigator (a worker without it, a server) or a URL the browser refuses: try fetch.
    }
    const putBack = () => {
      if (!closed && telemetry.pendingRows + rows.length <= maxPendingRows) telemetry.restore(rows);
      else dropped += rows.reduce((sum, row) => sum + row.count, 0);
    };
    try {
      // A string body goes as text/plain, like the beacon's; `no-cors` because only a network
      // failure (the rows did not leave) may put them back, never an unreadable response.
      fetch(url, { method: 'POST', body, keepalive: true, mode: 'no-cors' }).catch(putBack);
    } catch {
      putBack();
    }
  };
  // Called from timers and page events too, where a throw would reach the page's error handlers.
  const flush = () => {
    try {
      clearTimeout(timer);
      timer = undefined;
      const rows = telemetry.drain();
      for (let start = 0; start < rows.length; start += batchRows) send(rows.slice(start, start + batchRows));
    } catch {
      // Only a hostile clock or row gets here; there is nothing to tell the page.
    }
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  const count = (add: () => void, counts: number) => {
    try {
      if (closed || telemetry.pendingRows >= maxPendingRows) throw new RangeError('full');
      add();
      if (telemetry.pendingRows >= batchRows) flush();
      else timer ??= setTimeout(flush, flushAfterMs);
    } catch {
      dropped += counts;
    }
  };
  const listen = (add: boolean) => {
    try {
      const method = add ? 'addEventListener' : 'removeEventListener';
      document[method]('visibilitychange', onHidden);
      globalThis[method]('pagehide', flush);
    } catch {
      // No document: a worker or a server, where the timer and flush() still send.
    }
  };
  listen(true);

  return {
    recordEvaluation(evaluation) {
      count(() => telemetry.recordEvaluation(evaluation), 1);
    },
    track(flagName, variant, metric, counted = 1) {
      count(() => telemetry.track(flagName, variant, metric, counted), Number.isSafeInteger(counted) && counted > 0 ? counted : 1);
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closed = true;
      listen(false);
    },
    get pendingRows() {
      return telemetry.pendingRows;
    },
    get droppedCounts() {
      return dropped;
    },
  };
}
