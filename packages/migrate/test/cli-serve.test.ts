import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cli, repoRoot } from './cli-process.js';

// `app-migrate serve` loads @app/admin from the project (the repository root here), as it loads adapters.
let dir: string;
let db: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-serve-'));
  db = join(dir, 'db');
  // The application's tables: app-migrate creates only its own.
  const pglite = await PGlite.create(db);
  await pglite.exec(`CREATE TABLE events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz);
CREATE TABLE campaigns (id text PRIMARY KEY, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb);
CREATE TABLE integrations (id text PRIMARY KEY, user_id text, provider text, status text, settings jsonb, deleted_at timestamptz);`);
  await pglite.close();
  expect((await cli('init', '--db', db)).code).toBe(0);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `serve` and resolves with the process and the sign-in link it prints. */
function startServe(...args: string[]): Promise<{ child: ChildProcess; link: URL; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, link: new URL(match[1]!), output: () => output });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

async function signIn(link: URL, token: string): Promise<Response> {
  const form = await fetch(link);
  const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  return fetch(new URL('/login', link), {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: link.origin, cookie: form.headers.getSetCookie()[0]!.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: nonce, token }),
  });
}

describe('app-migrate serve', () => {
  it('serves the dashboard on 127.0.0.1 with a one-time sign-in link, and stops on Ctrl-C', async () => {
    const { child, link } = await startServe();
    try {
      expect(link.hostname).toBe('127.0.0.1');
      const token = link.searchParams.get('token')!;
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect((await fetch(new URL('/migration', link), { headers: { accept: 'text/html' } })).status).toBe(401);
      const signedIn = await signIn(link, token);
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.getSetCookie().find((line) => line.startsWith('app_admin_session='))!.split(';')[0]!;
      const page = await fetch(new URL('/migration', link), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Checklist');
      // The token is spent.
      expect((await signIn(link, token)).status).toBe(401);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('throttles the dashboard\'s Apply with --max-replication-lag: says what it watches, and refuses a value that is no limit', async () => {
    const { child, output } = await startServe('--max-replication-lag', '10s', '--max-replication-lag', '64MB');
    try {
      expect(output()).toContain("Throttle: no replica or replication slot reports to this database now; the dashboard's Apply pauses only if one does and falls behind.");
    } finally {
      expect(await stop(child)).toBe(0);
    }
    const bad = await cli('serve', '--db', db, '--max-replication-lag', '10 seconds');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-replication-lag: must be a time (10s, 500ms, 2min) or a size of log (64MB, 512kB, 1GB), got "10 seconds"');
  });

  it('refuses a host other than a loopback address', async () => {
    const run = await cli('serve', '--db', db, '--host', '0.0.0.0');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--host');
    expect(run.stderr).toContain('createAdminHandler');
  });

  it('never creates a database that does not exist', async () => {
    const run = await cli('serve', '--db', join(dir, 'missing'));
    expect(run.code).toBe(5);
  });
});
