import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, testChromiumInstalledWhenRequired, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import { normalizeEvent, renderTemplate } from '../src/index.js';
import { loadPayload } from './fixture-rows.js';
import { CODE_ANSWERS_BODY, expectedCodeAnswers } from './code-tables.js';
import { publishedPayloads } from './published-payloads.js';

// Widgets normalize in the browser, servers in Node: this file proves the built zod-free entries
// (`/core`, `/render`, each provider subpath), run by a real Chromium, give the very events Node does.

warnIfBrowserSkipped('@app/canonical-events');

const distDir = fileURLToPath(new URL('../dist', import.meta.url));
const providerEntries = readdirSync(new URL('../src/providers/', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'fallback.ts')
  .map((file) => `/${file.slice(0, -'.ts'.length)}.js`);

// No import map: the entries a widget uses must load with no bare import at all (no zod).
const PAGE_HTML = '<!doctype html><html><head><meta charset="utf-8"><title>@app/canonical-events in Chromium</title></head><body></body></html>';

function startStaticServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (urlPath === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(PAGE_HTML);
      return;
    }
    const file = resolve(distDir, `.${urlPath}`);
    if (!file.startsWith(distDir + sep) || !file.endsWith('.js')) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

/** Runs `body` as an async function of `arg` in the page (a string, so vitest leaves its `import()` alone). */
function runInPage<T>(page: Page, body: string, arg: unknown = null): Promise<T> {
  return page.evaluate<T>(`(async (arg) => { ${body} })(${JSON.stringify(arg)})`);
}

const ROWS = publishedPayloads().map(({ integrationType, file }) => ({
  id: `browser-${file}`,
  integration_type: integrationType,
  event_data: loadPayload(file),
  created_at: '2025-01-15T10:30:00Z',
}));

const TEMPLATE = '{{customer_name}}{{#city}} from {{city}}{{/city}} just bought {{product_name | something}} for {{money}} · {{time_ago}}';

testChromiumInstalledWhenRequired();

describe.runIf(chromiumInstalled)('built zod-free entries in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'core.js'))) throw new Error(`${distDir} has no core.js: run \`pnpm --filter @app/canonical-events build\` first`);
    server = await startStaticServer();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  it('/core with every provider subpath normalizes the 49 published payloads exactly as Node does', async () => {
    const inBrowser = await runInPage<unknown[]>(
      page,
      `const core = await import('/core.js');
       const normalizers = [];
       for (const entry of arg.entries) for (const [name, value] of Object.entries(await import(entry))) if (name.endsWith('Normalizer')) normalizers.push(value);
       const registry = core.createRegistry(normalizers, { fallback: core.fallbackNormalizer });
       return arg.rows.map((row) => registry.normalizeEvent(row).data ?? null);`,
      { entries: providerEntries, rows: ROWS },
    );
    expect(inBrowser).toHaveLength(49);
    ROWS.forEach((row, i) => {
      const inNode = normalizeEvent(row);
      if (!inNode.success) throw inNode.error;
      expect(inBrowser[i], row.id).toEqual(JSON.parse(JSON.stringify(inNode.data)));
    });
  });

  it('/core with one provider and no fallback: that provider normalizes, others are UNKNOWN_PROVIDER', async () => {
    const codes = await runInPage<Array<string | null>>(
      page,
      `const { createRegistry } = await import('/core.js');
       const { shopifyNormalizer } = await import('/shopify.js');
       const registry = createRegistry([shopifyNormalizer]);
       return arg.map((row) => { const r = registry.normalizeEvent(row); return r.success ? r.data.normalized['meta.dedupe_key'] : r.error.code; });`,
      ROWS.filter((row) => row.integration_type === 'shopify' || row.integration_type === 'stripe'),
    );
    const expected = ROWS.filter((row) => row.integration_type === 'shopify' || row.integration_type === 'stripe').map((row) => {
      const result = normalizeEvent(row);
      return row.integration_type === 'shopify' && result.success ? result.data.normalized['meta.dedupe_key'] : 'UNKNOWN_PROVIDER';
    });
    expect(codes).toEqual(expected);
  });

  it("/core knows Chromium's country and currency codes and minor units exactly as the written-out ISO tables list them", async () => {
    const answers = await runInPage<unknown>(page, `const core = await import('/core.js'); ${CODE_ANSWERS_BODY}`);
    expect(answers).toEqual(expectedCodeAnswers());
  });

  it('/render renders the events as Node does, Intl money and relative time included', async () => {
    const events = ROWS.map((row) => normalizeEvent(row).data).filter((event) => event !== undefined);
    const inBrowser = await runInPage<string[]>(
      page,
      `const { renderTemplate } = await import('/render.js');
       return arg.events.map((event) => renderTemplate(arg.template, event, { locale: 'en-US', now: '2025-01-15T10:30:00Z' }).text);`,
      { events: JSON.parse(JSON.stringify(events)) as unknown, template: TEMPLATE },
    );
    const template: string = TEMPLATE;
    expect(inBrowser).toEqual(events.map((event) => renderTemplate(template, event, { locale: 'en-US', now: '2025-01-15T10:30:00Z' }).text));
  });
});
