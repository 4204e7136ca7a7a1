import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagStore, MigrationStore } from '@app/migrate';
import { createAdminHandler, createBearerTokenAuthorizer, createJwtAuthorizer } from '../src/index.js';
import { seededPgliteStore } from './admin-test-kit.js';

const SECRET = 'super-secret-jwt-key-of-32-chars!';
const bearer = (token: string) => new Request('http://127.0.0.1/admin/migration', { headers: { authorization: `Bearer ${token}` } });
const hs256 = (claims: Record<string, unknown>, secret = SECRET, expiresIn = '1h') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));

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
    expect(await authorize(bearer(await hs256({ email: 'ada@example.com', app_metadata: { roles: ['admin'] } })))).toEqual({ id: 'ada@example.com', role: 'admin' });
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'support' } })))).toEqual({ id: 'user-1', role: 'viewer' });
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'customer' } })))).toBeNull();
    // The role must be where roleClaim says: a user-writable place does not count.
    expect(await authorize(bearer(await hs256({ user_metadata: { roles: 'admin' } })))).toBeNull();
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'admin' } }, 'another-secret-of-32-characters!!')))).toBeNull();
    expect(await authorize(bearer(await hs256({ app_metadata: { roles: 'admin' } }, SECRET, '-1 min')))).toBeNull();
    expect(await authorize(bearer('not.a.jwt'))).toBeNull();
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
      expect(await authorize(bearer(await sign({ email: 'ops@example.com', app_metadata: { role: 'admin' } }, 'https://project.supabase.co/auth/v1')))).toEqual({
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
