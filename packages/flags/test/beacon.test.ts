import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium } from '../../../test-support/chromium.js';
import { readBody } from '../../../test-support/read-body.js';
import { EVALUATION_METRIC, type FlagMetricRow, createFlagTelemetry } from '../src/index.js';

// The widget-side reporter of @app/flags/beacon, built, in a real Chromium, against a local
// endpoint that records what arrives: batches on size and on the timer, the page-hide flush,
// the fetch fallback, and the memory cap, in the rows the server's aggregator writes.

const distDir = join(fileURLToPath(new URL('..', import.meta.url)), 'dist');

/** One request the endpoint received. */
interface Received {
  /** `Sec-Fetch-Mode`: `no-cors` for a text/plain beacon and for the reporter's fetch fallback alike. */
  mode: string | undefined;
  contentType: string | undefined;
  rows: FlagMetricRow[];
}

const PAGE_HTML = '<!doctype html><html><head><meta charset="utf-8"><title>beacon</title></head><body></body></html>';

describe.runIf(chromiumInstalled)('@app/flags/beacon in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  let received: Received[] = [];
  let waiters: Array<() => void> = [];

  /** Resolves once at least `count` requests arrived (the test's own timeout bounds the wait). */
  const arrivals = (count: number) =>
    new Promise<void>((done) => {
      const check = () => (received.length >= count ? done() : waiters.push(check));
      check();
    });

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'beacon.js'))) throw new Error(`${distDir} has no beacon.js: run \`pnpm --filter @app/flags build\` first`);
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/metrics' && request.method === 'POST') {
        void readBody(request).then((body) => {
          received.push({ mode: request.headers['sec-fetch-mode'] as string | undefined, contentType: request.headers['content-type'], rows: JSON.parse(body) as FlagMetricRow[] });
          response.writeHead(204).end();
          const pending = waiters;
          waiters = [];
          for (const check of pending) check();
        });
        return;
      }
      if (path === '/' || path === '/next') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE_HTML);
        return;
      }
      if (/^\/[\w-]+\.js$/.test(path)) {
        readFile(join(distDir, path.slice(1))).then(
          (body) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(body),
          () => response.writeHead(404).end(),
        );
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  beforeEach(async () => {
    await context?.close();
    received = [];
    waiters = [];
    context = await browser!.newContext();
    page = await context.newPage();
    await page.goto(`${origin}/`);
  });

  /** Creates `window.reporter` from the built bundle; `options` travel as JSON (plus a fixed clock). */
  const createReporter = (options: Record<string, unknown>) =>
    page.evaluate(`(async () => {
      const { createBeaconReporter } = await import('/beacon.js');
      window.reporter = createBeaconReporter({ url: '/metrics', now: () => Date.UTC(2026, 0, 1, 12, 0, 30), ...${JSON.stringify(options)} });
    })()`);

  it('batches counts into the rows the server aggregator flushes and sends them with sendBeacon when the page is hidden', async () => {
    // A fetch that throws puts the rows back instead of sending them: what arrives came by beacon.
    await page.evaluate(`window.fetch = () => { throw new Error('the beacon must carry this batch'); }`);
    await createReporter({ flushAfterMs: 600_000 });
    await page.evaluate(`(() => {
      for (let i = 0; i < 30; i++) reporter.recordEvaluation({ flagName: 'new_checkout', value: i % 3 === 0, reason: 'SPLIT' });
      reporter.track('new_checkout', 'on', 'checkout', 2);
      reporter.track('new_checkout', 'off', 'error');
    })()`);
    expect(await page.evaluate('reporter.pendingRows')).toBe(4);
    expect(received).toEqual([]);

    // Navigating away fires pagehide: the only flush left before the page is gone.
    await page.goto(`${origin}/next`);
    await arrivals(1);

    // The same rows createFlagTelemetry drains on the server for the same counts and clock.
    const server = createFlagTelemetry({ now: () => Date.UTC(2026, 0, 1, 12, 0, 30) });
    for (let i = 0; i < 30; i++) server.recordEvaluation({ flagName: 'new_checkout', value: i % 3 === 0, reason: 'SPLIT' });
    server.track('new_checkout', 'on', 'checkout', 2);
    server.track('new_checkout', 'off', 'error');
    expect(received).toHaveLength(1);
    expect(received[0]!.rows).toEqual(server.drain());
    expect(received[0]!.rows[0]).toEqual({ windowStart: '2026-01-01T12:00:00.000Z', flagName: 'new_checkout', metric: EVALUATION_METRIC, variant: 'on', reason: 'SPLIT', count: 10 });
    expect(received[0]!.contentType).toBe('text/plain;charset=UTF-8');
    expect(received[0]!.mode).toBe('no-cors');
  });

  it('sends on visibilitychange to hidden, on the size threshold in batches, and on the timer', async () => {
    await createReporter({ batchRows: 3, flushAfterMs: 200 });
    await page.evaluate(`(() => {
      for (let i = 0; i < 3; i++) reporter.recordEvaluation({ flagName: 'flag_' + i, value: true, reason: 'STATIC' });
    })()`);
    await arrivals(1);
    expect(received[0]!.rows.map((row) => row.flagName)).toEqual(['flag_0', 'flag_1', 'flag_2']);

    await page.evaluate(`reporter.recordEvaluation({ flagName: 'late', value: false, reason: 'DISABLED' })`);
    await arrivals(2);
    expect(received[1]!.rows).toMatchObject([{ flagName: 'late', variant: 'off', reason: 'DISABLED', count: 1 }]);

    await createReporter({ flushAfterMs: 600_000 });
    await page.evaluate(`(() => {
      reporter.recordEvaluation({ flagName: 'hidden', value: true, reason: 'SPLIT' });
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    })()`);
    await arrivals(3);
    expect(received[2]!.rows).toMatchObject([{ flagName: 'hidden', count: 1 }]);
  });

  it('falls back to fetch with keepalive when sendBeacon is missing or refuses, and never throws into the page', async () => {
    await page.evaluate(`(() => {
      window.errors = [];
      window.addEventListener('error', (event) => errors.push(String(event.message)));
      window.addEventListener('unhandledrejection', (event) => errors.push(String(event.reason)));
      navigator.sendBeacon = () => false;
    })()`);
    await createReporter({ flushAfterMs: 600_000 });
    await page.evaluate(`(() => {
      reporter.recordEvaluation({ flagName: 'refused', value: true, reason: 'SPLIT' });
      reporter.track('refused', 'on', '$reserved');
      reporter.track('refused', 'on', 'checkout', -1);
      reporter.recordEvaluation(null);
      reporter.flush();
    })()`);
    await arrivals(1);
    expect(received[0]!.rows).toMatchObject([{ flagName: 'refused', count: 1 }]);
    expect(received[0]!.mode).toBe('no-cors');
    expect(await page.evaluate('reporter.droppedCounts')).toBe(3);

    await page.evaluate(`(() => {
      delete Navigator.prototype.sendBeacon;
      delete navigator.sendBeacon;
      reporter.recordEvaluation({ flagName: 'no_beacon', value: false, reason: 'SPLIT' });
      reporter.close();
      reporter.recordEvaluation({ flagName: 'after_close', value: true, reason: 'SPLIT' });
    })()`);
    await arrivals(2);
    expect(received[1]!.rows).toMatchObject([{ flagName: 'no_beacon', count: 1 }]);
    expect(await page.evaluate('[typeof navigator.sendBeacon, reporter.droppedCounts, errors]')).toEqual(['undefined', 4, []]);
  });

  it('caps its memory when nothing can be sent, and puts rows back after a network failure', async () => {
    await page.evaluate(`(() => {
      delete Navigator.prototype.sendBeacon;
      window.fetch = () => Promise.reject(new TypeError('offline'));
    })()`);
    await createReporter({ batchRows: 4, maxPendingRows: 10, flushAfterMs: 600_000 });
    const state = await page.evaluate(`(async () => {
      for (let i = 0; i < 4; i++) reporter.recordEvaluation({ flagName: 'a' + i, value: true, reason: 'SPLIT' });
      await new Promise((done) => setTimeout(done, 0));
      const afterFailure = reporter.pendingRows;
      for (let i = 0; i < 200; i++) reporter.recordEvaluation({ flagName: 'b' + i, value: true, reason: 'SPLIT' });
      await new Promise((done) => setTimeout(done, 0));
      return { afterFailure, pending: reporter.pendingRows, dropped: reporter.droppedCounts };
    })()`);
    // (A zero timeout lets the stub's rejections settle first.) The failed batch of 4 came back; later batches fail too and come back while they fit in
    // 10 rows; everything beyond is dropped and counted, never held.
    expect((state as { afterFailure: number }).afterFailure).toBe(4);
    expect((state as { pending: number }).pending).toBeLessThanOrEqual(10);
    expect((state as { pending: number; dropped: number }).pending + (state as { dropped: number }).dropped).toBe(204);
    expect(received).toEqual([]);
  });
});
