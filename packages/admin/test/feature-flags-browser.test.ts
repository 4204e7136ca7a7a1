import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresStore } from '@app/adapter-postgres';
import { createFlagTelemetry, flushFlagTelemetry } from '@app/flags';
import type { FlagMetricsStore, FlagStore } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { POSTGRES_URL, createPool } from '../../adapter-postgres/test/harness.js';
import { runCli } from '../../migrate/test/cli-process.js';
import { createAdminHandler, createBearerTokenAuthorizer } from '../src/index.js';
import { ADMIN_TOKEN } from './admin-test-kit.js';
import { seriousViolations } from './serious-violations.js';
import { serveHandler } from './serve-handler.js';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const FLAG = 'e2e.banner';

async function postgresAnswers(): Promise<boolean> {
  const pool = createPool();
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${POSTGRES_URL} does not answer`);
    return false;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
const postgresAvailable = await postgresAnswers();

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Presses Tab (keyboard only) until the focused element matches `selector`. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    if (await page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Presses Enter on the focused submit button and waits for the page it leads to. */
async function submitWithEnter(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}

interface BrowserTarget {
  store: FlagStore;
  /** Runs the CLI against the same database. */
  cli(...args: string[]): ReturnType<typeof runCli>;
  /** Whether the CLI may run while the app has the database open (not for an embedded PGlite directory: one process at a time). */
  concurrentCli: boolean;
  close(): Promise<void>;
}

/**
 * The whole story in the browser: a change the CLI made is in the audit log; an admin creates a
 * flag, rolls it 0 → 10 → 50 → 100 and back with the keyboard alone, is warned and confirms when
 * lowering, and reverts a change from the audit log; axe finds no serious or critical violation.
 */
async function keyboardStory(target: BrowserTarget, screenshot: string | null): Promise<void> {
  const { store } = target;
  const handler = createAdminHandler({
    store: store as never,
    basePath: '/admin',
    authorize: createBearerTokenAuthorizer([{ token: ADMIN_TOKEN, role: 'admin', id: 'ada@example.com' }]),
  });
  const served = await serveHandler(() => handler);
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  try {
    await page.goto(`${served.origin}/admin/login`);
    await page.locator('#token').fill(ADMIN_TOKEN);
    await submitWithEnter(page);
    // An hour of the application's telemetry: the page shows it as the monitoring checklist's numbers.
    const telemetry = createFlagTelemetry({ now: () => Date.now() - 3_600_000 });
    for (let i = 0; i < 400; i++) telemetry.recordEvaluation({ flagName: 'v2_canonical_system', value: i % 10 === 0, reason: 'SPLIT' });
    telemetry.track('v2_canonical_system', 'on', 'error', 1);
    telemetry.track('v2_canonical_system', 'off', 'error', 18);
    await flushFlagTelemetry(telemetry, (rows) => (store as unknown as FlagMetricsStore).writeFlagMetrics(rows));
    await page.goto(`${served.origin}/admin/feature-flags`);
    const telemetrySection = page.locator('section[aria-labelledby="flag-v2_canonical_system-telemetry"]');
    expect(await telemetrySection.locator('p').first().innerText()).toBe('400 evaluations: 10.0 % on (40), 360 off.');
    expect(await telemetrySection.getByRole('row', { name: /error/ }).innerText()).toBe('error\t2.5 % (1 of 40)\t5.0 % (18 of 360)');
    expect(await page.locator('section[aria-labelledby="flag-testimonial_system-telemetry"]').innerText()).toContain('No evaluations recorded');
    // The CLI's change, made before the app started, is in the page's audit log.
    await expect.poll(() => page.locator('table tbody').last().innerText()).toContain('cli-operator');
    expect(await page.locator('[id="flag-cli.made"] h2').innerText()).toBe('cli.made');
    expect(await page.locator('[id="flag-v2_canonical_system"] .tag').innerText()).toBe('System flag');
    violations.push(...(await seriousViolations(page)));

    await page.locator('#new-flag-name').fill(FLAG);
    await page.locator('#new-flag-description').fill('Banner <b>markup</b> stays text');
    await page.locator('#new-flag-name').focus();
    await submitWithEnter(page);
    expect(await page.locator(`[id="flag-${FLAG}"] .badge`).innerText()).toBe('Off');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`flag-${FLAG}`);

    await tabTo(page, `button[aria-label="Enable ${FLAG}"]`);
    await submitWithEnter(page);
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: true, rollout_percentage: 0 });

    const slider = `[id="flag-${FLAG}-rollout"]`;
    const apply = `[id="flag-${FLAG}"] form.rollout button[type="submit"]:not([name])`;
    for (const stage of [10, 50, 100]) {
      await tabTo(page, slider);
      await page.keyboard.press('PageUp');
      expect(await page.locator(`[id="flag-${FLAG}-rollout-value"]`).innerText()).toBe(`${stage} %`);
      await tabTo(page, apply);
      await submitWithEnter(page);
      expect(await store.getFlag(FLAG), `${stage} %`).toMatchObject({ enabled: true, rollout_percentage: stage });
      expect(await page.locator(`[id="flag-${FLAG}"] .badge`).innerText()).toBe(stage === 100 ? 'Fully on' : `Rolling out ${stage} %`);
    }
    expect(await page.locator(`[id="flag-${FLAG}"] .guidance`).innerText()).toMatch(/^Fully on for \d+ min of the recommended 7 d at 100 %/);
    if (screenshot !== null) await page.screenshot({ path: screenshot, fullPage: true });

    for (const [from, stage] of [[100, 50], [50, 10], [10, 0]] as const) {
      await tabTo(page, slider);
      await page.keyboard.press('PageDown');
      await tabTo(page, apply);
      await submitWithEnter(page);
      // Lowering is not applied until confirmed.
      expect(await page.locator('[role="alert"]').innerText()).toContain(`Lowers exposure from ${from} % to ${stage} %`);
      expect(await store.getFlag(FLAG)).toMatchObject({ rollout_percentage: from });
      if (stage === 50) violations.push(...(await seriousViolations(page)));
      await tabTo(page, 'button.danger');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(`Yes, lower ${FLAG}`);
      await submitWithEnter(page);
      expect(await store.getFlag(FLAG)).toMatchObject({ enabled: true, rollout_percentage: stage });
    }

    // One-click revert from the flag's audit log: the newest change (10 → 0) is undone.
    await page.goto(`${served.origin}/admin/feature-flags/${FLAG}`);
    violations.push(...(await seriousViolations(page)));
    const [newest] = await store.readFlagHistory({ name: FLAG, limit: 1 });
    await tabTo(page, `button[aria-label^="Revert change #${newest!.id} "]`);
    await submitWithEnter(page);
    expect(await store.getFlag(FLAG)).toMatchObject({ rollout_percentage: 10 });
    expect((await store.readFlagHistory({ name: FLAG, limit: 1 }))[0]).toMatchObject({ field: 'rollout_percentage', from: 0, to: 10, actor: 'ada@example.com', revertsChangeId: newest!.id });

    if (target.concurrentCli) {
      const set = await target.cli('flags', 'set', FLAG, '--rollout', '50', '--actor', 'cli-operator');
      expect(set.code, set.stderr).toBe(0);
      await page.goto(`${served.origin}/admin/feature-flags/${FLAG}`);
      const log = await page.locator('table').innerText();
      expect(log).toMatch(/rollout\s+10 % → 50 %\s+cli-operator/);
      expect(await page.locator(`[id="flag-${FLAG}"] .badge`).innerText()).toBe('Rolling out 50 %');
    }
    expect(await page.content()).not.toContain('<b>markup</b>');
    expect(violations).toEqual([]);
  } finally {
    await context.close();
    await served.close();
  }
}

describe('the feature-flags page in Chromium', () => {
  it('on an embedded PGlite database (the CLI writes to it first, then the app opens it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flags-browser-'));
    const db = join(dir, 'db');
    try {
      // The application's database: no command creates one, nor its legacy tables.
      const application = await PGlite.create(db);
      await createPostgresStore({ client: application, createLegacyTables: true }).ensureSchema();
      await application.close();
      const init = await runCli(['init', '--db', db]);
      expect(init.code, init.stderr).toBe(0);
      const created = await runCli(['flags', 'create', 'cli.made', '--description', 'made by the CLI', '--actor', 'cli-operator', '--db', db]);
      expect(created.code, created.stderr).toBe(0);
      const pglite = await PGlite.create(db);
      try {
        const store = createPostgresStore({ client: pglite });
        const screenshot = process.env.UPDATE_SCREENSHOTS === '1' ? join(DOCS, 'admin-feature-flags.png') : join(dir, 'feature-flags.png');
        await keyboardStory({ store, cli: (...args) => runCli([...args, '--db', db]), concurrentCli: false, close: async () => undefined }, screenshot);
      } finally {
        await pglite.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(postgresAvailable)('on the real PostgreSQL server, with the CLI changing the flag while the page is open', async () => {
    const schema = `flags_browser_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const dir = await mkdtemp(join(tmpdir(), 'flags-browser-'));
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ schema }));
    const pool = createPool();
    const cli = (...args: string[]) => runCli([...args, '--db', POSTGRES_URL, '--config', config]);
    try {
      // The application's tables exist before the CLI runs: no command creates them.
      await createPostgresStore({ client: pool, schema, createLegacyTables: true }).ensureSchema();
      expect((await cli('init')).code).toBe(0);
      const created = await cli('flags', 'create', 'cli.made', '--description', 'made by the CLI', '--actor', 'cli-operator');
      expect(created.code, created.stderr).toBe(0);
      await keyboardStory({ store: createPostgresStore({ client: pool, schema }), cli, concurrentCli: true, close: async () => undefined }, null);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
