import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagStore, MigrationStore } from '@app/migrate';
import { EventMigrationReportSchema } from '@app/migrate';
import { MigrationReportSchema } from '@app/campaign-migrator';
import { AdminConfigError, type AdminHandler, SECURITY_HEADERS, createAdminHandler } from '../src/index.js';
import {
  ADMIN_TOKEN,
  BASE_PATH,
  ORIGIN,
  type TestSession,
  VIEWER_TOKEN,
  XSS,
  concretePath,
  createTestHandler,
  seededPgliteStore,
  sessionRequest,
  signIn,
} from './admin-test-kit.js';

let store: MigrationStore & FlagStore;
let close: () => Promise<void>;
let handler: AdminHandler;
let admin: TestSession;
let viewer: TestSession;

beforeAll(async () => {
  ({ store, close } = await seededPgliteStore());
  // A 1 ms time box: every slice runs exactly one batch of 10, so the run takes several slices on any machine.
  handler = createTestHandler(store, { sliceMs: 1, batchSize: 10 });
  admin = await signIn(handler, ADMIN_TOKEN);
  viewer = await signIn(handler, VIEWER_TOKEN);
});
afterAll(() => close());

const url = (path: string) => `${ORIGIN}${BASE_PATH}${path}`;
const stateChangingRoutes = () => handler.routes.filter((route) => route.stateChanging && route.access !== 'public');
const protectedRoutes = () => handler.routes.filter((route) => route.access !== 'public');

