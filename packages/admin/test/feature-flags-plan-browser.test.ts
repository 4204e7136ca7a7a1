import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '@app/adapter-sqlite';
import { createRolloutPlan } from '@app/flags';
import { changeFlagPlan } from '@app/migrate';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumInstalled, launchChromium, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import { createAdminHandler, createBearerTokenAuthorizer } from '../src/index.js';
import { ADMIN_TOKEN, VIEWER_TOKEN } from './admin-test-kit.js';
import { seriousViolations } from './serious-violations.js';
import { serveHandler } from './serve-handler.js';

// The rollout plan controls of the feature-flags page in Debian's Chromium: an operator starts
// the seed's plan, pauses, resumes, advances and rolls back by clicking, and the page follows the
// server's (injected) clock; a viewer sees the plan without a button; a forged POST is refused;
// axe finds nothing serious.

warnIfBrowserSkipped('@app/admin');
const SCREENSHOT = fileURLToPath(new URL('../docs/feature-flags-plan.png', import.meta.url));
const FLAG = 'checkout.one-page';
const GUARDED = 'checkout.wallet';
const HOUR = 3_600_000;

let browser: Browser | undefined;
beforeAll(async () => {
  if (!chromiumInstalled) return;
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Clicks and waits for the page the form leads to. */
async function click(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name }).click()]);
}

const planText = (page: Page, flag = FLAG) => page.locator(`section[aria-labelledby="flag-${flag}-plan"]`).innerText();

