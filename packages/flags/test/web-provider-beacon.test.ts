import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium } from '../../../test-support/chromium.js';
import { readBody } from '../../../test-support/read-body.js';
import { EVALUATION_METRIC, type FlagMetricRow, createFlagClient, createFlagTelemetry } from '../src/index.js';

// A widget as it is built: @openfeature/web-sdk with the built FlagsWebProvider and
// createBeaconReporter, in a real Chromium. What the widget shows (every evaluation through
// OpenFeature) and what it tracks reach the endpoint through the reporter, in the rows the
// server's aggregator writes for the same evaluations.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(packageDir, 'dist');
const require = createRequire(join(packageDir, 'package.json'));
// The packages' ESM builds (their exports map hides package.json): the directory of the resolved CommonJS entry's `dist`.
const esmOf = (name: string) => join(dirname(dirname(require.resolve(name))), 'esm', 'index.js');
const zodDir = dirname(require.resolve('zod/package.json'));
const MODULES: Record<string, string> = { '/of/web-sdk.js': esmOf('@openfeature/web-sdk'), '/of/core.js': esmOf('@openfeature/core') };

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"@openfeature/web-sdk":"/of/web-sdk.js","@openfeature/core":"/of/core.js","zod":"/zod/index.js"}}</script>
<title>widget</title></head><body></body></html>`;

const ROWS = [
  { name: 'new_checkout', enabled: true, rollout_percentage: 50 },
  { name: 'banner', enabled: false, rollout_percentage: 0 },
];
const NOW = Date.UTC(2026, 0, 1, 12, 0, 30);

describe.runIf(chromiumInstalled)('FlagsWebProvider with a beacon reporter, in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin: string;
  const received: FlagMetricRow[][] = [];
  let arrived: () => void = () => {};

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'openfeature.js'))) throw new Error(`${distDir} has no openfeature.js: run \`pnpm --filter @app/flags build\` first`);
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/metrics' && request.method === 'POST') {
        void readBody(request).then((body) => {
          received.push(JSON.parse(body) as FlagMetricRow[]);
          response.writeHead(204).end();
          arrived();
        });
        return;
      }
      if (path === '/' || path === '/next') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE_HTML);
        return;
      }
      // dist/openfeature.js also links the server provider's chunk, which imports zod: a browser loading the
      // unbundled files needs it mapped (a widget's bundler drops it: \`pnpm size\` measures the bundle).
      const file = MODULES[path] ?? (/^\/zod\/[\w/.-]+\.js$/.test(path) && !path.includes('..') ? join(zodDir, path.slice('/zod'.length)) : /^\/[\w-]+\.js$/.test(path) ? join(distDir, path.slice(1)) : undefined);
      if (file === undefined) {
        response.writeHead(404).end();
        return;
      }
      readFile(file).then(
        (body) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${origin}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  it("sends the widget's exposures and tracked metrics through the reporter passed to the provider, as the server would count them", async () => {
    const visitors = Array.from({ length: 40 }, (_, i) => `visitor-${i}`);
    const shown = (await page.evaluate(`(async () => {
      const { OpenFeature } = await import('@openfeature/web-sdk');
      const { FlagsWebProvider } = await import('/openfeature.js');
      const { createBeaconReporter } = await import('/beacon.js');
      const reporter = createBeaconReporter({ url: '/metrics', flushAfterMs: 600000, now: () => ${NOW} });
      const provider = new FlagsWebProvider(${JSON.stringify(ROWS)}, { reporter });
      await OpenFeature.setProviderAndWait(provider);
      const client = OpenFeature.getClient();
      const shown = [];
      for (const visitor of ${JSON.stringify(visitors)}) {
        await OpenFeature.setContext({ targetingKey: visitor });
        const checkout = client.getBooleanValue('new_checkout', false);
        client.getBooleanValue('banner', true);
        client.getBooleanValue('no_such_flag', true);
        if (checkout) client.track('checkout');
        shown.push(checkout);
      }
      window.pending = reporter.pendingRows;
      return shown;
    })()`)) as boolean[];
    expect(received).toEqual([]);
    const delivered = new Promise<void>((done) => (arrived = done));
    // Leaving the page is the reporter's last moment: everything pending goes by beacon.
    await page.goto(`${origin}/next`);
    await delivered;

    // The server's aggregator, fed the same evaluations and metrics, drains the same rows.
    const client = createFlagClient(ROWS);
    const expected = createFlagTelemetry({ now: () => NOW });
    visitors.forEach((visitor, i) => {
      const checkout = client.evaluate('new_checkout', visitor);
      expect(checkout.value).toBe(shown[i]);
      expected.recordEvaluation(checkout);
      expected.recordEvaluation(client.evaluate('banner', visitor));
      expected.recordEvaluation({ flagName: 'no_such_flag', value: false, reason: 'ERROR' });
      // OpenFeature's track counts under the visitor's variant of every flag the provider can decide.
      if (checkout.value) for (const flag of ROWS) expected.track(flag.name, client.evaluate(flag.name, visitor).value ? 'on' : 'off', 'checkout');
    });
    const rows = received.flat();
    const sortRows = (list: FlagMetricRow[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sortRows(rows)).toEqual(sortRows(expected.drain()));
    expect(shown.filter(Boolean).length).toBeGreaterThan(5);
    expect(rows.find((row) => row.flagName === 'new_checkout' && row.metric === EVALUATION_METRIC && row.variant === 'on')).toMatchObject({ reason: 'SPLIT', count: shown.filter(Boolean).length });
    expect(rows.find((row) => row.flagName === 'no_such_flag')).toMatchObject({ variant: 'off', reason: 'ERROR', count: 40 });
  });
});
