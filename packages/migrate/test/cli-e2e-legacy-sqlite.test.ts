import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

// A SQLite events table with neither event_type nor created_at, and a payload without any time:
// the optional columns declared absent, and the way out for rows that can never get a timestamp.
let dir: string;
let file: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-legacy-sqlite-'));
  file = join(dir, 'app.db');
  config = join(dir, 'migrate.json');
  const database = new Database(file);
  database.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, integration_type TEXT, event_data TEXT);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, user_id TEXT, data_source TEXT);
CREATE TABLE integrations (id TEXT PRIMARY KEY, user_id TEXT, provider TEXT);
INSERT INTO events VALUES ('e1', 'zapier', '{"name":"Ola","city":"Oslo"}');`);
  database.close();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('app-migrate events on a table without event_type and created_at (SQLite)', () => {
  it('names both absent columns, takes them declared null, and --received-at-fallback gives timeless rows a time', async () => {
    const cli = (...args: string[]) => runCli([...args, '--db', file, '--config', config]);
    await writeFile(config, '{}');
    const refused = await cli('events');
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toContain('column events.event_type does not exist: set names.events.eventType in the --config file');
    expect(refused.stderr).toContain('column events.created_at does not exist: set names.events.createdAt in the --config file');

    await writeFile(config, JSON.stringify({ names: { events: { eventType: null, createdAt: null } } }));
    const timeless = await cli('events');
    expect(timeless.code, timeless.stderr).toBe(1);
    // The failure names the CLI's flag where the library's message names its option.
    expect(timeless.stdout).toMatch(/^ {2}e1 {2}MISSING_TIMESTAMP .*--received-at-fallback/m);
    expect(timeless.stdout).not.toContain('options.receivedAt');
    expect(timeless.stdout).toContain('--received-at-fallback now (or an ISO time) gives them one');

    expect(await cli('events', '--received-at-fallback', 'yesterday')).toMatchObject({ code: 2, stderr: expect.stringContaining('--received-at-fallback: must be "now" or an ISO 8601 time') });
    const fallback = await cli('events', '--received-at-fallback', '2025-01-15T10:30:00Z');
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stdout).toContain('1 events processed, 1 would be written, 0 failed');
    expect((await cli('init')).code).toBe(0);
    const applied = await cli('events', '--apply', '--received-at-fallback', 'now');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('1 events processed, 1 written, 0 failed');
  }, 120_000);
});
