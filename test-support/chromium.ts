/**
 * Debian's Chromium for the browser tests of every package, as the developers' guide asks (never
 * a downloaded browser). CI sets REQUIRE_BROWSER=1, so a machine without it fails instead of
 * silently skipping.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { expect, it } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM_PATH);
export const browserRequired = process.env.REQUIRE_BROWSER === '1';
export const CHROMIUM_INSTALL_HINT = 'install it with `apt-get install -y chromium`';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Says once, on a machine without Chromium and without REQUIRE_BROWSER, that `suite` is skipped. */
export function warnIfBrowserSkipped(suite: string): void {
  if (!chromiumInstalled && !browserRequired) {
    console.warn(`${suite} browser tests skipped: ${CHROMIUM_PATH} not found; ${CHROMIUM_INSTALL_HINT} (REQUIRE_BROWSER=1 makes this a failure).`);
  }
}

/** Launches Debian's Chromium headless with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** The test that makes a missing Chromium a failure where REQUIRE_BROWSER=1 (CI). */
export function testChromiumInstalledWhenRequired(): void {
  it.skipIf(!browserRequired)('REQUIRE_BROWSER=1: Chromium is installed', () => {
    expect(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} is missing; ${CHROMIUM_INSTALL_HINT}`).toBe(true);
  });
}
