import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagStore, MigrationStore } from '@app/migrate';
import { type AdminHandler, createAdminHandler, createBearerTokenAuthorizer, createJwtAuthorizer } from '../src/index.js';
import { ADMIN_TOKEN, BASE_PATH, ORIGIN, VIEWER_TOKEN, seededPgliteStore } from './admin-test-kit.js';

const SECRET = 'super-secret-jwt-key-of-32-chars!';
const bearer = (token: string) => new Request('http://127.0.0.1/admin/migration', { headers: { authorization: `Bearer ${token}` } });
const hs256 = (claims: Record<string, unknown>, secret = SECRET, expiresIn = '1h') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));

/** A fixed instant, seconds since the epoch: the tests move their clocks from it. */
const T0 = Date.UTC(2026, 0, 1) / 1000;
/** An admin's HS256 token issued at T0, valid until `exp`. */
const tokenUntil = (exp: number) =>
  new SignJWT({ email: 'ada@example.com', app_metadata: { role: 'admin' } })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(T0)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(SECRET));

describe('createBearerTokenAuthorizer', () => {
  const authorize = createBearerTokenAuthorizer([
    { token: 'admin-token-0123456789', role: 'admin' },
    { token: 'viewer-token-0123456789', role: 'viewer', id: 'support' },
  ]);

  it('maps each token to its identity and refuses anything else', async () => {
    expect(await authorize(bearer('admin-token-0123456789'))).toEqual({ id: 'admin', role: 'admin' });
    expect(await authorize(bearer('viewer-token-0123456789'))).toEqual({ id: 'support', role: 'viewer' });
    for (const wrong of ['admin-token-012345678', 'admin-token-0123456789x', 'ADMIN-TOKEN-0123456789', '']) expect(await authorize(bearer(wrong))).toBeNull();
    expect(await authorize(new Request('http://127.0.0.1/'))).toBeNull();
    expect(await authorize(new Request('http://127.0.0.1/', { headers: { authorization: 'Basic admin-token-0123456789' } }))).toBeNull();
  });

  it('refuses short tokens and bad roles at creation', () => {
    expect(() => createBearerTokenAuthorizer([])).toThrow(TypeError);
    expect(() => createBearerTokenAuthorizer([{ token: 'short', role: 'admin' }])).toThrow(/16 characters/);
    expect(() => createBearerTokenAuthorizer([{ token: 'x'.repeat(20), role: 'root' as 'admin' }])).toThrow(/role/);
  });
});

