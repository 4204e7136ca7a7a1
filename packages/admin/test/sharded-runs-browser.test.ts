import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runEventMigration, runEventMigrationWorkers } from '@app/migrate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, testChromiumInstalledWhenRequired, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import { seriousViolations } from './serious-violations.js';
import { ADMIN_TOKEN, BASE_PATH, XSS, createTestHandler, listen, seededPgliteStore } from './admin-test-kit.js';

// An operator opens the dashboard after the command line ran the events over shards
// (`app-migrate events --apply --workers 3`, stopped before the end) and finishes the run there.

warnIfBrowserSkipped('@app/admin');
const SCREENSHOT = fileURLToPath(new URL('../docs/migration-sharded-runs.png', import.meta.url));

testChromiumInstalledWhenRequired();

let browser: Browser | undefined;
beforeAll(async () => {
  if (chromiumInstalled) browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.runIf(chromiumInstalled)('sharded runs on the dashboard, in Chromium', () => {
  it('an admin sees each shard of the worker runs, those that never ran too, then runs Apply over what is left', async () => {
    const { store, close } = await seededPgliteStore();
    const server = await listen(createTestHandler(store, { sliceMs: 50, batchSize: 20 }));
    try {
      // Shard 3 of 3 stops after one batch of 5 (as Ctrl-C would leave it); then two workers run the table to its end.
      await runEventMigration({ store, apply: true, batchSize: 5, limit: 5, shard: { index: 3, count: 3 } });
      const workers = await runEventMigrationWorkers({ store, apply: true, workers: 2 });
      expect(workers.status).toBe('completed');

      const context = await browser!.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.origin}${BASE_PATH}/login`);
      await page.getByLabel('Access token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.origin}${BASE_PATH}/migration`);

      // Two sharded runs, the latest (2 shards) first, each a table an assistive technology can name.
      const headings = await page.getByRole('heading', { level: 3, name: /^Sharded run/ }).allTextContents();
      expect(headings).toEqual(['Sharded run: 2 shards', 'Sharded run: 3 shards']);
      const threeShards = page.getByRole('table', { name: 'Shards of the 3-shard run' });
      // Every shard of the count has its row, the two that never ran too.
      expect(await threeShards.getByRole('row').allTextContents()).toEqual([expect.stringMatching(/^Run/), 'events#1/3not run000', 'events#2/3not run000', expect.stringMatching(/^events#3\/3stopped at its limit550\d{4}-/)]);
      // The workers left nothing but the rows that fail every time: no advice to continue the 3-shard run.
      expect(await page.getByText('app-migrate events --apply --resume --workers 3').count()).toBe(0);
      expect(await page.getByRole('table', { name: 'Failed rows of the 2-shard run' }).getByRole('cell', { name: `evt-9999${XSS}`, exact: true }).count()).toBe(1);
      expect(await page.locator('.step', { hasText: 'Apply' }).textContent()).toContain('events: completed over 2 shards');
      expect(await seriousViolations(page)).toEqual([]);
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await mkdir(new URL('../docs/', import.meta.url), { recursive: true });
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.locator('#events').screenshot({ path: SCREENSHOT });
      }

      // Apply here runs over the whole table: nothing is left but the rows that fail every time.
      await page.getByRole('button', { name: 'Apply events' }).click();
      // Only the four rows that fail every time are left for it.
      await expect.poll(() => page.locator('[data-events-text]').textContent(), { timeout: 60_000 }).toMatch(/^completed: 4 of 4 processed, 0 written, 4 failed/);
      expect(await store.eventStatus()).toMatchObject({ migrated: 117, remaining: 4 });
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await server.close();
      await close();
    }
  });
});
