import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, testChromiumInstalledWhenRequired, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import vectorsFile from '../test-vectors.json' with { type: 'json' };
import { ANONYMOUS_ID_STORAGE_KEY } from '../src/browser.js';
import { type FlagEvaluation, bucket, createFlagClient, unleashNormalizedValue } from '../src/index.js';

// Widgets bucket in the browser, servers in Node: this file proves the built bundles, run by a
// real Chromium, put every subject in the same bucket as Node does.

warnIfBrowserSkipped('@app/flags');

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(packageDir, 'dist');
// dist/index.js imports zod by its bare name; the page's import map points it at zod's own ESM files.
const zodDir = dirname(createRequire(join(packageDir, 'package.json')).resolve('zod/package.json'));

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"zod":"/zod/index.js"}}</script>
<title>@app/flags in Chromium</title></head><body></body></html>`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Maps a request path to a file under `root`, or `undefined` if it would leave `root`. */
function fileUnder(root: string, urlPath: string): string | undefined {
  const file = resolve(root, `.${urlPath}`);
  return file.startsWith(root + sep) ? file : undefined;
}

function startStaticServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (urlPath === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(PAGE_HTML);
      return;
    }
    const file = urlPath.startsWith('/zod/') ? fileUnder(zodDir, urlPath.slice('/zod'.length)) : fileUnder(distDir, urlPath);
    if (file === undefined) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        response.end(body);
      },
      () => {
        response.writeHead(404).end();
      },
    );
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

/**
 * Runs `body` as an async function of `arg` in the page. The code is a string on purpose: vitest
 * rewrites `import()` in functions it compiles, which would break the page's dynamic imports.
 * `arg` travels as JSON, which keeps even lone surrogates intact.
 */
function runInPage<T>(page: Page, body: string, arg: unknown = null): Promise<T> {
  return page.evaluate<T>(`(async (arg) => { ${body} })(${JSON.stringify(arg)})`);
}

/** A small deterministic PRNG (mulberry32), so the generated keys are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NON_ASCII_KEYS = [
  'Zoë',
  'José García',
  'Łódź',
  '東京',
  '안녕하세요',
  'مرحبا',
  'Здравствуйте',
  '😀',
  '👩‍👩‍👧‍👦',
  'e\u0301', // e + combining acute: not normalized, so not the same key as "é"
  'é',
  '\ud83d', // lone high surrogate: hashed as U+FFFD, as TextEncoder encodes it
  'x\udc00y', // lone low surrogate
];

/** ~1,000 subject keys as they come in: UUIDs, emails, numeric ids, non-ASCII, very long ones. */
function generateSubjectKeys(): string[] {
  const random = seededRandom(0x5eed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const keys: string[] = [];
  for (let i = 0; i < 700; i++) keys.push(`${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[i % 4]}${hex(3)}-${hex(12)}`);
  for (let i = 0; i < 100; i++) keys.push(`user${i}@example.com`);
  for (let i = 0; i < 100; i++) keys.push(String(Math.floor(random() * 10_000_000)));
  for (let i = 0; i < 80; i++) keys.push(`${NON_ASCII_KEYS[i % NON_ASCII_KEYS.length]}-${i}`);
  keys.push(...NON_ASCII_KEYS);
  // Longer than the hash's reusable scratch buffer (1,024 bytes), so the other code path runs too.
  keys.push('a'.repeat(400), 'é'.repeat(600), '😀'.repeat(700));
  return keys;
}

const SUBJECT_KEYS = generateSubjectKeys();

// Rows as the database driver returns them (snake_case, string timestamps, MySQL-style 0/1).
const FLAG_ROWS = [
  {
    id: '0f8e2a3c-5b1d-4c6e-9a7f-1e2d3c4b5a69',
    name: 'v2_canonical_system',
    description: 'Master flag for the unified (v2 canonical) integration system',
    enabled: true,
    rollout_percentage: 10,
    metadata: null,
    created_at: '2025-01-10T09:00:00.000Z',
    updated_at: '2025-03-02T14:30:00.000Z',
  },
  { name: 'testimonial_system', enabled: true, rollout_percentage: 50, metadata: { owner: 'growth' } },
  { name: 'playlist_orchestration', enabled: 1, rollout_percentage: 50, description: null },
  { name: 'multi_integration_campaigns', enabled: true, rollout_percentage: 10 },
  { name: 'ünïcødé_flag', enabled: true, rollout_percentage: 50 },
];

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

testChromiumInstalledWhenRequired();

describe.runIf(chromiumInstalled)('built bundles in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'core.js'))) {
      throw new Error(`${distDir} has no core.js: run \`pnpm --filter @app/flags build\` first`);
    }
    server = await startStaticServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${origin}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  it.each(['/core.js', '/index.js'])('%s buckets every test vector as the vectors and Node do', async (bundle) => {
    const pairs = vectorsFile.vectors.map((v) => [v.flag, v.key]);
    const inBrowser = await runInPage<number[]>(
      page,
      `const m = await import(${JSON.stringify(bundle)}); return arg.map(([flag, key]) => m.bucket(flag, key));`,
      pairs,
    );
    expect(inBrowser).toHaveLength(vectorsFile.vectors.length);
    vectorsFile.vectors.forEach((v, i) => {
      expect(inBrowser[i], `browser ${v.flag} / ${v.key}`).toBe(v.bucket);
      expect(bucket(v.flag, v.key), `node ${v.flag} / ${v.key}`).toBe(v.bucket);
    });
  });

  it.each(['/index.js', '/unleash.js'])('%s reproduces the Unleash normalizedValue vectors', async (bundle) => {
    const inBrowser = await runInPage<number[]>(
      page,
      `const m = await import(${JSON.stringify(bundle)});
       return arg.map((v) => m.unleashNormalizedValue(v.id, v.groupId, v.normalizer));`,
      vectorsFile.unleash,
    );
    expect(inBrowser).toEqual(vectorsFile.unleash.map((v) => v.value));
    expect(vectorsFile.unleash.map((v) => unleashNormalizedValue(v.id, v.groupId, v.normalizer))).toEqual(inBrowser);
  });

  it.each(['/index.js', '/unleash.js'])("%s reproduces the Unleash Node SDK vectors with encoding 'node-sdk'", async (bundle) => {
    const inBrowser = await runInPage<number[]>(
      page,
      `const m = await import(${JSON.stringify(bundle)});
       return arg.map((v) => m.unleashNormalizedValue(v.id, v.groupId, v.normalizer, { encoding: 'node-sdk' }));`,
      vectorsFile.unleashNodeSdk,
    );
    expect(inBrowser).toEqual(vectorsFile.unleashNodeSdk.map((v) => v.value));
  });

  // A number's decimal string is fixed by ECMAScript; this checks Chromium and Node agree on it.
  it.each(['/core.js', '/index.js'])('%s buckets numeric subject keys as Node does', async (bundle) => {
    const numericKeys = [0, -0, 42, -7, 1.5, 0.1 + 0.2, 2 ** 53, 1e21, 5e-324, Number.MAX_VALUE, ...Array.from({ length: 200 }, (_, i) => i * 7919)];
    const inBrowser = await runInPage<FlagEvaluation[]>(
      page,
      `const { createFlagClient } = await import(${JSON.stringify(bundle)});
       const client = createFlagClient(arg.rows);
       return arg.keys.map((key) => client.evaluate('testimonial_system', key));`,
      { rows: FLAG_ROWS, keys: numericKeys },
    );
    const client = createFlagClient(FLAG_ROWS);
    expect(inBrowser).toEqual(numericKeys.map((key) => client.evaluate('testimonial_system', key)));
    expect(inBrowser.every((e) => e.reason === 'SPLIT')).toBe(true);
    expect(inBrowser[2]).toEqual(client.evaluate('testimonial_system', '42'));
  });

  // core's client reads rows without zod, index's with zod: both must decide exactly as Node does.
  it.each(['/core.js', '/index.js'])('%s createFlagClient(rows).evaluate matches Node for ~1,000 keys', async (bundle) => {
    const flagNames = FLAG_ROWS.map((row) => row.name);
    const inBrowser = await runInPage<{ keysAsReceived: string; errorCount: number; evaluations: FlagEvaluation[][] }>(
      page,
      `const { createFlagClient } = await import(${JSON.stringify(bundle)});
       const client = createFlagClient(arg.rows);
       return {
         keysAsReceived: JSON.stringify(arg.keys),
         errorCount: client.errors.length,
         evaluations: arg.names.map((name) => arg.keys.map((key) => client.evaluate(name, key))),
       };`,
      { rows: FLAG_ROWS, names: flagNames, keys: SUBJECT_KEYS },
    );
    // The keys reached the page unchanged (lone surrogates included), so equal results mean equal hashing.
    expect(inBrowser.keysAsReceived).toBe(JSON.stringify(SUBJECT_KEYS));
    expect(inBrowser.errorCount).toBe(0);

    const client = createFlagClient(FLAG_ROWS);
    expect(client.errors).toEqual([]);
    const inNode = flagNames.map((name) => SUBJECT_KEYS.map((key) => client.evaluate(name, key)));
    expect(inBrowser.evaluations).toEqual(inNode);

    // Both sides agreeing on "everyone off" would also be equal: check the split is a real one.
    FLAG_ROWS.forEach((row, i) => {
      const evaluations = inNode[i]!;
      expect(evaluations.every((e) => e.reason === 'SPLIT' && typeof e.bucket === 'number')).toBe(true);
      const share = evaluations.filter((e) => e.value).length / evaluations.length;
      expect(share, row.name).toBeGreaterThan(row.rollout_percentage / 100 - 0.06);
      expect(share, row.name).toBeLessThan(row.rollout_percentage / 100 + 0.06);
    });
  });

  it('getAnonymousId from /browser.js survives a reload and differs in a fresh browser context', async () => {
    const readId = (p: Page) =>
      runInPage<{ id: string; stored: string | null }>(
        p,
        `const { getAnonymousId } = await import('/browser.js');
         const id = getAnonymousId();
         return { id, stored: localStorage.getItem(arg) };`,
        ANONYMOUS_ID_STORAGE_KEY,
      );
    const context = await browser!.newContext();
    const otherContext = await browser!.newContext();
    try {
      const visitorPage = await context.newPage();
      await visitorPage.goto(`${origin}/`);
      const first = await readId(visitorPage);
      expect(first.id).toMatch(uuidV4);
      expect(first.stored).toBe(first.id);

      // A reload drops the module's in-memory copy, so the same id can only come from localStorage.
      await visitorPage.reload();
      expect((await readId(visitorPage)).id).toBe(first.id);

      const otherPage = await otherContext.newPage();
      await otherPage.goto(`${origin}/`);
      const other = await readId(otherPage);
      expect(other.id).toMatch(uuidV4);
      expect(other.id).not.toBe(first.id);
    } finally {
      await context.close();
      await otherContext.close();
    }
  });
});
