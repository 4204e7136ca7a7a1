import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createPostgresStore, quoteIdentifier } from '@app/adapter-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumInstalled, launchChromium, testChromiumInstalledWhenRequired, warnIfBrowserSkipped } from '../../../test-support/chromium.js';
import type {} from '../../adapter-postgres/test/ensure-postgres.js';
import { POSTGRES_URL, insertSeed, uniqueName } from '../../adapter-postgres/test/harness.js';
import { ADMIN_TOKEN, BASE_PATH, createTestHandler, hostileSeed, listen } from './admin-test-kit.js';
import { seriousViolations } from './serious-violations.js';

// An operator clicks Apply while a replica lags, on the real PostgreSQL server: the page says what
// the backfill waits for, writes nothing, and goes on by itself once the replica is gone.

warnIfBrowserSkipped('@app/admin');
const SCREENSHOT = fileURLToPath(new URL('../docs/migration-throttled.png', import.meta.url));
const CAMPAIGNS_SCREENSHOT = fileURLToPath(new URL('../docs/migration-campaigns-throttled.png', import.meta.url));

testChromiumInstalledWhenRequired();

let browser: Browser | undefined;
beforeAll(async () => {
  if (chromiumInstalled) browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.runIf(chromiumInstalled && inject('postgresAvailable'))('a throttled Apply in Chromium, on the real PostgreSQL server', () => {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  const schema = uniqueName('admin_throttle_ui');
  const slot = `test_throttle_slot_ui_${Math.random().toString(36).slice(2, 8)}`;
  afterAll(async () => {
    await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('shows what the backfill waits for while a replication slot is behind, and completes once it is gone', async () => {
    const store = createPostgresStore({ client: pool, schema, createLegacyTables: true });
    await store.ensureSchema();
    await insertSeed(pool, hostileSeed(), schema);
    // A slot no one reads, behind by the WAL of everything written after it: 1 kB is soon past.
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await pool.query(`CREATE TABLE ${quoteIdentifier(schema)}.filler AS SELECT g, repeat('x', 100) AS text FROM generate_series(1, 100) AS g`);
    const server = await listen(createTestHandler(store, { sliceMs: 300, batchSize: 20, throttle: { maxReplicationLagBytes: 1024, pauseMs: 50 } }));
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.origin}${BASE_PATH}/login`);
      await page.getByLabel('Access token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.origin}${BASE_PATH}/migration`);

      await page.getByRole('button', { name: 'Apply events' }).click();
      const status = page.locator('[data-events-text]');
      await expect
        .poll(() => status.textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`^running: 0 of 121 processed, 0 written, 0 failed\\..* Waiting for the database: replica slot ${slot} has [\\d.,]+ (bytes|kB|MB) of log to apply \\(limit 1,024 bytes\\)\\.$`));
      // Waiting means waiting: the slices go on asking, and nothing is written.
      expect(await store.eventStatus()).toMatchObject({ migrated: 0 });
      expect(await page.getByRole('button', { name: 'Pause' }).isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await mkdir(new URL('../docs/', import.meta.url), { recursive: true });
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.locator('#events').screenshot({ path: SCREENSHOT });
      }

      // The standby is gone: the same run goes on by itself to the end.
      await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^completed: 121 of 121 processed, 117 written, 4 failed/);
      expect(await store.eventStatus()).toMatchObject({ migrated: 117 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('stops a campaigns Apply that waits for a lagging slot, says why, and Continue apply writes with the same resolutions once it is gone', async () => {
    const campaignSchema = `${schema}_c`;
    const campaignSlot = `${slot}_c`;
    const store = createPostgresStore({ client: pool, schema: campaignSchema, createLegacyTables: true });
    await store.ensureSchema();
    await insertSeed(pool, hostileSeed(), campaignSchema);
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [campaignSlot]);
    await pool.query(`CREATE TABLE ${quoteIdentifier(campaignSchema)}.filler AS SELECT g, repeat('x', 100) AS text FROM generate_series(1, 100) AS g`);
    const server = await listen(createTestHandler(store, { sliceMs: 300, throttle: { maxReplicationLagBytes: 1024, pauseMs: 50 } }));
    const context = await browser!.newContext();
    try {
      const before = await store.campaignStatus();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.origin}${BASE_PATH}/login`);
      await page.getByLabel('Access token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.origin}${BASE_PATH}/migration`);

      await page.getByRole('button', { name: 'Dry run campaigns' }).click();
      await page.getByLabel('Resolution for campaign campaign-2').selectOption('native');
      await page.getByLabel('Resolution for campaign campaign-3').selectOption('skip');
      await page.getByRole('button', { name: 'Apply campaign migration' }).click();
      const notice = page.locator('#campaigns [role="status"]');
      expect(await notice.textContent()).toMatch(
        new RegExp(`^Paused: waiting for the database: replica slot ${campaignSlot} has [\\d.,]+ (bytes|kB|MB) of log to apply \\(limit 1,024 bytes\\)\\. Wrote data_sources_v2 of 0 campaign\\(s\\) so far; the rest is not written yet: Continue apply goes on with the same resolutions\\.$`),
      );
      expect(await store.campaignStatus()).toEqual(before);
      expect(await seriousViolations(page)).toEqual([]);
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.locator('#campaigns').screenshot({ path: CAMPAIGNS_SCREENSHOT });
      }

      await pool.query('SELECT pg_drop_replication_slot($1)', [campaignSlot]);
      await page.getByRole('button', { name: 'Continue apply' }).click();
      expect(await page.locator('#campaigns [role="status"]').textContent()).toMatch(/^Applied: wrote data_sources_v2 of 3 campaign\(s\); 1 skipped, 1 still ambiguous\.$/);
      expect((await store.campaignStatus()).migrated).toBe(before.migrated + 3);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
      await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [campaignSlot]);
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(campaignSchema)} CASCADE`);
    }
  });
});
