import { Hono } from 'hono';
import type { AdminIdentity } from './admin-identity.js';
import { AdminConfigError } from './admin-config-error.js';
import { adminThrottle } from './admin-throttle.js';
import type { AdminHandlerOptions } from './admin-handler-options.js';
import type { AdminRequestContext, AdminRoute, AdminRouteInfo, AdminSection } from './admin-route.js';
import { ADMIN_SCRIPT_SOURCE } from './admin-script-source.js';
import { ADMIN_STYLESHEET } from './admin-stylesheet.js';
import { bearerTokenOf } from './bearer-token-of.js';
import { cookieOf, serializeCookie } from './cookies.js';
import { type Markup, markup } from './markup.js';
import { featureFlagsSection } from './feature-flags-section.js';
import { migrationSection } from './migration-section.js';
import { renderLayout } from './render-layout.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { type AdminSession, type SealedSession, createSessionCodec, randomToken } from './session-codec.js';
import { timingSafeEqual } from './timing-safe-equal.js';

/** The standard fetch handler of the admin app, and its route table. */
export interface AdminHandler {
  (request: Request): Promise<Response>;
  /** Every route, as the dispatcher guards it; tests enumerate it so no route escapes the checks. */
  readonly routes: readonly AdminRouteInfo[];
}

const SESSION_COOKIE = 'app_admin_session';
const LOGIN_COOKIE = 'app_admin_login';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);

function withSecurityHeaders(response: Response): Response {
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) secured.headers.set(name, value);
  return secured;
}

function normalizeBasePath(basePath: string | undefined, option = 'basePath'): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  if (!/^(\/[\w.~-]+)+$/.test(basePath)) throw new AdminConfigError(option, `must look like "/admin" (no trailing slash), got ${JSON.stringify(basePath)}`);
  return basePath;
}

async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return new URLSearchParams();
  try {
    const form = await request.formData();
    const fields = new URLSearchParams();
    for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value);
    return fields;
  } catch {
    return new URLSearchParams();
  }
}

const plain = (status: number, text: string) => new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Creates the admin app as one standard fetch handler: `(request: Request) => Promise<Response>`.
 * Mount it in Node (`node:http` through an adapter such as `@hono/node-server`), Deno, Bun, a
 * Supabase Edge Function, Hono (`app.mount('/admin', handler)`) or a Next.js route handler, under
 * `basePath`.
 *
 * Deny by default: every route but the sign-in page and the static files needs a session (or, for
 * reads, credentials `authorize` accepts); every state-changing request needs an admin, an allowed
 * `Origin` and the session's CSRF token; every response carries strict security headers
 * ({@link SECURITY_HEADERS}); everything shown is escaped.
 *
 * @throws AdminConfigError without `authorize` (unless `localOnly`), with both, or for a bad
 *   `basePath`, `sessionSecret`, `sessionTtlSeconds`, `sliceMs`, `throttle` or one-time token.
 */
