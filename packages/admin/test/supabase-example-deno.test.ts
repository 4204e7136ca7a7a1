import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPostgresStore, quoteIdentifier } from '@app/adapter-postgres';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { denoBinary, denoEnvironment, runDeno, testDenoInstalledWhenRequired, warnIfDenoSkipped } from '../../../test-support/deno.js';
import type {} from '../../adapter-postgres/test/ensure-postgres.js';
import { POSTGRES_URL, insertSeed, uniqueName } from '../../adapter-postgres/test/harness.js';
import { hostileSeed } from './admin-test-kit.js';

// The Supabase Edge Function example (examples/supabase) in Deno itself: type-checked with
// `deno check`, then served with `Deno.serve` over the real PostgreSQL server, signed in with
// ES256 tokens verified against a JWKS endpoint, as Supabase Auth issues them. Deno comes from the
// root devDependency `deno` (test-support/deno.ts).

warnIfDenoSkipped('@app/admin');

const root = fileURLToPath(new URL('../../../', import.meta.url));
const exampleDir = join(root, 'examples/supabase');
const example = join(exampleDir, 'functions/admin/index.ts');
// The repository's packages are linked into node_modules (workspace symlinks to their real
// folders), where Deno's own resolution does not map `./x.js` to `./x.d.ts` as it does for a
// package installed from the registry; sloppy imports do that mapping. Bare and `npm:` specifiers
// resolve through the node_modules pnpm made, so nothing is downloaded.
const DENO_FLAGS = ['--node-modules-dir=manual', '--unstable-sloppy-imports'];

testDenoInstalledWhenRequired();

describe.runIf(denoBinary !== null)('the Supabase Edge Function example in Deno', () => {
  it('type-checks with deno check', async () => {
    const result = await runDeno(['check', ...DENO_FLAGS, example], exampleDir, '', 170_000);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  describe.runIf(inject('postgresAvailable'))('served by Deno over the real PostgreSQL server', () => {
    let pool: pg.Pool;
    let schema: string;
    let jwks: Server;
    let projectUrl: string;
    let privateKey: CryptoKey;
    let deno: ChildProcess | undefined;
    let scratch: string;
    let origin: string;
    let output = '';

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
      schema = uniqueName('admin_deno');
      const store = createPostgresStore({ client: pool, schema, createLegacyTables: true });
      await store.ensureSchema();
      await insertSeed(pool, hostileSeed(), schema);

      // Supabase Auth's part: a JWKS endpoint with the ES256 public key that signs the tokens.
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
      jwks = createServer((request, response) => {
        const found = request.url === '/auth/v1/.well-known/jwks.json';
        response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        response.end(found ? JSON.stringify({ keys: [jwk] }) : '{}');
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      projectUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;

      // The example calls Deno.serve(handler) as an Edge Function does; this wrapper only makes
      // it listen on a free port of 127.0.0.1 and say which.
      scratch = await mkdtemp(join(tmpdir(), 'admin-deno-'));
      const wrapper = join(scratch, 'serve-example.ts');
      await writeFile(
        wrapper,
        `const serve = Deno.serve;
(Deno as unknown as { serve: unknown }).serve = (handler: Deno.ServeHandler) =>
  serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(\`listening on \${port}\`) }, handler);
await import(${JSON.stringify(pathToFileURL(example).href)});
`,
      );
      // The function's database: the test's schema, through search_path, as SUPABASE_DB_URL gives it.
      const databaseUrl = new URL(POSTGRES_URL);
      databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
      deno = spawn(denoBinary!, ['run', ...DENO_FLAGS, '--allow-net', '--allow-env', '--allow-read', '--allow-sys', wrapper], {
        cwd: exampleDir,
        env: { ...denoEnvironment, SUPABASE_URL: projectUrl, SUPABASE_DB_URL: databaseUrl.href, ADMIN_SESSION_SECRET: 'a-session-secret-of-at-least-32-characters' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const port = await new Promise<string>((resolve, reject) => {
        const seen = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (\d+)/.exec(output);
          if (match !== null) resolve(match[1]!);
        };
        deno!.stdout!.on('data', seen);
        deno!.stderr!.on('data', seen);
        deno!.once('exit', (code) => reject(new Error(`deno exited with ${code} before listening:\n${output}`)));
      });
      origin = `http://127.0.0.1:${port}`;
    });

    afterAll(async () => {
      if (deno !== undefined && deno.exitCode === null) {
        const exited = new Promise((resolve) => deno!.once('exit', resolve));
        deno.kill('SIGTERM');
        await exited;
      }
      await new Promise<void>((resolve) => (jwks === undefined ? resolve() : jwks.close(() => resolve())));
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
      await pool?.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await pool?.end();
    });

    /** An access token as Supabase Auth issues it, with `role` in app_metadata. */
    const accessToken = (role: string) =>
      new SignJWT({ email: `${role}@example.com`, role: 'authenticated', app_metadata: { role } })
        .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
        .setSubject(`user-${role}`)
        .setIssuer(`${projectUrl}/auth/v1`)
        .setAudience('authenticated')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    // The function sees /admin/…; the gateway that strips /functions/v1 is not part of the test.
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}/admin${path}`, { headers, redirect: 'manual' });

    it('answers 401 without credentials, and with a token whose role is neither admin nor support', async () => {
      const anonymous = await get('/migration');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect((await get('/migration', { authorization: `Bearer ${await accessToken('customer')}` })).status).toBe(401);
      expect((await get('/migration', { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    });

    it('shows the dashboard to an authorised caller, with links under the public base path, and the data escaped', async () => {
      const admin = await get('/migration', { authorization: `Bearer ${await accessToken('admin')}` });
      expect(admin.status, output).toBe(200);
      const html = await admin.text();
      expect(html).toContain('Checklist');
      expect(html).toContain('action="/functions/v1/admin/migration/campaigns/dry-run"');
      expect(html).toContain('<script src="/functions/v1/admin/assets/admin.js" defer>');
      const viewer = await (await get('/migration', { authorization: `Bearer ${await accessToken('support')}` })).text();
      expect(viewer).toContain('Checklist');
      expect(viewer).not.toContain('Dry run campaigns');
    });

    it('signs a browser in with an access token and runs a dry run through the session (cookie, Origin, CSRF token)', async () => {
      const form = await get('/login');
      const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
      const signedIn = await fetch(`${origin}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: projectUrl, cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: nonce, token: await accessToken('admin') }),
      });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/functions/v1/admin/migration');
      const session = signedIn.headers.getSetCookie().find((line) => line.startsWith('app_admin_session='))!;
      expect(session).toMatch(/Path=\/functions\/v1\/admin; Max-Age=\d+; HttpOnly; SameSite=Strict/);
      const cookie = session.split(';')[0]!;
      const page = await (await get('/migration', { cookie })).text();
      const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!;
      const dryRun = await fetch(`${origin}/admin/migration/campaigns/dry-run`, {
        method: 'POST',
        headers: { origin: projectUrl, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }),
      });
      expect(dryRun.status).toBe(200);
      const plan = await dryRun.text();
      expect(plan).toContain('Sale &lt;script&gt;');
      expect(plan.match(/<select name="resolution:/g)).toHaveLength(3);
      // Another origin is refused, even with the session and its token.
      const forged = await fetch(`${origin}/admin/migration/verify`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }),
      });
      expect(forged.status).toBe(403);
    });
  });
});