describe('createJwtAuthorizer', () => {
  it('HS256: admin by the configured claim path, viewer values, refusals for a wrong signature, expiry or role', async () => {
    const authorize = createJwtAuthorizer({ secret: SECRET, roleClaim: 'app_metadata.roles', viewerValues: ['support'] });
    expect(await authorize(bearer(await hs256({ email: 'ada@example.com', app_metadata: { roles: ['admin'] } })))).toEqual({ id: 'ada@example.com', role: 'admin', expires: expect.any(Number) });
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'support' } })))).toMatchObject({ id: 'user-1', role: 'viewer' });
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'customer' } })))).toBeNull();
    // The role must be where roleClaim says: a user-writable place does not count.
    expect(await authorize(bearer(await hs256({ user_metadata: { roles: 'admin' } })))).toBeNull();
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'admin' } }, 'another-secret-of-32-characters!!')))).toBeNull();
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'admin' } }, SECRET, '-1 min')))).toBeNull();
    expect(await authorize(bearer('not.a.jwt'))).toBeNull();
  });

  it('checks the expiry against its clock, carries exp as the identity expiry, and refuses a token without exp', async () => {
    let clock = new Date(T0 * 1000);
    const authorize = createJwtAuthorizer({ secret: SECRET, now: () => clock });
    const token = await tokenUntil(T0 + 600);
    expect(await authorize(bearer(token))).toEqual({ id: 'ada@example.com', role: 'admin', expires: T0 + 600 });
    clock = new Date((T0 + 600) * 1000);
    expect(await authorize(bearer(token))).toBeNull();
    const endless = await new SignJWT({ app_metadata: { role: 'admin' } }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(T0).sign(new TextEncoder().encode(SECRET));
    expect(await authorize(bearer(endless))).toBeNull();
  });

  it('HS256: refuses a token signed with another algorithm (alg confusion)', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ app_metadata: { role: 'admin' } }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('1h').sign(privateKey);
    expect(await createJwtAuthorizer({ secret: SECRET })(bearer(token))).toBeNull();
  });

  describe('JWKS URL', () => {
    let server: Server;
    let jwksUrl: string;
    let privateKey: CryptoKey;
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
      server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('verifies against the published keys, with issuer and audience', async () => {
      const authorize = createJwtAuthorizer({ jwksUrl, issuer: 'https://project.supabase.co/auth/v1', audience: 'authenticated' });
      const sign = (claims: Record<string, unknown>, issuer: string) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).setIssuer(issuer).setAudience('authenticated').setExpirationTime('1h').sign(privateKey);
      expect(await authorize(bearer(await sign({ email: 'ops@example.com', app_metadata: { role: 'admin' } }, 'https://project.supabase.co/auth/v1')))).toMatchObject({
        id: 'ops@example.com',
        role: 'admin',
      });
      expect(await authorize(bearer(await sign({ app_metadata: { role: 'admin' } }, 'https://evil.example/auth/v1')))).toBeNull();
    });
  });

  it('refuses to be created with neither or both key sources', () => {
    expect(() => createJwtAuthorizer({})).toThrow(TypeError);
    expect(() => createJwtAuthorizer({ secret: SECRET, jwksUrl: 'https://example.com/jwks' })).toThrow(TypeError);
  });
});