export function createAdminHandler(options: AdminHandlerOptions): AdminHandler {
  const { store, authorize, localOnly } = options;
  if (authorize === undefined && localOnly === undefined) {
    throw new AdminConfigError('authorize', 'is required: pass an authorizer (createBearerTokenAuthorizer, createJwtAuthorizer or your own); the app refuses to run unauthenticated');
  }
  if (authorize !== undefined && localOnly !== undefined) throw new AdminConfigError('localOnly', 'cannot be combined with authorize');
  if (localOnly !== undefined && (typeof localOnly.oneTimeToken !== 'string' || localOnly.oneTimeToken.length < 16)) {
    throw new AdminConfigError('localOnly.oneTimeToken', 'must be a string of at least 16 characters');
  }
  if (options.sessionSecret !== undefined && options.sessionSecret.length < 32) throw new AdminConfigError('sessionSecret', 'must be at least 32 characters');
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value < 1) throw new AdminConfigError(name, `must be a positive integer, got ${value}`);
    return value;
  };
  const sessionTtlSeconds = positive('sessionTtlSeconds', options.sessionTtlSeconds, 8 * 3600);
  const sliceMs = positive('sliceMs', options.sliceMs, 5_000);
  const batchSize = positive('batchSize', options.batchSize, 1_000);
  const throttle = adminThrottle(options);
  const basePath = normalizeBasePath(options.basePath);
  // Links, redirects and the cookie path use the path browsers see, which a gateway may prefix.
  const publicBasePath = options.publicBasePath === undefined ? basePath : normalizeBasePath(options.publicBasePath, 'publicBasePath');
  const appTitle = options.title ?? 'Admin';
  const now = options.now ?? (() => new Date());
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  const codec = createSessionCodec(options.sessionSecret ?? randomToken(32));
  const sections: readonly AdminSection[] = [migrationSection, featureFlagsSection, ...(options.sections ?? [])];
  const home = `${publicBasePath}${sections[0]!.path}`;
  let oneTimeTokenUsed = false;

  const href = (path: string) => `${publicBasePath}${path}`;
  const cookiePath = publicBasePath === '' ? '/' : publicBasePath;
  // Behind a gateway the handler may see an internal http://localhost URL while browsers use https.
  const httpsOrigins = options.allowedOrigins?.some((origin) => origin.startsWith('https://')) ?? false;
  const cookie = (url: URL, name: string, value: string, maxAgeSeconds: number) =>
    serializeCookie(name, value, { path: cookiePath, maxAgeSeconds, secure: httpsOrigins || !isLoopback(url) });

  const page = (session: AdminSession | null, currentPath: string, title: string, body: Markup, status = 200, setCookie?: string) => {
    const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
    if (setCookie !== undefined) headers.append('set-cookie', setCookie);
    return new Response(renderLayout({ title, appTitle, basePath: publicBasePath, currentPath, sections, session }, body), { status, headers });
  };

  /**
   * The Origin check. Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with form
   * submissions, so then the browser's own `Sec-Fetch-Site` (which no page script can set) must
   * say `same-origin`; a request with neither is refused.
   */
  const originAllowed = (request: Request, url: URL) => {
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== 'null') return (options.allowedOrigins ?? [url.origin]).includes(origin);
    return request.headers.get('sec-fetch-site') === 'same-origin';
  };

  /** Checks credentials; authorizers that throw, and credentials already expired, are answered like a refusal. */
  const identify = async (request: Request): Promise<AdminIdentity | null> => {
    if (authorize === undefined) return null;
    try {
      const identity = await authorize(request);
      if (identity === null || typeof identity.id !== 'string' || (identity.role !== 'admin' && identity.role !== 'viewer')) return null;
      if (identity.expires !== undefined && !(typeof identity.expires === 'number' && identity.expires > nowSeconds())) return null;
      return identity;
    } catch {
      return null;
    }
  };
  const identifyBearer = (url: URL, token: string) => identify(new Request(url, { headers: { authorization: `Bearer ${token}` } }));

  /** The identity a sign-in token stands for, and the credential the session keeps (none in local-only mode). */
  const signIn = async (url: URL, token: string): Promise<{ identity: AdminIdentity; credential: string | null } | null> => {
    if (localOnly !== undefined) {
      if (oneTimeTokenUsed || !(await timingSafeEqual(token, localOnly.oneTimeToken))) return null;
      oneTimeTokenUsed = true;
      return { identity: { id: 'local admin', role: 'admin' }, credential: null };
    }
    const identity = await identifyBearer(url, token);
    return identity === null ? null : { identity, credential: token };
  };

  /**
   * The request's session. The cookie's credentials go to the authorizer again on every request,
   * so a token revoked, expired or demoted since the sign-in takes effect at once; the session
   * never outlives them.
   */
  const sessionOf = async (request: Request, url: URL): Promise<AdminSession | null> => {
    const sealed = cookieOf(request, SESSION_COOKIE);
    const opened = sealed === null ? null : await codec.open(sealed, nowSeconds());
    if (opened === null) return null;
    const { credential, ...session } = opened;
    if (credential === null) return localOnly === undefined ? null : session;
    const identity = await identifyBearer(url, credential);
    if (identity === null) return null;
    return { id: identity.id, role: identity.role, expires: Math.min(session.expires, identity.expires ?? Number.POSITIVE_INFINITY), csrf: session.csrf };
  };

  const loginPage = (url: URL, error: string | null, status: number) => {
    const nonce = randomToken(18);
    const prefilled = localOnly === undefined ? '' : (url.searchParams.get('token') ?? '');
    const body = markup`${error === null ? '' : markup`<p class="error" role="alert">${error}</p>`}
<form method="post" action="${href('/login')}" class="login">
  <input type="hidden" name="_csrf" value="${nonce}">
  <label for="token">${localOnly === undefined ? 'Access token' : 'One-time token (printed by app-migrate serve)'}</label>
  <input id="token" name="token" type="password" autocomplete="off" required value="${prefilled}">
  <button type="submit">Sign in</button>
</form>`;
    return page(null, '/login', 'Sign in', body, status, cookie(url, LOGIN_COOKIE, nonce, 600));
  };

  const sessionRoutes: AdminRoute[] = [
    {
      method: 'GET',
      path: '/login',
      access: 'public',
      handle: ({ url, session }) => (session === null ? loginPage(url, null, 200) : Response.redirect(new URL(home, url), 303)),
    },
    {
      method: 'POST',
      path: '/login',
      access: 'public',
      async handle({ request, url, form }) {
        const nonce = cookieOf(request, LOGIN_COOKIE);
        const sent = form.get('_csrf') ?? '';
        if (nonce === null || sent === '' || !(await timingSafeEqual(sent, nonce))) return loginPage(url, 'The sign-in form expired; please try again.', 403);
        const signedIn = await signIn(url, form.get('token') ?? '');
        if (signedIn === null) return loginPage(url, 'That token was not accepted.', 401);
        const { identity, credential } = signedIn;
        const issued = nowSeconds();
        // Never longer than the credentials (a JWT's exp): the session is no way to extend them.
        const expires = Math.min(issued + sessionTtlSeconds, identity.expires ?? Number.POSITIVE_INFINITY);
        const session: SealedSession = { id: identity.id, role: identity.role, expires, csrf: randomToken(24), credential };
        const headers = new Headers({ location: home });
        headers.append('set-cookie', cookie(url, SESSION_COOKIE, await codec.seal(session), expires - issued));
        headers.append('set-cookie', cookie(url, LOGIN_COOKIE, '', 0));
        return new Response(null, { status: 303, headers });
      },
    },
    {
      method: 'POST',
      path: '/logout',
      access: 'viewer',
      handle: ({ url }) => new Response(null, { status: 303, headers: { location: href('/login'), 'set-cookie': cookie(url, SESSION_COOKIE, '', 0) } }),
    },
    { method: 'GET', path: '/', access: 'viewer', handle: ({ url }) => Response.redirect(new URL(home, url), 303) },
    {
      method: 'GET',
      path: '/assets/admin.js',
      access: 'public',
      handle: () => new Response(ADMIN_SCRIPT_SOURCE, { headers: { 'content-type': 'text/javascript; charset=utf-8' } }),
    },
    {
      method: 'GET',
      path: '/assets/admin.css',
      access: 'public',
      handle: () => new Response(ADMIN_STYLESHEET, { headers: { 'content-type': 'text/css; charset=utf-8' } }),
    },
  ];
  const routes: readonly AdminRoute[] = [...sessionRoutes, ...sections.flatMap((section) => section.routes)];

  const refuse = (request: Request, status: 401 | 403, message: string) => {
    if (!(request.headers.get('accept') ?? '').includes('text/html')) return Response.json({ error: message }, { status });
    const body = markup`<p class="error" role="alert">${message}</p>${status === 401 ? markup`<p><a href="${href('/login')}">Sign in</a></p>` : ''}`;
    return page(null, '', status === 401 ? 'Sign-in required' : 'Not allowed', body, status);
  };

  const dispatch = async (route: AdminRoute, request: Request, params: Record<string, string>): Promise<Response> => {
    const url = new URL(request.url);
    const stateChanging = request.method !== 'GET' && request.method !== 'HEAD';
    const form = stateChanging ? await readForm(request) : new URLSearchParams();
    let session = await sessionOf(request, url);
    if (stateChanging && !originAllowed(request, url)) return refuse(request, 403, 'Refused: this request did not come from the admin app (Origin check).');
    if (route.access !== 'public') {
      if (session === null && !stateChanging && bearerTokenOf(request) !== null) {
        // API reads with credentials and no browser session; state changes always need the session's CSRF token.
        const identity = await identify(request);
        if (identity !== null) session = { id: identity.id, role: identity.role, expires: 0, csrf: '' };
      }
      if (session === null) {
        const refusal = refuse(request, 401, 'Sign in to use the admin app.');
        // A cookie that no longer opens a session (expired, revoked, from another secret) is dropped.
        if (cookieOf(request, SESSION_COOKIE) !== null) refusal.headers.append('set-cookie', cookie(url, SESSION_COOKIE, '', 0));
        return refusal;
      }
      if (stateChanging) {
        const token = request.headers.get('x-csrf-token') ?? form.get('_csrf') ?? '';
        if (token === '' || session.csrf === '' || !(await timingSafeEqual(token, session.csrf))) {
          return refuse(request, 403, 'Refused: the CSRF token is missing or wrong. Reload the page and try again.');
        }
      }
      if (route.access === 'admin' && session.role !== 'admin') return refuse(request, 403, 'Refused: this needs the admin role.');
    }
    const context: AdminRequestContext = {
      request,
      url,
      params,
      session,
      form,
      store,
      href,
      page: (title, body, status) => page(session, url.pathname.slice(basePath.length), title, body, status),
      sliceMs,
      batchSize,
      throttle,
      now,
    };
    return route.handle(context);
  };

  const app = new Hono({ strict: false });
  const mounted = basePath === '' ? app : app.basePath(basePath);
  for (const route of routes) mounted.on(route.method, route.path, (c) => dispatch(route, c.req.raw, c.req.param() as Record<string, string>));
  app.notFound(() => plain(404, 'Not found'));
  app.onError(() => plain(500, 'The admin app failed to answer this request; see the server log.'));

  const handler = async (request: Request): Promise<Response> => {
    if (localOnly !== undefined && !isLoopback(new URL(request.url))) return withSecurityHeaders(plain(403, 'This local-only admin app answers only on localhost.'));
    return withSecurityHeaders(await app.fetch(request));
  };
  const infos: AdminRouteInfo[] = routes.map((route) => ({
    method: route.method,
    path: route.path,
    access: route.access,
    stateChanging: route.method !== 'GET',
  }));
  return Object.assign(handler, { routes: Object.freeze(infos) });
}
