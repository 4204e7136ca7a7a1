import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createPostgresStore, quoteIdentifier } from '@app/adapter-postgres';
import type { FlagStore, MigrationStore } from '@app/migrate';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromiumInstalled, launchChromium, testChromiumInstalledWhenRequired, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import type {} from '../../adapter-postgres/test/ensure-postgres.js';
import { POSTGRES_URL, insertSeed, uniqueName } from '../../adapter-postgres/test/harness.js';
import { seriousViolations } from './serious-violations.js';
import { ADMIN_TOKEN, BASE_PATH, VIEWER_TOKEN, XSS, createTestHandler, hostileSeed, listen, seededPgliteStore } from './admin-test-kit.js';

// The dashboard end to end in Debian's Chromium: a real server on 127.0.0.1 over the embedded
// database and over the real PostgreSQL server; an admin runs the whole checklist by clicking,
// a viewer is refused, axe finds nothing serious, the keyboard alone is enough.

warnIfBrowserSkipped('@app/admin');
const SCREENSHOT = fileURLToPath(new URL('../docs/migration-dashboard.png', import.meta.url));

testChromiumInstalledWhenRequired();

let browser: Browser | undefined;
beforeAll(async () => {
  if (!chromiumInstalled) return;
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function signIn(page: Page, origin: string, token: string): Promise<void> {
  await page.goto(`${origin}${BASE_PATH}/login`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}${BASE_PATH}/migration`);
}

interface Backend {
  name: string;
  available: () => boolean;
  open(): Promise<{ store: MigrationStore & FlagStore; close(): Promise<void> }>;
}

const backends: Backend[] = [
  { name: 'the embedded database (PGlite)', available: () => true, open: () => seededPgliteStore() },
  {
    name: 'the real PostgreSQL server',
    available: () => inject('postgresAvailable'),
    async open() {
      const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
      const schema = uniqueName('admin_e2e');
      const store = createPostgresStore({ client: pool, schema, createLegacyTables: true });
      await store.ensureSchema();
      await insertSeed(pool, hostileSeed(), schema);
      return {
        store,
        async close() {
          await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
          await pool.end();
        },
      };
    },
  },
];

for (const backend of backends) {
  describe.runIf(chromiumInstalled && backend.available())(`the dashboard in Chromium over ${backend.name}`, () => {
    let store: MigrationStore & FlagStore;
    let closeStore: () => Promise<void>;
    let server: { origin: string; close(): Promise<void> };

    beforeAll(async () => {
      ({ store, close: closeStore } = await backend.open());
      // One batch of two rows a slice (a slice always runs one batch), so Pause lands in the middle of the run even on a fast machine.
      server = await listen(createTestHandler(store, { sliceMs: 1, batchSize: 2 }));
    });
    afterAll(async () => {
      await server?.close();
      await closeStore?.();
    });

    it('an admin runs the whole checklist by clicking: dry run, report, resolutions, apply, events with Pause/Resume, verify', async () => {
      const context = await browser!.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        // The browser's own favicon request goes to the server's root, outside the app.
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`${message.text()} ${message.location().url}`);
      });
      await page.goto(`${server.origin}${BASE_PATH}/login`);
      expect(await seriousViolations(page)).toEqual([]);
      await signIn(page, server.origin, ADMIN_TOKEN);
      expect(await seriousViolations(page)).toEqual([]);

      // 1. Dry run.
      await page.getByRole('button', { name: 'Dry run campaigns' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Dry run', exact: true }).count()).toBe(1);
      expect(await page.locator('.card', { hasText: 'Ambiguous' }).first().textContent()).toMatch(/3\s+Ambiguous/);
      expect(await page.content()).not.toContain(XSS);
      expect(await seriousViolations(page)).toEqual([]);

      // 2. Download the report.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON', exact: true }).click()]);
      expect(download.suggestedFilename()).toBe('campaign-migration-report.json');
      const report = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; summary: { total: number } };
      expect(report).toMatchObject({ format: 'campaign-migration-report', summary: { total: 6 } });

      // 3. Resolve each ambiguous campaign: its last choice (a candidate, or skip).
      const selects = page.getByRole('combobox');
      expect(await selects.count()).toBe(3);
      for (let index = 0; index < 3; index++) {
        const select = selects.nth(index);
        const options = await select.locator('option').count();
        await select.selectOption({ index: options - 1 });
      }
      // 4. Apply campaigns.
      await page.getByRole('button', { name: 'Apply campaign migration' }).click();
      await expect.poll(() => page.locator('.notice', { hasText: 'Applied' }).count()).toBe(1);
      expect(await page.locator('.notice', { hasText: 'Applied' }).textContent()).toContain('0 still ambiguous');
      expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed' });

      // The events dry run, and its report downloaded (the time box: one batch of two rows).
      await page.getByRole('button', { name: 'Dry run events' }).click();
      await expect.poll(() => page.locator('#events h3', { hasText: 'Dry run' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Apply report' }).count()).toBe(0);
      const [dryDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Dry run report' }).click()]);
      expect(dryDownload.suggestedFilename()).toBe('event-migration-dry-run-report.json');
      const dryReport = JSON.parse(await readFile((await dryDownload.path())!, 'utf8')) as unknown;
      expect(dryReport).toMatchObject({ format: 'event-migration-report', mode: 'dry-run', status: 'limited', counts: { selected: 121, processed: 2, written: 0 } });

      // 4. Apply events, Pause in the middle, Resume to the end.
      await page.getByRole('button', { name: 'Apply events' }).click();
      const status = page.locator('[data-events-text]');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^running: [1-9]/);
      await page.getByRole('button', { name: 'Pause' }).click();
      const resume = page.getByRole('button', { name: 'Resume apply' });
      await resume.waitFor({ state: 'visible', timeout: 30_000 });
      const paused = await store.readCheckpoint('events');
      expect(paused?.status).toBe('running');
      const pausedAt = paused!.counts.processed!;
      expect(pausedAt).toBeGreaterThan(0);
      expect(pausedAt).toBeLessThan(121);
      // Paused means paused: nothing moves while no slice is asked for.
      await page.waitForTimeout(500);
      expect((await store.readCheckpoint('events'))!.counts.processed).toBe(pausedAt);
      expect(await status.textContent()).toMatch(/events\/s/);
      await resume.click();
      await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^completed: 121 of 121 processed, 117 written, 4 failed/);
      expect(await page.locator('table[data-events-failures] tbody tr').count()).toBe(4);
      expect(await page.locator('table[data-events-failures]').textContent()).toContain(`evt-9999${XSS}`);
      // A finished run offers a new apply, not a resume.
      expect(await page.getByRole('button', { name: 'Apply events' }).isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      // The apply report: the page was rendered before the run, and the script shows its link.
      const [applyDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Apply report' }).click()]);
      expect(applyDownload.suggestedFilename()).toBe('event-migration-report.json');
      const applyReport = JSON.parse(await readFile((await applyDownload.path())!, 'utf8')) as unknown;
      expect(applyReport).toMatchObject({ mode: 'apply', status: 'completed', counts: { processed: 121, written: 117, failed: 4 } });

      // 5. Verify.
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.locator('#verify strong').textContent()).toBe('OK');
      expect(await page.locator('.step-done').count()).toBe(5);
      expect(await seriousViolations(page)).toEqual([]);
      // The README's screenshot: refreshed on request only, so test runs leave the repository as it was.
      if (backend.name.includes('PGlite') && process.env.UPDATE_SCREENSHOTS === '1') {
        await mkdir(new URL('../docs/', import.meta.url), { recursive: true });
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      }
      expect(errors).toEqual([]);
      await context.close();
    });

    it('a viewer sees no action button and is refused when it forges the requests', async () => {
      const context = await browser!.newContext();
      const page = await context.newPage();
      await signIn(page, server.origin, VIEWER_TOKEN);
      expect(await page.getByRole('button', { name: /Dry run|Apply|Verify|Resume|Create the migration schema/ }).count()).toBe(0);
      expect(await page.getByRole('combobox').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
      const statuses = await page.evaluate(async (base) => {
        const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
        const paths = ['/migration/campaigns/dry-run', '/migration/campaigns/apply', '/migration/events/slice', '/migration/events/dry-run', '/migration/verify', '/migration/init'];
        return Promise.all(
          paths.map(async (path) => {
            const response = await fetch(`${base}${path}`, {
              method: 'POST',
              headers: { 'x-csrf-token': csrf, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
              body: 'start=1',
            });
            return response.status;
          }),
        );
      }, BASE_PATH);
      expect(statuses).toEqual([403, 403, 403, 403, 403, 403]);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });
  });
}

describe.runIf(chromiumInstalled)('the dashboard with the keyboard alone', () => {
  let closeStore: () => Promise<void>;
  let server: { origin: string; close(): Promise<void> };
  let store: MigrationStore & FlagStore;
  // The server's clock runs with the real one, shifted to end the session in the middle of the run.
  let shiftMs = 0;
  beforeAll(async () => {
    ({ store, close: closeStore } = await seededPgliteStore());
    server = await listen(createTestHandler(store, { sliceMs: 1, batchSize: 2, now: () => new Date(Date.now() + shiftMs) }));
  });
  afterAll(async () => {
    await server?.close();
    await closeStore?.();
  });

  /** Presses Tab until the focused element's text is `label`. */
  async function tabTo(page: Page, label: string): Promise<void> {
    for (let presses = 0; presses < 60; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? (document.activeElement?.textContent ?? '').trim());
      if (focused === label) return;
    }
    throw new Error(`Tab never reached "${label}"`);
  }

  async function signInWithKeyboard(page: Page): Promise<void> {
    await page.goto(`${server.origin}${BASE_PATH}/login`);
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.origin}${BASE_PATH}/migration`);
  }

  it('signs in, dry-runs, resolves, applies, pauses, resumes, downloads, verifies and signs out without a mouse', async () => {
    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signInWithKeyboard(page);

    await tabTo(page, 'Dry run campaigns');
    await page.keyboard.press('Enter');
    await page.waitForSelector('select');
    for (const id of ['campaign-2', 'campaign-3']) {
      await tabTo(page, `Resolution for campaign ${id}`);
      await page.keyboard.press('ArrowDown'); // "Skip"
    }
    await tabTo(page, 'Apply campaign migration');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.notice');
    expect(await page.locator('.notice', { hasText: 'Applied' }).textContent()).toContain('2 skipped');

    await tabTo(page, 'Apply events');
    await page.keyboard.press('Enter');
    // The script moves focus to Pause while the run goes on.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Pause');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), { timeout: 30_000 }).toBe('Resume apply');
    expect((await store.readCheckpoint('events'))?.status).toBe('running');
    const pausedAt = (await store.readCheckpoint('events'))!.counts.processed;

    // The session ends while paused (its 8 hours are over): Resume is refused, says so, and runs nothing.
    shiftMs += 9 * 3600 * 1000;
    await page.keyboard.press('Enter');
    const status = page.locator('[data-events-text]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Paused: Sign in to use the admin app\./);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Resume apply');
    expect((await store.readCheckpoint('events'))!.counts.processed).toBe(pausedAt);

    // Signed in again, the page offers to resume from the checkpoint; resume to the end, and focus
    // comes back to the start button, which now starts a new run.
    await signInWithKeyboard(page);
    await tabTo(page, 'Resume apply');
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^completed: 121 of 121 processed/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Apply events');
    await tabTo(page, 'Apply report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('event-migration-report.json');

    await tabTo(page, 'Verify');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#verify strong').textContent()).toBe('Not OK');
    await tabTo(page, 'Sign out');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.origin}${BASE_PATH}/login`);
    await context.close();
  });
});