describe('browser sessions never outlive the credentials they were made from', () => {
  let store: MigrationStore & FlagStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await seededPgliteStore());
  });
  afterAll(() => close());

  const page = (handler: AdminHandler, cookie: string) => handler(new Request(`${ORIGIN}${BASE_PATH}/migration`, { headers: { cookie } }));
  const sessionCookieOf = async (handler: AdminHandler, token: string) => {
    const form = await handler(new Request(`${ORIGIN}${BASE_PATH}/login`));
    const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await handler(
      new Request(`${ORIGIN}${BASE_PATH}/login`, {
        method: 'POST',
        headers: { origin: ORIGIN, cookie: form.headers.getSetCookie()[0]!.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: nonce, token }),
      }),
    );
    expect(signedIn.status).toBe(303);
    const line = signedIn.headers.getSetCookie().find((value) => value.startsWith('app_admin_session='))!;
    return { cookie: line.split(';')[0]!, maxAge: Number(/Max-Age=(\d+)/.exec(line)![1]) };
  };

  it('a session made from a JWT ends at its exp, not after sessionTtlSeconds (a clock argument, no sleeping)', async () => {
    let clock = new Date(T0 * 1000);
    const now = () => clock;
    const handler = createAdminHandler({ store, basePath: BASE_PATH, authorize: createJwtAuthorizer({ secret: SECRET, now }), now });
    const { cookie, maxAge } = await sessionCookieOf(handler, await tokenUntil(T0 + 600));
    expect(maxAge).toBe(600);
    clock = new Date((T0 + 599) * 1000);
    expect((await page(handler, cookie)).status).toBe(200);
    clock = new Date((T0 + 600) * 1000);
    const expired = await page(handler, cookie);
    expect(expired.status).toBe(401);
    // The dead cookie is dropped.
    expect(expired.headers.getSetCookie()).toEqual([expect.stringMatching(/^app_admin_session=; .*Max-Age=0/)]);
    // A token that outlives sessionTtlSeconds: the session ends first.
    clock = new Date(T0 * 1000);
    const long = await sessionCookieOf(handler, await tokenUntil(T0 + 24 * 3600));
    expect(long.maxAge).toBe(8 * 3600);
    clock = new Date((T0 + 8 * 3600) * 1000);
    expect((await page(handler, long.cookie)).status).toBe(401);
  });

  it('a static token removed from the configuration stops working through the cookie at once (instances sharing sessionSecret)', async () => {
    const sessionSecret = 'a-session-secret-shared-by-instances';
    const before = createAdminHandler({
      store,
      basePath: BASE_PATH,
      sessionSecret,
      authorize: createBearerTokenAuthorizer([
        { token: ADMIN_TOKEN, role: 'admin' },
        { token: VIEWER_TOKEN, role: 'viewer' },
      ]),
    });
    const admin = await sessionCookieOf(before, ADMIN_TOKEN);
    const viewer = await sessionCookieOf(before, VIEWER_TOKEN);
    // Redeployed with the admin token revoked: the same secret still opens both cookies.
    const after = createAdminHandler({ store, basePath: BASE_PATH, sessionSecret, authorize: createBearerTokenAuthorizer([{ token: VIEWER_TOKEN, role: 'viewer' }]) });
    expect((await page(after, viewer.cookie)).status).toBe(200);
    expect((await page(after, admin.cookie)).status).toBe(401);
  });

  it('a demoted admin loses the admin role on the next request, and a throwing authorizer ends the session', async () => {
    let role: 'admin' | 'viewer' | 'throw' = 'admin';
    const handler = createAdminHandler({
      store,
      basePath: BASE_PATH,
      authorize: (request) => {
        if (role === 'throw') throw new Error('identity provider down');
        return request.headers.get('authorization') === `Bearer ${ADMIN_TOKEN}` ? { id: 'ada', role } : null;
      },
    });
    const { cookie } = await sessionCookieOf(handler, ADMIN_TOKEN);
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await (await page(handler, cookie)).text())![1]!;
    const verify = () =>
      handler(
        new Request(`${ORIGIN}${BASE_PATH}/migration/verify`, {
          method: 'POST',
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf }),
        }),
      );
    expect((await verify()).status).toBe(200);
    role = 'viewer';
    expect((await verify()).status).toBe(403);
    role = 'throw';
    expect((await page(handler, cookie)).status).toBe(401);
  });

  it('the cookie is encrypted: it does not show the token it carries', async () => {
    const handler = createAdminHandler({ store, basePath: BASE_PATH, authorize: createBearerTokenAuthorizer([{ token: ADMIN_TOKEN, role: 'admin' }]) });
    const { cookie } = await sessionCookieOf(handler, ADMIN_TOKEN);
    const value = cookie.slice('app_admin_session='.length);
    const decoded = value
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('');
    expect(decoded).not.toContain(ADMIN_TOKEN);
    expect(decoded).not.toContain('admin');
  });
});

describe('local-only mode (app-migrate serve)', () => {
  let store: MigrationStore & FlagStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await seededPgliteStore());
  });
  afterAll(() => close());

  const signInWith = async (handler: ReturnType<typeof createAdminHandler>, token: string) => {
    const form = await handler(new Request(`http://127.0.0.1:4000/login?token=${token}`));
    const html = await form.text();
    const nonce = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    return handler(
      new Request('http://127.0.0.1:4000/login', {
        method: 'POST',
        headers: { origin: 'http://127.0.0.1:4000', cookie: form.headers.getSetCookie()[0]!.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: nonce, token }),
      }),
    );
  };

  it('accepts the one-time token once, as an admin, and answers only on loopback hosts', async () => {
    const token = 'one-time-token-0123456789abcdef';
    const handler = createAdminHandler({ store, localOnly: { oneTimeToken: token } });
    const first = await signInWith(handler, token);
    expect(first.status).toBe(303);
    expect(first.headers.getSetCookie().some((line) => line.startsWith('app_admin_session='))).toBe(true);
    expect((await signInWith(handler, token)).status).toBe(401);
    const rebound = await handler(new Request('http://attacker.example:4000/login'));
    expect(rebound.status).toBe(403);
    expect((await handler(new Request('http://localhost:4000/login'))).status).toBe(200);
  });
});