it.runIf(chromiumInstalled)('an operator drives a rollout plan by clicking; a viewer only reads it; a forged POST is refused', async () => {
  // An in-memory SQLite database: the page is the same on every adapter (other tests cover them), and it opens at once.
  const database = new Database(':memory:');
  const store = createSqliteStore({ database, createLegacyTables: true });
  await store.ensureSchema();
  let clock = Date.parse('2026-03-02T09:00:00.000Z');
  await store.createFlag({ name: FLAG, description: 'The one-page checkout' }, { actor: 'setup' });
  // A flag whose plan has a guardrail, started by the CLI's library function an hour earlier.
  await store.createFlag({ name: GUARDED, description: 'Pay with a wallet' }, { actor: 'setup' });
  const guarded = createRolloutPlan(clock - HOUR, { guardrails: [{ metric: 'error', threshold: 0.05, action: 'rollback', minSamples: 100 }] });
  expect((await changeFlagPlan(store, GUARDED, { kind: 'start', plan: guarded }, { actor: 'cli-operator' }, new Date(clock - HOUR))).ok).toBe(true);
  const handler = createAdminHandler({
    store,
    basePath: '/admin',
    authorize: createBearerTokenAuthorizer([
      { token: ADMIN_TOKEN, role: 'admin', id: 'ada@example.com' },
      { token: VIEWER_TOKEN, role: 'viewer', id: 'vic@example.com' },
    ]),
    now: () => new Date(clock),
    sessionTtlSeconds: 30 * 24 * 3600,
  });
  const served = await serveHandler(() => handler);
  const operator = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
  const reader = await browser!.newContext();
  try {
    const page = await operator.newPage();
    await page.goto(`${served.origin}/admin/login`);
    await page.locator('#token').fill(ADMIN_TOKEN);
    await click(page, 'Sign in');
    await page.goto(`${served.origin}/admin/feature-flags`);
    expect(await planText(page)).toContain('No scheduled plan');
    expect(await planText(page, GUARDED)).toMatch(/error rate above 5\.0 %: roll back \(judged from 100 evaluations\)/);

    await click(page, `Start plan for ${FLAG}: 10 % for 24 h → 50 % for 2 d → 100 % for 7 d`);
    expect(await page.locator('p.notice').innerText()).toContain(`${FLAG} plan started, now Rolling out 10 %`);
    expect(await planText(page)).toMatch(/Running\s+Now 10 %, stage 1 of 3\. Next stage, 50 %, at 2026-03-03 09:00 UTC \(in 24 h\)/);
    expect(await page.locator(`[id="flag-${FLAG}"] .flag-head .badge`).innerText()).toBe('Rolling out 10 %');

    await click(page, `Pause the plan of ${FLAG}`);
    expect(await planText(page)).toMatch(/Paused\s+Now 10 %/);
    clock += 3 * HOUR;
    await click(page, `Resume the plan of ${FLAG}`);
    // The pause does not count: 24 h of hold minus the time before it is left, from the resumed clock.
    expect(await planText(page)).toMatch(/Running\s+Now 10 %, stage 1 of 3\. Next stage, 50 %, at 2026-03-03 12:00 UTC \(in 24 h\)/);

    await click(page, `Advance now: the plan of ${FLAG} to its next stage`);
    expect(await page.getByRole('alert').innerText()).toContain('before the current stage\'s hold is over');
    expect((await store.getFlag(FLAG))!.rollout_percentage).toBe(10);
    await click(page, `Yes, advance ${FLAG} to 50 %`);
    expect(await planText(page)).toMatch(/Now 50 %, stage 2 of 3/);
    // The last decision reads as a time, the exact instant kept in its <time datetime>.
    const decision = page.locator(`section[aria-labelledby="flag-${FLAG}-plan"] p.plan-decision`);
    expect(await decision.innerText()).toBe('Last decision: advanced by ada@example.com at 2026-03-02 12:00 UTC');
    expect(await decision.locator('time').getAttribute('datetime')).toBe('2026-03-02T12:00:00.000Z');

    // Two days later the clock alone has moved the plan to its last stage.
    clock += 49 * HOUR;
    await page.reload();
    expect(await planText(page)).toMatch(/Now 100 %, stage 3 of 3\. Held until/);
    // The badge shows what the plan gives by the clock; the row still holds the last write (50 %).
    expect(await page.locator(`[id="flag-${FLAG}"] .flag-head .badge`).innerText()).toBe('Fully on');
    expect((await store.getFlag(FLAG))!.rollout_percentage).toBe(50);
    const violations = await seriousViolations(page, 'section.plan');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      // The two flags with a plan (side by side, by name): the one just driven, and the one with a guardrail.
      await page.evaluate(() => window.scrollTo(0, 0));
      const boxes = await Promise.all([FLAG, GUARDED].map(async (name) => (await page.locator(`[id="flag-${name}"]`).boundingBox())!));
      const top = Math.min(...boxes.map((box) => box.y));
      const bottom = Math.max(...boxes.map((box) => box.y + box.height));
      await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: top - 8, width: 1100, height: bottom - top + 16 } });
    }

    await click(page, `Roll back plan of ${FLAG}: 0 %, then disabled`);
    await click(page, `Yes, roll back ${FLAG}`);
    expect(await planText(page)).toMatch(/Rolled back\s+Now 0 %/);
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: false, rollout_percentage: 0 });
    const history = await page.goto(`${served.origin}/admin/feature-flags/${FLAG}`);
    expect(history!.status()).toBe(200);
    expect(await page.locator('table').innerText()).toMatch(/rollout plan\s+rolled back by ada@example\.com/);

    // A forged POST: the operator's own cookie, but no CSRF token.
    const forged = await page.request.post(`${served.origin}/admin/feature-flags/${FLAG}/plan/resume`, { headers: { origin: served.origin }, form: { confirm: 'yes' } });
    expect(forged.status()).toBe(403);
    const viewerPage = await reader.newPage();
    await viewerPage.goto(`${served.origin}/admin/login`);
    await viewerPage.locator('#token').fill(VIEWER_TOKEN);
    await click(viewerPage, 'Sign in');
    await viewerPage.goto(`${served.origin}/admin/feature-flags`);
    expect(await planText(viewerPage)).toMatch(/Rolled back\s+Now 0 %/);
    expect(await viewerPage.locator('section.plan form, section.plan button').count()).toBe(0);
    const token = await viewerPage.locator('meta[name="csrf-token"]').getAttribute('content');
    const refused = await viewerPage.request.post(`${served.origin}/admin/feature-flags/${FLAG}/plan/resume`, { headers: { origin: served.origin }, form: { _csrf: token!, confirm: 'yes' } });
    expect(refused.status()).toBe(403);
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect(violations).toEqual([]);
  } finally {
    await operator.close();
    await reader.close();
    await served.close();
    await store.close();
  }
});
