import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

// `--canonical-payload omit` and the config file's `canonicalPayload`, through the CLI on a SQLite file.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-canonical-payload-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function database(name: string): string {
  const file = join(dir, name);
  const db = new Database(file);
  db.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_type TEXT, event_data TEXT, created_at TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, data_source TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT);
INSERT INTO events VALUES ('e1', 'zapier', NULL, '{"name":"Ola","city":"Oslo","n":12345678901234567890}', '2026-01-01T00:00:00Z');
INSERT INTO events VALUES ('e2', 'zapier', NULL, '{"name":"Kari"}', '2026-01-01T00:00:00Z');`);
  db.close();
  return file;
}

const canonicalEvents = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT id, canonical_event FROM events ORDER BY id').all() as { id: string; canonical_event: string }[]).map((row) => JSON.parse(row.canonical_event) as Record<string, unknown>);
  } finally {
    db.close();
  }
};

describe('app-migrate events --canonical-payload', () => {
  it('omit writes canonical events without payload, verify passes on them; the config file says the same; copy (the default) keeps it; anything else exits 2', async () => {
    const omitted = database('omit.db');
    const applied = await runCli(['events', '--apply', '--canonical-payload', 'omit', '--db', omitted]);
    expect(applied.code, applied.stderr).toBe(0);
    for (const event of canonicalEvents(omitted)) {
      expect(Object.keys(event)).not.toContain('payload');
      expect(event).toMatchObject({ provider: 'zapier' });
    }
    const verified = await runCli(['verify', '--json', '--db', omitted]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ sampled: 2, mismatches: [] });

    const configured = database('config.db');
    const config = join(dir, 'migrate.json');
    await writeFile(config, JSON.stringify({ canonicalPayload: 'omit' }));
    expect((await runCli(['events', '--apply', '--db', configured, '--config', config])).code).toBe(0);
    for (const event of canonicalEvents(configured)) expect(Object.keys(event)).not.toContain('payload');

    const copied = database('copy.db');
    // The flag wins over the config file.
    expect((await runCli(['events', '--apply', '--canonical-payload', 'copy', '--db', copied, '--config', config])).code).toBe(0);
    expect(canonicalEvents(copied).map((event) => event.payload)).toEqual([{ name: 'Ola', city: 'Oslo', n: 12345678901234567000 }, { name: 'Kari' }]);

    expect(await runCli(['events', '--canonical-payload', 'none', '--db', copied])).toMatchObject({ code: 2, stderr: expect.stringContaining('--canonical-payload: must be "copy" or "omit"') });
    await writeFile(config, JSON.stringify({ canonicalPayload: 'none' }));
    expect(await runCli(['events', '--db', copied, '--config', config])).toMatchObject({ code: 2, stderr: expect.stringContaining('$.canonicalPayload') });
  }, 120_000);
});