describe('createAdminHandler: deny by default', () => {
  it('refuses to be created without an authorizer, and with both an authorizer and local-only mode', () => {
    expect(() => createAdminHandler({ store })).toThrow(AdminConfigError);
    expect(() => createAdminHandler({ store })).toThrow(/authorize is required/);
    expect(() => createAdminHandler({ store, authorize: () => null, localOnly: { oneTimeToken: 'x'.repeat(32) } })).toThrow(/localOnly/);
    expect(() => createAdminHandler({ store, localOnly: { oneTimeToken: 'short' } })).toThrow(/oneTimeToken/);
    expect(() => createAdminHandler({ store, authorize: () => null, sessionSecret: 'short' })).toThrow(/sessionSecret/);
    expect(() => createAdminHandler({ store, authorize: () => null, basePath: 'admin/' })).toThrow(/basePath/);
  });

  it('the route table has the migration routes, and every state-changing route is admin-only except sign-in and sign-out', () => {
    const paths = handler.routes.map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['GET /migration', 'POST /migration/campaigns/dry-run', 'POST /migration/campaigns/apply', 'POST /migration/events/slice', 'POST /migration/verify']),
    );
    const exempt = stateChangingRoutes().filter((route) => route.access !== 'admin').map((route) => `${route.method} ${route.path}`);
    expect(exempt).toEqual(['POST /logout']);
  });

  it('answers 401 on every non-public route without credentials', async () => {
    expect(protectedRoutes().length).toBeGreaterThan(8);
    for (const route of protectedRoutes()) {
      const response = await handler(
        new Request(url(concretePath(route.path)), route.method === 'GET' ? {} : { method: route.method, headers: { origin: ORIGIN } }),
      );
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('answers 401 for a forged or tampered session cookie and a wrong bearer token', async () => {
    const tampered = admin.cookie.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect((await handler(new Request(url('/migration'), { headers: { cookie: tampered } }))).status).toBe(401);
    expect((await handler(new Request(url('/migration'), { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } }))).status).toBe(401);
  });

  it('answers 403 to a viewer on every state-changing route, even with its own valid CSRF token, and changes nothing', async () => {
    const before = await store.readCheckpoint('events');
    for (const route of stateChangingRoutes().filter((r) => r.access === 'admin')) {
      const response = await handler(sessionRequest(viewer, route.method, concretePath(route.path), { start: '1' }));
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
    }
    expect(await store.readCheckpoint('events')).toEqual(before);
    expect(await store.readCheckpoint('campaigns')).toBeNull();
  });

  it('refuses every state-changing route without the CSRF token, with a wrong one, or from another Origin', async () => {
    for (const route of stateChangingRoutes()) {
      const path = concretePath(route.path);
      const noToken = new Request(url(path), { method: 'POST', headers: { cookie: admin.cookie, origin: ORIGIN } });
      const wrongToken = sessionRequest(admin, 'POST', path, { _csrf: `${admin.csrf}x` });
      const otherOrigin = sessionRequest(admin, 'POST', path, {}, { origin: 'https://evil.example' });
      const noOrigin = new Request(url(path), { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${admin.csrf}` });
      const viewersToken = sessionRequest(admin, 'POST', path, { _csrf: viewer.csrf });
      // A form posted from another site under no-referrer: Origin null, and the browser says cross-site.
      const nullOriginCrossSite = sessionRequest(admin, 'POST', path, {}, { origin: 'null', 'sec-fetch-site': 'cross-site' });
      for (const request of [noToken, wrongToken, otherOrigin, noOrigin, viewersToken, nullOriginCrossSite]) {
        expect((await handler(request)).status, `${route.method} ${route.path}`).toBe(403);
      }
    }
  });

  it('accepts a same-origin form post whose Origin is null (no-referrer) when the browser says same-origin', async () => {
    const response = await handler(sessionRequest(admin, 'POST', '/migration/verify', {}, { origin: 'null', 'sec-fetch-site': 'same-origin' }));
    expect(response.status).toBe(200);
  });

  it('never accepts a bearer token for a state change (no CSRF token without a session)', async () => {
    const response = await handler(new Request(url('/migration/verify'), { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, origin: ORIGIN } }));
    expect(response.status).toBe(401);
  });

  it('lets a bearer token read', async () => {
    const response = await handler(new Request(url('/migration/campaigns/report.json'), { headers: { authorization: `Bearer ${VIEWER_TOKEN}` } }));
    expect(response.status).toBe(200);
  });

  it('sets strict security headers on every answer: pages, refusals, files, not found', async () => {
    const responses = [
      await handler(sessionRequest(admin, 'GET', '/migration')),
      await handler(new Request(url('/migration'))),
      await handler(sessionRequest(viewer, 'POST', '/migration/verify')),
      await handler(new Request(url('/assets/admin.js'))),
      await handler(new Request(url('/login'))),
      await handler(new Request(url('/nothing-here'))),
    ];
    for (const response of responses) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value);
    }
    const csp = SECURITY_HEADERS['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('issues an HttpOnly, SameSite=Strict session cookie, Secure except on localhost', async () => {
    const login = async (origin: string) => {
      const form = await handler(new Request(`${origin}${BASE_PATH}/login`));
      const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
      const response = await handler(
        new Request(`${origin}${BASE_PATH}/login`, {
          method: 'POST',
          headers: { origin, cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: nonce, token: ADMIN_TOKEN }),
        }),
      );
      return response.headers.getSetCookie().find((line) => line.startsWith('app_admin_session='))!;
    };
    const local = await login(ORIGIN);
    expect(local).toMatch(/HttpOnly/);
    expect(local).toMatch(/SameSite=Strict/);
    expect(local).toMatch(/Path=\/admin/);
    expect(local).not.toMatch(/Secure/);
    const remote = createTestHandler(store, { allowedOrigins: ['https://admin.example.com'] });
    const form = await remote(new Request('https://admin.example.com/admin/login'));
    const nonce = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await remote(
      new Request('https://admin.example.com/admin/login', {
        method: 'POST',
        headers: { origin: 'https://admin.example.com', cookie: form.headers.getSetCookie()[0]!.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: nonce, token: ADMIN_TOKEN }),
      }),
    );
    expect(signedIn.headers.getSetCookie().find((line) => line.startsWith('app_admin_session='))).toMatch(/; Secure/);
  });

  it('links, redirects and scopes its cookie under publicBasePath when a gateway strips a prefix (Supabase Edge Functions)', async () => {
    const gateway = createTestHandler(store, { publicBasePath: '/functions/v1/admin', allowedOrigins: ['https://project.supabase.co'] });
    const form = await gateway(new Request('http://localhost:9000/admin/login'));
    expect(await form.text()).toContain('action="/functions/v1/admin/login"');
    expect(form.headers.getSetCookie()[0]).toMatch(/Path=\/functions\/v1\/admin; .*; Secure$/);
    const refused = await gateway(new Request('http://localhost:9000/admin/migration/verify', { method: 'POST', headers: { origin: 'http://localhost:9000' } }));
    expect(refused.status).toBe(403);
  });

  it('refuses a sign-in without the form nonce, and a wrong token', async () => {
    const noNonce = await handler(
      new Request(url('/login'), { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN_TOKEN}` }),
    );
    expect(noNonce.status).toBe(403);
    await expect(signIn(handler, 'not-a-valid-token-at-all')).rejects.toThrow(/401/);
  });
});

