/**
 * Helpers for tests of the admin app (the flags page's tests use them too): a seeded store on a
 * real embedded database, the app with static-token authorizers, and signed-in requests that
 * carry the session cookie, the CSRF token and the app's Origin, as a browser would.
 */
import { createPostgresStore } from '@app/adapter-postgres';
import type { FlagStore, MigrationStore } from '@app/migrate';
import type { StoreSeed } from '@app/migrate/testing';
import { SEED_OWNER_A, conformanceSeed } from '@app/migrate/testing';
import { PGlite } from '@electric-sql/pglite';
import { insertSeed } from '../../adapter-postgres/test/harness.js';
import { type AdminHandler, type AdminHandlerOptions, createAdminHandler, createBearerTokenAuthorizer } from '../src/index.js';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const VIEWER_TOKEN = 'viewer-token-0123456789abcdef';
export const ORIGIN = 'http://127.0.0.1:4000';
export const BASE_PATH = '/admin';

/** Hostile text, shown by the page wherever data is shown. */
export const XSS = `<script>alert("xss")</script><img src=x onerror=alert(1)>'"`;

/** The conformance seed plus rows whose names, ids and payloads carry {@link XSS}. */
export function hostileSeed(): StoreSeed {
  const seed = conformanceSeed();
  seed.campaigns.push({
    id: `campaign-9${XSS}`,
    user_id: SEED_OWNER_A,
    data_source: 'stripe',
    native_config: null,
    integration_settings: null,
    data_sources_v2: null,
    name: `Sale ${XSS}`,
  });
  seed.events.push({
    id: `evt-9999${XSS}`,
    integration_type: `shopify${XSS}`,
    event_type: null,
    event_data: `not an object ${XSS}`,
    created_at: '2025-02-01T00:00:00.000Z',
    canonical_event: null,
  });
  return seed;
}

/** A fresh in-memory PGlite database with the migration schema and `seed`. */
export async function seededPgliteStore(seed: StoreSeed = hostileSeed()): Promise<{ store: MigrationStore & FlagStore; db: PGlite; close(): Promise<void> }> {
  const db = await PGlite.create();
  // createLegacyTables: a new database, where the seed's events, campaigns and integrations go.
  const store = createPostgresStore({ client: db, createLegacyTables: true });
  await store.ensureSchema();
  await insertSeed(db, seed);
  return { store, db, close: () => db.close() };
}

/** The app under {@link BASE_PATH} with an admin and a viewer token. */
export function createTestHandler(store: MigrationStore & FlagStore, options: Partial<AdminHandlerOptions> = {}): AdminHandler {
  return createAdminHandler({
    store,
    basePath: BASE_PATH,
    authorize: createBearerTokenAuthorizer([
      { token: ADMIN_TOKEN, role: 'admin', id: 'ada@example.com' },
      { token: VIEWER_TOKEN, role: 'viewer', id: 'vic@example.com' },
    ]),
    ...options,
  });
}

/** A browser session: its cookie and CSRF token. */
export interface TestSession {
  cookie: string;
  csrf: string;
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='));

/** Signs in through the sign-in form, as a browser does, and reads the page's CSRF token. */
export async function signIn(handler: AdminHandler, token: string): Promise<TestSession> {
  const form = await handler(new Request(`${ORIGIN}${BASE_PATH}/login`));
  const loginCookie = cookiesOf(form).join('; ');
  const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await handler(
    new Request(`${ORIGIN}${BASE_PATH}/login`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: nonce, token }),
    }),
  );
  if (signedIn.status !== 303) throw new Error(`sign-in failed with ${signedIn.status}`);
  const cookie = cookiesOf(signedIn).join('; ');
  const page = await handler(new Request(`${ORIGIN}${BASE_PATH}/migration`, { headers: { cookie } }));
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())![1]!;
  return { cookie, csrf };
}

/** A request as the signed-in browser sends it: cookie, Origin and (for POST) the CSRF token in the form. */
export function sessionRequest(session: TestSession, method: string, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}): Request {
  const url = `${ORIGIN}${BASE_PATH}${path}`;
  if (method === 'GET') return new Request(url, { headers: { cookie: session.cookie, ...headers } });
  return new Request(url, {
    method,
    headers: { cookie: session.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ _csrf: session.csrf, ...form }),
  });
}

/** A concrete path for a route path (`:name` parameters filled in). */
export const concretePath = (path: string) => path.replace(/:(\w+)/g, 'example-$1');

/** Serves `handler` on 127.0.0.1 (a free port) over `node:http`, as a real server would. */
export async function listen(handler: (request: Request) => Promise<Response>): Promise<{ origin: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { Readable } = await import('node:stream');
  const server = createServer((incoming, outgoing) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    const method = incoming.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? {} : { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' };
    const request = new Request(new URL(incoming.url ?? '/', `http://${incoming.headers.host}`), { method, headers, ...body } as RequestInit);
    void handler(request).then(async (response) => {
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out[name] = value;
      });
      if (response.headers.getSetCookie().length > 0) out['set-cookie'] = response.headers.getSetCookie();
      outgoing.writeHead(response.status, out);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
