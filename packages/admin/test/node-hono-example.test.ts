import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';

// The Node/Hono example (examples/admin-node-hono.ts) run as its comment says, with tsx, over an
// embedded database in a scratch folder: the app's own route, the dashboard behind its token.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(root, 'examples/admin-node-hono.ts');
const tsx = join(root, 'node_modules/.bin/tsx');
const TOKEN = 'node-hono-example-admin-token';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(cwd: string, port: number): Started {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(tsx, [example], { cwd, env: { ...env, ADMIN_TOKEN: TOKEN, PORT: String(port), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function listening(started: Started) {
  while (!started.output().includes('Admin dashboard:')) {
    if (started.child.exitCode !== null) throw new Error(`the example exited with ${started.child.exitCode}: ${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the Node/Hono example', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) child.kill();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('says what to do when there is no database yet, and exits 2', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'admin-hono-'));
    folders.push(cwd);
    const started = start(cwd, await freePort());
    children.push(started.child);
    expect(await started.exited).toBe(2);
    expect(started.output()).toContain('run `pnpm demo` first');
  }, 60_000);

  it('serves the app beside the dashboard, which asks for the token', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'admin-hono-'));
    folders.push(cwd);
    await mkdir(join(cwd, '.demo'));
    await (await PGlite.create(join(cwd, '.demo/db'))).close();
    const port = await freePort();
    const started = start(cwd, port);
    children.push(started.child);
    await listening(started);
    const base = `http://127.0.0.1:${port}`;

    const app = await fetch(`${base}/`);
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('Your app');

    const anonymous = await fetch(`${base}/admin/migration`, { redirect: 'manual' });
    expect([302, 303, 401]).toContain(anonymous.status);
    await anonymous.body?.cancel();

    const wrong = await fetch(`${base}/admin/migration`, { headers: { authorization: 'Bearer not-the-token-at-all' }, redirect: 'manual' });
    expect(wrong.status).toBe(401);
    await wrong.body?.cancel();

    const admin = await fetch(`${base}/admin/migration`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(admin.status, started.output()).toBe(200);
    expect(admin.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await admin.text()).toContain('<h1');
  }, 120_000);
});