describe('the migration dashboard', () => {
  it('shows a viewer the status and downloads, and no action button', async () => {
    const html = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
    expect(html).toContain('Checklist');
    expect(html).toContain('report.csv');
    expect(html).not.toMatch(/<button type="submit"[^>]*>(Dry run|Apply|Verify|Resume)/);
    expect(html).not.toContain('<select');
  });

  it('renders hostile campaign names, ids and failure reasons inert', async () => {
    const plan = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/dry-run'))).text();
    expect(plan).toContain('Sale &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&quot;');
    const answer = await handler(sessionRequest(admin, 'POST', '/migration/events/dry-run'));
    const dry = await answer.text();
    for (const html of [plan, dry]) {
      expect(html).not.toContain(XSS);
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      // The only scripts are the app's own file.
      expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script src="${BASE_PATH}/assets/admin.js" defer>`]);
    }
  });

  it('never runs a slice while another runner (the CLI, another tab) holds the lease', async () => {
    const lease = await store.acquireLease('events', 'cli-runner', 60_000);
    expect(lease.acquired).toBe(true);
    try {
      const response = await handler(sessionRequest(admin, 'POST', '/migration/events/slice', { start: '1' }, { accept: 'application/json' }));
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ state: 'locked', processed: 0, message: expect.stringContaining('cli-runner') });
      expect(await store.eventStatus()).toMatchObject({ migrated: 0 });
    } finally {
      await store.releaseLease('events', 'cli-runner');
    }
  });

  it('downloads the events dry run as the runner JSON report, writing nothing; the apply report exists only once applied', async () => {
    // A stopped clock: the time box never ends, so the dry run covers every row on any machine.
    const stopped = new Date('2026-01-01T00:00:00.000Z');
    const wholeRun = createTestHandler(store, { sliceMs: 1, batchSize: 10, now: () => stopped });
    const reader = await signIn(wholeRun, VIEWER_TOKEN);
    const response = await wholeRun(sessionRequest(reader, 'GET', '/migration/events/dry-run-report.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="event-migration-dry-run-report.json"');
    const report = EventMigrationReportSchema.parse(await response.json());
    expect(report).toMatchObject({ mode: 'dry-run', status: 'completed', counts: { selected: 121, processed: 121, written: 0, wouldWrite: 117, failed: 4 } });
    expect(report.failures.map((failure) => failure.id)).toContain(`evt-9999${XSS}`);
    expect(await store.eventStatus()).toMatchObject({ migrated: 0 });
    expect(await store.readCheckpoint('events')).toBeNull();
    // The page's own time box: the report says it stopped early, and how far it got.
    const limited = EventMigrationReportSchema.parse(await (await handler(sessionRequest(viewer, 'GET', '/migration/events/dry-run-report.json'))).json());
    expect(limited).toMatchObject({ mode: 'dry-run', status: 'limited', counts: { selected: 121, processed: 10 } });
    const page = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
    expect(page).toContain(`href="${BASE_PATH}/migration/events/dry-run-report.json" download>Dry run report`);
    expect(page).toMatch(/href="\/admin\/migration\/events\/report\.json" download data-events-report hidden>Apply report/);
    expect((await handler(sessionRequest(viewer, 'GET', '/migration/events/report.json'))).status).toBe(404);
  });

  it('drives the events backfill as time-boxed slices to the end, listing failures escaped, with a JSON report', async () => {
    const answers: { state: string; processed: number; total: number }[] = [];
    for (let slice = 0; slice < 100; slice++) {
      const response = await handler(sessionRequest(admin, 'POST', '/migration/events/slice', slice === 0 ? { start: '1' } : {}, { accept: 'application/json' }));
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { state: string; processed: number; total: number };
      answers.push(answer);
      if (answer.state !== 'running') break;
    }
    expect(answers.length).toBeGreaterThan(2);
    expect(answers.at(-1)).toMatchObject({ state: 'completed', processed: 121, total: 121 });
    // Every slice that leaves the run running has processed at least one more batch; the last may only find the end.
    for (let index = 1; index < answers.length; index++) {
      if (answers[index]!.state === 'running') expect(answers[index]!.processed).toBeGreaterThan(answers[index - 1]!.processed);
      else expect(answers[index]!.processed).toBeGreaterThanOrEqual(answers[index - 1]!.processed);
    }
    expect(await store.eventStatus()).toEqual({ total: 121, migrated: 117, remaining: 4 });
    // A follow-up slice of a finished run does not start it again.
    const after = await handler(sessionRequest(admin, 'POST', '/migration/events/slice', {}, { accept: 'application/json' }));
    expect(await after.json()).toMatchObject({ state: 'completed', processed: 121 });

    const page = await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
    expect(page).toContain('evt-9999&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(page).not.toContain(XSS);
    expect(page).toMatch(/href="\/admin\/migration\/events\/report\.json" download data-events-report>Apply report/);
    const download = await handler(sessionRequest(viewer, 'GET', '/migration/events/report.json'));
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="event-migration-report.json"');
    const report = EventMigrationReportSchema.parse(await download.json());
    expect(report).toMatchObject({ mode: 'apply', status: 'completed', counts: { processed: 121, written: 117, failed: 4 } });
    expect(report.failures.map((failure) => failure.id)).toContain(`evt-9999${XSS}`);
  });

  it('downloads the campaign report as JSON, Markdown and CSV', async () => {
    const json = await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.json'));
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="campaign-migration-report.json"');
    const report = MigrationReportSchema.parse(await json.json());
    expect(report.summary.total).toBe(6);
    const markdown = await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.md'))).text();
    expect(markdown).toContain('campaign-2');
    const csv = await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.csv'));
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\n').length).toBeGreaterThan(6);
  });

  it('after Apply, downloads the apply run\'s own campaign report (what the page showed), not a new plan of the migrated rows', async () => {
    const resolutions = { 'resolution:campaign-2': 'skip', 'resolution:campaign-3': 'skip', [`resolution:campaign-9${XSS}`]: 'skip' };
    const applied = await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', resolutions));
    expect(applied.status).toBe(200);
    const appliedPage = await applied.text();
    expect(appliedPage).toContain('3 skipped, 0 still ambiguous');
    // When it was applied reads as a time, the exact instant in <time datetime>.
    expect(appliedPage).toMatch(/Last apply: completed, \d+ written \(<time datetime="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/time>\)\./);
    expect(await store.campaignStatus()).toMatchObject({ total: 6, migrated: 3 });
    // The rows are migrated now: a new plan of them would say already_migrated, with the skipped ones ambiguous again.
    const json = await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.json'));
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="campaign-migration-report.json"');
    const report = MigrationReportSchema.parse(await json.json());
    expect(report.summary).toMatchObject({ total: 6, outcomes: { migrated: 3, skipped: 3, ambiguous: 0, already_migrated: 0 } });
    expect(report.items.filter((item) => item.outcome === 'skipped').map((item) => item.campaignId).sort()).toEqual(['campaign-2', 'campaign-3', `campaign-9${XSS}`]);
    const markdown = await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.md'))).text();
    expect(markdown).not.toMatch(/already_migrated \| [1-9]/);
    const csv = await (await handler(sessionRequest(viewer, 'GET', '/migration/campaigns/report.csv'))).text();
    expect(csv.split('\n').filter((line) => line.includes(',skipped,'))).toHaveLength(3);
  });
});
