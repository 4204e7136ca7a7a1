import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';
import { createMemoryStore, findFlagReferencesIn, staleFlags } from '../src/index.js';

const DAY = 86_400_000;
let dir: string;
let db: string;
let code: string;
// The SQLite history records changes by the database clock: the test's clock starts at the real one.
const START = Date.now();
let clock = START;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exit = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, now: () => clock });
  return { code: exit, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-stale-'));
  db = join(dir, 'flags.db');
  const database = new Database(db);
  try {
    await createSqliteStore({ database, createLegacyTables: true }).ensureSchema();
  } finally {
    database.close();
  }
  code = join(dir, 'app');
  await mkdir(join(code, 'src', 'widgets'), { recursive: true });
  await mkdir(join(code, 'node_modules', 'x'), { recursive: true });
  await writeFile(join(code, 'src', 'checkout.tsx'), "import { isEnabled } from '@app/flags';\n\nexport const on = client.isEnabled('v2_canonical_system', user.id);\n");
  await writeFile(join(code, 'src', 'widgets', 'Popup.vue'), '<template>\n  <div v-if="flags.v2_canonical_system">new</div>\n  <div v-if="flags.v2_canonical_system_beta">beta</div>\n</template>\n');
  await writeFile(join(code, 'src', 'banner.js'), "if (isEnabled('beta_banner', id)) show();\n");
  await writeFile(join(code, 'src', 'notes.md'), 'v2_canonical_system is mentioned in docs only\n');
  await writeFile(join(code, 'node_modules', 'x', 'index.js'), "isEnabled('v2_canonical_system')\n");
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('flag cleanup', () => {
  it('finds whole-name references only, with line and column', () => {
    const found = findFlagReferencesIn('a.svelte', "{#if isEnabled('checkout')}\n  isEnabled('checkout.new-flow') && \"checkout\"\n{/if}", ['checkout', 'checkout.new-flow']);
    expect(found.map((r) => `${r.flagName} ${r.line}:${r.column}`)).toEqual(['checkout 1:17', 'checkout 2:38', 'checkout.new-flow 2:14']);
  });

  it('staleFlags: fully on or off and unchanged for the period, or never evaluated', async () => {
    const now = new Date(START);
    const clock = START;
    const store = createMemoryStore({ flags: [
      { name: 'on_long', enabled: true, rollout_percentage: 100, updated_at: new Date(clock - 20 * DAY) },
      { name: 'on_recent', enabled: true, rollout_percentage: 100, updated_at: new Date(clock - 3 * DAY) },
      { name: 'half', enabled: true, rollout_percentage: 50, updated_at: new Date(clock - 30 * DAY) },
      { name: 'off_long', enabled: false, rollout_percentage: 40, updated_at: new Date(clock - 15 * DAY) },
    ] });
    const flags = await store.listFlags();
    expect(staleFlags(flags, () => [], now, 14).map((f) => `${f.flagName} ${f.state}`)).toEqual(['off_long off', 'on_long on']);
    const evaluated = [{ flagName: 'on_long', metric: '$evaluation', variant: 'on' as const, reason: 'STATIC', count: 3 }];
    expect(staleFlags(flags, () => [], now, 14, evaluated).map((f) => `${f.flagName} settled=${f.settled} unused=${f.unused}`)).toEqual([
      'half settled=false unused=true',
      'off_long settled=true unused=true',
      'on_long settled=true unused=false',
      'on_recent settled=false unused=true',
    ]);
    // A recent change in the history counts, not the row's updated_at.
    expect(staleFlags(flags, (name) => (name === 'on_long' ? [{ field: 'enabled', changedAt: new Date(clock - DAY).toISOString() }] : []), now, 14).map((f) => f.flagName)).toEqual(['off_long']);
  });

  it('app-migrate flags stale lists settled flags with their references, and flags delete refuses while references remain', async () => {
    expect((await run('flags', 'set', 'v2_canonical_system', '--enabled', '--rollout', '100', '--force', '--actor', 'a', '--db', db)).code).toBe(0);
    expect((await run('flags', 'create', 'beta_banner', '--actor', 'a', '--db', db)).code).toBe(0);
    // Nothing settled yet; every flag is listed as unused, since none was ever evaluated (no telemetry).
    const fresh = await run('flags', 'stale', '--db', db);
    expect(fresh.stdout).not.toContain('fully');
    expect(fresh.stdout).toContain('beta_banner: never evaluated in 14 days (unused)');
    clock += 15 * DAY;
    const stale = await run('flags', 'stale', '--code', code, '--db', db);
    expect(stale.code, stale.stderr).toBe(0);
    const lines = stale.stdout.trimEnd().split('\n');
    expect(lines).not.toContain('This store keeps no flag telemetry: unused flags are not listed.');
    expect(lines).toContainEqual(expect.stringMatching(/^v2_canonical_system: fully on since \d{4}-\d\d-\d\dT[\d:.]+Z \(14\+ days\), never evaluated in 14 days \(unused\); 2 references to remove:$/));
    expect(lines).toContain("    src/checkout.tsx:3:37  export const on = client.isEnabled('v2_canonical_system', user.id);");
    expect(lines).toContain('    src/widgets/Popup.vue:2:20  <div v-if="flags.v2_canonical_system">new</div>');
    expect(stale.stdout).not.toContain('node_modules');
    expect(stale.stdout).not.toContain('notes.md');
    expect((await run('flags', 'stale', '--days', '30', '--db', db)).stdout).not.toContain('fully');

    expect(lines).toContainEqual(expect.stringMatching(/^beta_banner: fully off since \S+ \(14\+ days\), never evaluated in 14 days \(unused\); 1 reference to remove:$/));
    const refused = await run('flags', 'delete', 'beta_banner', '--code', code, '--actor', 'a', '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('1 reference to "beta_banner" remain');
    expect(refused.stdout).toContain("src/banner.js:1:16  if (isEnabled('beta_banner', id)) show();");
    expect((await run('flags', 'list', '--db', db)).stdout).toContain('beta_banner');
    const forced = await run('flags', 'delete', 'beta_banner', '--code', code, '--force', '--actor', 'a', '--db', db);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await run('flags', 'list', '--db', db)).stdout).not.toContain('beta_banner');
    expect(await run('flags', 'list', '--days', '3', '--db', db)).toMatchObject({ code: 2 });
  });
});
