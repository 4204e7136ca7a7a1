import { EVALUATION_METRIC } from '@app/flags';
import { type FlagMetricsStore, type FlagStore, type MigrationStore, changeFlagPlan } from '@app/migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminHandler } from '../src/index.js';
import { ADMIN_TOKEN, BASE_PATH, ORIGIN, type TestSession, VIEWER_TOKEN, XSS, createTestHandler, seededPgliteStore, sessionRequest, signIn } from './admin-test-kit.js';

let store: MigrationStore & FlagStore;
let db: Awaited<ReturnType<typeof seededPgliteStore>>['db'];
let close: () => Promise<void>;
let handler: AdminHandler;
let admin: TestSession;
let viewer: TestSession;

beforeAll(async () => {
  ({ store, db, close } = await seededPgliteStore());
  // A row written straight into the table (not through the port) with markup in its name and description.
  await db.query('INSERT INTO feature_flags (name, description) VALUES ($1, $2)', [`legacy${XSS}`, `Old ${XSS}`]);
  handler = createTestHandler(store);
  admin = await signIn(handler, ADMIN_TOKEN);
  viewer = await signIn(handler, VIEWER_TOKEN);
});
afterAll(() => close());

const page = async (session: TestSession, path = '/feature-flags') => {
  const response = await handler(sessionRequest(session, 'GET', path));
  expect(response.status, path).toBe(200);
  return response.text();
};
const post = (path: string, form: Record<string, string>, session = admin) => handler(sessionRequest(session, 'POST', path, form));
const seen = async (name: string) => {
  const flag = (await store.getFlag(name))!;
  return { expected_enabled: String(flag.enabled), expected_rollout: String(flag.rollout_percentage), expected_has_description: String(flag.description !== null), expected_description: flag.description ?? '' };
};

describe('the feature-flags page', () => {
  it('is in the route table: the page and flag pages for viewers, every change admin-only and state-changing', () => {
    const routes = handler.routes.filter((route) => route.path.startsWith('/feature-flags')).map((route) => `${route.method} ${route.path} ${route.access}`);
    expect(routes).toEqual([
      'GET /feature-flags viewer',
      'GET /feature-flags/:name viewer',
      'POST /feature-flags admin',
      'POST /feature-flags/:name/update admin',
      'POST /feature-flags/:name/rollback admin',
      'POST /feature-flags/:name/delete admin',
      ...['start', 'pause', 'resume', 'advance', 'rollback'].map((action) => `POST /feature-flags/:name/plan/${action} admin`),
      'POST /feature-flags/changes/:id/revert admin',
    ]);
    expect(handler.routes.filter((route) => route.path.startsWith('/feature-flags') && route.method === 'POST').every((route) => route.stateChanging)).toBe(true);
  });

  it('shows a viewer every flag with its badge, the system marks and guidance, and no control at all', async () => {
    const html = await page(viewer);
    for (const name of ['v2_canonical_system', 'testimonial_system', 'playlist_orchestration', 'multi_integration_campaigns']) expect(html).toContain(`<h2 id="flag-${name}-name">${name}</h2>`);
    expect(html.match(/<span class="tag">System flag<\/span>/g)).toHaveLength(4);
    expect(html).toContain('<span class="badge badge-rolling-out">Rolling out 10 %</span>');
    expect(html).toContain('<span class="badge badge-off">Off</span>');
    expect(html).toContain('Start the rollout at 10 %');
    expect(html).not.toContain('<form method="post" action="/admin/feature-flags');
    expect(html).not.toContain('type="range"');
    expect(html).toContain('changing them needs the admin role');
  });

  it('renders names and descriptions with markup inert, and refuses to create a flag whose name has markup', async () => {
    const html = await page(admin);
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('legacy&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(html.match(/<script\b[^>]*>/g)).toEqual([`<script src="${BASE_PATH}/assets/admin.js" defer>`, `<script src="${BASE_PATH}/assets/feature-flags.js" defer>`]);
    const refused = await post('/feature-flags', { name: '<b>bold</b>', description: XSS });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain('role="alert"');
    expect(text).toContain('name must be a letter or digit');
    expect(text).not.toContain(XSS);
    expect(await store.getFlag('<b>bold</b>')).toBeNull();
    const created = await post('/feature-flags', { name: 'hostile.description', description: XSS });
    expect(created.status).toBe(303);
    expect(await page(viewer)).toContain('Old &lt;script&gt;');
    expect(await page(viewer)).not.toContain(XSS);
  });

  it('lets an admin create, roll out along the plan, and records each change with the admin as actor', async () => {
    const created = await post('/feature-flags', { name: 'checkout.new-flow', description: 'New checkout' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe(`${BASE_PATH}/feature-flags?saved=created%20checkout.new-flow#flag-checkout.new-flow`);
    expect((await post('/feature-flags', { name: 'checkout.new-flow' })).status).toBe(409);
    expect((await post('/feature-flags/checkout.new-flow/update', { ...(await seen('checkout.new-flow')), enabled: 'true' })).status).toBe(303);
    for (const stop of ['10', '50', '100']) {
      const response = await post('/feature-flags/checkout.new-flow/update', { ...(await seen('checkout.new-flow')), rollout_percentage: stop });
      expect(response.status, stop).toBe(303);
    }
    expect(await store.getFlag('checkout.new-flow')).toMatchObject({ enabled: true, rollout_percentage: 100 });
    const history = await store.readFlagHistory({ name: 'checkout.new-flow' });
    expect(history.map((change) => [change.field, change.from, change.to, change.actor])).toEqual([
      ['rollout_percentage', 50, 100, 'ada@example.com'],
      ['rollout_percentage', 10, 50, 'ada@example.com'],
      ['rollout_percentage', 0, 10, 'ada@example.com'],
      ['enabled', false, true, 'ada@example.com'],
      ['flag', null, { description: 'New checkout', enabled: false, rollout_percentage: 0 }, 'ada@example.com'],
    ]);
    const flagPage = await page(viewer, '/feature-flags/checkout.new-flow');
    expect(flagPage).toContain('<caption>Audit log of checkout.new-flow</caption>');
    expect(flagPage).toContain('<span class="badge badge-on">Fully on</span>');
  });

  it('asks for an explicit confirmation before lowering or jumping a stage, and writes nothing until confirmed', async () => {
    await store.createFlag({ name: 'beta.lowering', enabled: true, rollout_percentage: 50 }, { actor: 'setup' });
    const lower = await post('/feature-flags/beta.lowering/update', { ...(await seen('beta.lowering')), rollout_percentage: '10' });
    expect(lower.status).toBe(200);
    const question = await lower.text();
    expect(question).toContain('Lowers exposure from 50 % to 10 %');
    expect(question).toContain('Yes, lower beta.lowering to Rolling out 10 %');
    expect(question).toContain('name="confirm" value="yes"');
    expect(await store.getFlag('beta.lowering')).toMatchObject({ rollout_percentage: 50 });
    const confirmed = await post('/feature-flags/beta.lowering/update', { ...(await seen('beta.lowering')), rollout_percentage: '10', confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(await store.getFlag('beta.lowering')).toMatchObject({ rollout_percentage: 10 });
    const jump = await (await post('/feature-flags/beta.lowering/update', { ...(await seen('beta.lowering')), stop: '100' })).text();
    expect(jump).toContain('past the 50 % stage');
    expect(await store.getFlag('beta.lowering')).toMatchObject({ rollout_percentage: 10 });
  });

  it('refuses a change made from a stale page (another admin changed the flag) and shows what it is now', async () => {
    await store.createFlag({ name: 'beta.race', enabled: true, rollout_percentage: 10 }, { actor: 'setup' });
    const stale = await seen('beta.race');
    await store.updateFlag('beta.race', { rollout_percentage: 50 }, { actor: 'someone-else' });
    const response = await post('/feature-flags/beta.race/update', { ...stale, rollout_percentage: '100', confirm: 'yes' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('beta.race was changed by someone else meanwhile (rollout_percentage); it is now Rolling out 50 %');
    expect(await store.getFlag('beta.race')).toMatchObject({ rollout_percentage: 50 });
  });

  it('rolls back in one click after a confirmation: 0 %, then disabled, both recorded', async () => {
    await store.createFlag({ name: 'beta.rollback', enabled: true, rollout_percentage: 50 }, { actor: 'setup' });
    const ask = await post('/feature-flags/beta.rollback/rollback', await seen('beta.rollback'));
    expect(await ask.text()).toContain('Yes, roll back beta.rollback');
    expect(await store.getFlag('beta.rollback')).toMatchObject({ enabled: true, rollout_percentage: 50 });
    expect((await post('/feature-flags/beta.rollback/rollback', { ...(await seen('beta.rollback')), confirm: 'yes' })).status).toBe(303);
    expect(await store.getFlag('beta.rollback')).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect((await store.readFlagHistory({ name: 'beta.rollback', limit: 2 })).map((change) => change.field)).toEqual(['enabled', 'rollout_percentage']);
  });

  it('reverts a change from the audit log in one click, asking first only when the revert lowers or jumps', async () => {
    await store.createFlag({ name: 'beta.revert', description: 'before' }, { actor: 'setup' });
    const described = await store.updateFlag('beta.revert', { description: 'after' }, { actor: 'setup' });
    const change = described.ok ? described.changes[0]! : undefined;
    const overall = await page(admin);
    expect(overall).toContain(`action="${BASE_PATH}/feature-flags/changes/${change!.id}/revert"`);
    expect((await post(`/feature-flags/changes/${change!.id}/revert`, {})).status).toBe(303);
    expect(await store.getFlag('beta.revert')).toMatchObject({ description: 'before' });
    expect((await store.readFlagHistory({ name: 'beta.revert', limit: 1 }))[0]).toMatchObject({ field: 'description', revertsChangeId: change!.id, actor: 'ada@example.com' });

    const raised = await store.updateFlag('beta.revert', { enabled: true, rollout_percentage: 10 }, { actor: 'setup' });
    const rollout = raised.ok ? raised.changes[1]! : undefined;
    const ask = await post(`/feature-flags/changes/${rollout!.id}/revert`, {});
    expect(await ask.text()).toContain('Lowers exposure from 10 % to 0 %');
    expect(await store.getFlag('beta.revert')).toMatchObject({ rollout_percentage: 10 });
    expect((await post(`/feature-flags/changes/${rollout!.id}/revert`, { confirm: 'yes' })).status).toBe(303);
    expect(await store.getFlag('beta.revert')).toMatchObject({ rollout_percentage: 0 });
    expect((await post('/feature-flags/changes/987654/revert', {})).status).toBe(404);
  });

  it('deletes after a confirmation that names a system flag, and the deletion can be reverted', async () => {
    const ask = await (await post('/feature-flags/playlist_orchestration/delete', await seen('playlist_orchestration'))).text();
    expect(ask).toContain('playlist_orchestration is a system flag');
    expect(await store.getFlag('playlist_orchestration')).not.toBeNull();
    expect((await post('/feature-flags/playlist_orchestration/delete', { ...(await seen('playlist_orchestration')), confirm: 'yes' })).status).toBe(303);
    expect(await store.getFlag('playlist_orchestration')).toBeNull();
    const [deletion] = await store.readFlagHistory({ name: 'playlist_orchestration', limit: 1 });
    expect((await post(`/feature-flags/changes/${deletion!.id}/revert`, {})).status).toBe(303);
    expect(await store.getFlag('playlist_orchestration')).toMatchObject({ enabled: false, rollout_percentage: 0 });
  });

  it('refuses every flag change to a viewer and without CSRF, changing nothing', async () => {
    const before = await store.listFlags();
    for (const [path, form] of [
      ['/feature-flags', { name: 'viewer.flag' }],
      ['/feature-flags/testimonial_system/update', { enabled: 'true' }],
      ['/feature-flags/testimonial_system/rollback', { confirm: 'yes' }],
      ['/feature-flags/testimonial_system/delete', { confirm: 'yes' }],
    ] as const) {
      expect((await post(path, form, viewer)).status, path).toBe(403);
      expect((await handler(sessionRequest(admin, 'POST', path, { ...form, _csrf: 'forged' }))).status, path).toBe(403);
    }
    expect(await store.listFlags()).toEqual(before);
  });

  it('marks flags fully on or off and unchanged for 14 days as ready for cleanup', async () => {
    const later = createTestHandler(store, { now: () => new Date(Date.now() + 15 * 24 * 3600 * 1000) });
    const html = await (await later(sessionRequest(await signIn(later, VIEWER_TOKEN), 'GET', '/feature-flags'))).text();
    const panel = (name: string) => html.slice(html.indexOf(`id="flag-${name}"`), html.indexOf('</section>', html.indexOf(`id="flag-${name}"`)));
    expect(panel('checkout.new-flow')).toContain('Ready for cleanup');
    expect(panel('testimonial_system')).toContain('Ready for cleanup');
    expect(panel('v2_canonical_system')).not.toContain('Ready for cleanup');
    expect(await page(viewer)).not.toContain('Ready for cleanup');
  });
});

const FLAG = 'plan.banner';
const START = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;

let planHandler: AdminHandler;
let planAdmin: TestSession;
let planViewer: TestSession;
// The server's clock, injected: the plan's percentage follows it with no job moving it.
let clock = START;


const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const planPage = async (session: TestSession = planAdmin) => {
  const response = await planHandler(sessionRequest(session, 'GET', '/feature-flags'));
  expect(response.status).toBe(200);
  return response.text();
};

/** The hidden fields of the page's form posting to `path`, as a browser would send them (CSRF token aside). */
function formFields(html: string, path: string): Record<string, string> {
  const start = html.indexOf(`<form method="post" action="${BASE_PATH}${path}"`);
  expect(start, `a form posting to ${path}`).toBeGreaterThanOrEqual(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) if (match[1] !== '_csrf') fields[match[1]!] = unescape(match[2]!);
  return fields;
}

const planPath = (action: string) => `/feature-flags/${FLAG}/plan/${action}`;
/** Presses a plan button of the page as it is now (and confirms when `confirm`). */
async function press(action: string, confirm = false) {
  const fields = formFields(await planPage(), planPath(action));
  return planHandler(sessionRequest(planAdmin, 'POST', planPath(action), confirm ? { ...fields, confirm: 'yes' } : fields));
}
const planOf = async () => (await store.getFlag(FLAG))!.metadata?.rolloutPlan as { state: string; stage: number; decision?: string } | undefined;
const panelOf = (html: string) => {
  const start = html.indexOf(`id="flag-${FLAG}-plan"`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('rollout plans on the feature-flags page', () => {
  beforeAll(async () => {
    await store.createFlag({ name: FLAG, description: 'A banner rolled out by a plan' }, { actor: 'setup' });
    // Sessions last a month: the clock moves by days in these tests.
    planHandler = createTestHandler(store, { now: () => new Date(clock), sessionTtlSeconds: 30 * 24 * 3600 });
    planAdmin = await signIn(planHandler, ADMIN_TOKEN);
    planViewer = await signIn(planHandler, VIEWER_TOKEN);
  });

  it('starts the seed plan, shows it by the injected clock, and records the change with the admin as actor', async () => {
    expect(panelOf(await planPage())).toContain('No scheduled plan');
    const started = await press('start');
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toContain(`#flag-${FLAG}`);
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: true, rollout_percentage: 10 });
    expect(await planOf()).toMatchObject({ state: 'running', stage: 0, decision: `started by ada@example.com at ${new Date(START).toISOString()}` });
    const [recorded] = await store.readFlagHistory({ name: FLAG, limit: 3 });
    expect(recorded).toMatchObject({ actor: 'ada@example.com' });

    let panel = panelOf(await planPage());
    expect(panel).toContain('>Running</span> Now <strong>10 %</strong>, stage 1 of 3.');
    expect(panel).toContain('Next stage, 50 %, at <time datetime="2026-03-03T09:00:00.000Z">2026-03-03 09:00 UTC</time> (in 24 h).');
    expect(panel).toContain('<li aria-current="step" class="current">10 % for 24 h <strong>(current)</strong></li>');
    expect(panel).toContain('Last decision: started by ada@example.com at <time datetime="2026-03-02T09:00:00.000Z">2026-03-02 09:00 UTC</time>');
    // 25 hours later the plan gives 50 %: computed from the clock, nothing was written.
    clock = START + 25 * HOUR;
    panel = panelOf(await planPage());
    expect(panel).toContain('Now <strong>50 %</strong>, stage 2 of 3.');
    expect(panel).toContain('(in 47 h)');
    expect((await store.getFlag(FLAG))!.rollout_percentage).toBe(10);
    const log = await (await planHandler(sessionRequest(planAdmin, 'GET', `/feature-flags/${FLAG}`))).text();
    // The slider still shows the row's 10 %: its help says the plan's 50 % is what counts.
    expect(log).toContain('The rollout plan decides while it is stored (now 50 %)');
    expect(log).toContain('rollout plan');
    expect(log).toContain('no plan → plan running, stage 1 of 3');
    // The history's note of the decision reads as a time too, never the raw ISO text.
    expect(log).toContain('started by ada@example.com at <time datetime="2026-03-02T09:00:00.000Z">2026-03-02 09:00 UTC</time>');
    expect(log).not.toMatch(/>[^<]*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^<]*</);
  });

  it('pauses and resumes without a confirmation; advance and roll back ask first and write nothing until confirmed', async () => {
    expect((await press('pause')).status).toBe(303);
    expect(await planOf()).toMatchObject({ state: 'paused' });
    expect(panelOf(await planPage())).toContain('>Paused</span> Now <strong>50 %</strong>');
    clock += 2 * HOUR;
    expect((await press('resume')).status).toBe(303);
    expect(await planOf()).toMatchObject({ state: 'running' });

    const asked = await press('advance');
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain('Advance the rollout plan of plan.banner to 100 % now?');
    expect(question).toContain('Yes, advance plan.banner to 100 %');
    expect(await planOf()).toMatchObject({ stage: 1 });
    expect((await press('advance', true)).status).toBe(303);
    expect(await planOf()).toMatchObject({ state: 'running', stage: 2 });
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: true, rollout_percentage: 100 });
    expect(panelOf(await planPage())).not.toContain('Advance now');

    expect(await (await press('rollback')).text()).toContain('Roll back the rollout plan of plan.banner?');
    expect(await planOf()).toMatchObject({ state: 'running' });
    expect((await press('rollback', true)).status).toBe(303);
    expect(await planOf()).toMatchObject({ state: 'rolled_back' });
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: false, rollout_percentage: 0 });
    const panel = panelOf(await planPage());
    expect(panel).toContain('>Rolled back</span> Now <strong>0 %</strong>.');
    expect(panel).toContain('Resume from the first stage');
    const actors = (await store.readFlagHistory({ name: FLAG, limit: 50 })).map((change) => change.actor);
    expect(new Set(actors)).toEqual(new Set(['ada@example.com', 'setup']));
  });

  it('refuses a plan button pressed on a stale page (the CLI changed the plan meanwhile), changing nothing', async () => {
    const stale = formFields(await planPage(), planPath('resume'));
    const cli = await changeFlagPlan(store, FLAG, { kind: 'resume' }, { actor: 'cli-operator' }, new Date(clock));
    expect(cli.ok).toBe(true);
    const before = await store.getFlag(FLAG);
    const refused = await planHandler(sessionRequest(planAdmin, 'POST', planPath('resume'), stale));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('plan.banner was changed by someone else meanwhile (enabled, rollout_percentage, rollout plan); it is now Rolling out 10 %. Nothing was saved');
    expect(await store.getFlag(FLAG)).toEqual(before);
    // On a fresh page, a button the plan's state no longer allows is refused with the plan's reason.
    const fresh = formFields(await planPage(), planPath('pause'));
    expect((await press('pause')).status).toBe(303);
    const again = await planHandler(sessionRequest(planAdmin, 'POST', planPath('pause'), { ...fresh, expected_plan: formFields(await planPage(), planPath('resume')).expected_plan! }));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('plan.banner: the plan is paused, not running. Nothing was changed.');
  });

  it('shows a viewer the plan without a button, and refuses a forged POST (viewer, or without CSRF) with 403', async () => {
    const panel = panelOf(await planPage(planViewer));
    expect(panel).toContain('>Paused</span>');
    expect(panel).toContain('<ol class="plan-stages"');
    expect(panel).not.toContain('<form');
    const fields = formFields(await planPage(), planPath('resume'));
    const before = await store.getFlag(FLAG);
    expect((await planHandler(sessionRequest(planViewer, 'POST', planPath('resume'), fields))).status).toBe(403);
    const withoutCsrf = sessionRequest(planAdmin, 'POST', planPath('resume'));
    const body = new URLSearchParams(fields);
    const forged = await planHandler(new Request(withoutCsrf.url, { method: 'POST', headers: withoutCsrf.headers, body }));
    expect(forged.status).toBe(403);
    expect(await store.getFlag(FLAG)).toEqual(before);
  });

  it('refuses a plan button when another writer changes the plan between the page check and the write (two writers), changing nothing of theirs', async () => {
    const fields = formFields(await planPage(), planPath('resume'));
    expect(fields.expected_plan).toContain('"state":"paused"');
    // A store whose second read of the flag (the plan change's, after the button's check passed) lets another writer in first.
    let reads = 0;
    const racing: MigrationStore & FlagStore = Object.create(store);
    racing.getFlag = async (name) => {
      if (++reads === 2) expect(await changeFlagPlan(store, FLAG, { kind: 'rollback' }, { actor: 'other-writer' }, new Date(clock))).toMatchObject({ ok: true });
      return store.getFlag(name);
    };
    const raceHandler = createTestHandler(racing, { now: () => new Date(clock), sessionTtlSeconds: 30 * 24 * 3600 });
    const session = await signIn(raceHandler, ADMIN_TOKEN);
    const refused = await raceHandler(sessionRequest(session, 'POST', planPath('resume'), fields));
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/plan\.banner was changed by someone else meanwhile; it is now [^.]+\. Nothing was saved/);
    // The other writer's rollback stands: a resume decided on the paused plan would have restarted it.
    expect(await planOf()).toMatchObject({ state: 'rolled_back', decision: expect.stringContaining('rolled back by other-writer') });
    expect(await store.getFlag(FLAG)).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect((await store.readFlagHistory({ name: FLAG, limit: 1 }))[0]).toMatchObject({ actor: 'other-writer' });
  });
});

void ORIGIN;

describe('telemetry on the feature-flags page (the seed monitoring checklist)', () => {
  const NOW = Date.parse('2026-06-01T12:00:00.000Z');
  const window = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
  const telemetryOf = (html: string, name: string) => {
    const start = html.indexOf(`id="flag-${encodeURIComponent(name)}-telemetry"`);
    expect(start, `the telemetry of ${name}`).toBeGreaterThanOrEqual(0);
    return html.slice(start, html.indexOf('</section>', start));
  };

  it('shows adoption, failed evaluations and each metric on against off over the last 24 hours, with names inert', async () => {
    const metrics = store as unknown as FlagMetricsStore;
    await metrics.writeFlagMetrics([
      { windowStart: window(2), flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'on', reason: 'SPLIT', count: 120 },
      { windowStart: window(2), flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'off', reason: 'SPLIT', count: 1070 },
      { windowStart: window(1), flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'off', reason: 'ERROR', count: 10 },
      { windowStart: window(1), flagName: 'v2_canonical_system', metric: 'error', variant: 'on', reason: '', count: 6 },
      { windowStart: window(1), flagName: 'v2_canonical_system', metric: 'error', variant: 'off', reason: '', count: 12 },
      { windowStart: window(1), flagName: 'v2_canonical_system', metric: `x${XSS}`, variant: 'on', reason: '', count: 1 },
      // Outside the window: two days ago, and a window that starts after now.
      { windowStart: window(48), flagName: 'v2_canonical_system', metric: EVALUATION_METRIC, variant: 'on', reason: 'SPLIT', count: 5000 },
      { windowStart: window(-1), flagName: 'v2_canonical_system', metric: 'error', variant: 'on', reason: '', count: 999 },
    ]);
    const at = createTestHandler(store, { now: () => new Date(NOW) });
    const session = await signIn(at, VIEWER_TOKEN);
    for (const path of ['/feature-flags', '/feature-flags/v2_canonical_system']) {
      const html = await (await at(sessionRequest(session, 'GET', path))).text();
      const section = telemetryOf(html, 'v2_canonical_system');
      expect(section).toContain('Telemetry, last 24 hours');
      expect(section).toContain('1,200 evaluations: <strong>10.0 % on</strong> (120), 1,080 off.');
      expect(section).toContain('<strong>10 could not be evaluated</strong>');
      expect(section).toContain('<tr><th scope="row">error</th><td>5.0 % <span class="muted">(6 of 120)</span></td><td>1.1 % <span class="muted">(12 of 1,080)</span></td></tr>');
      expect(section).not.toContain(XSS);
      expect(section).toContain('x&lt;');
    }
    const html = await (await at(sessionRequest(session, 'GET', '/feature-flags'))).text();
    expect(telemetryOf(html, 'testimonial_system')).toContain('No evaluations recorded');
  });

  it('keeps the page usable, with the reason named, when telemetry cannot be read', async () => {
    const broken = Object.assign(Object.create(store) as MigrationStore & FlagStore, {
      readFlagMetrics: async () => {
        throw new Error('relation "feature_flag_metrics" does not exist');
      },
    });
    const at = createTestHandler(broken);
    const response = await at(sessionRequest(await signIn(at, VIEWER_TOKEN), 'GET', '/feature-flags'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Telemetry could not be read: relation &quot;feature_flag_metrics&quot; does not exist');
    expect(html).toContain('<h2 id="flag-v2_canonical_system-name">v2_canonical_system</h2>');
    expect(html).not.toContain('Telemetry, last 24 hours');
  });
});
