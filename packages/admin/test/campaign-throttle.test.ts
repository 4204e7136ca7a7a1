import { type DatabaseHealthReading, createMemoryStore } from '@app/migrate';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, VIEWER_TOKEN, XSS, createTestHandler, hostileSeed, sessionRequest, signIn } from './admin-test-kit.js';

const lagging: DatabaseHealthReading = { replicas: [{ name: 'standby1', lagSeconds: 45, lagBytes: 0 }] };

/** The hidden fields of the page's "Continue apply" form, decoded as a browser would send them. */
function continueFields(page: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*\/migration\/campaigns\/apply" class="apply-campaigns">([\s\S]*?)<\/form>/.exec(page)?.[1];
  expect(form, 'the page offers Continue apply').toContain('>Continue apply</button>');
  const decode = (text: string) => text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name]!);
  const fields: Record<string, string> = {};
  for (const [, name, value] of form!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decode(name!)] = decode(value!);
  delete fields._csrf;
  return fields;
}

describe('the campaigns Apply with a throttle', () => {
  it('waits no longer than a slice while a replica lags, writes nothing, says why, and continues with the same resolutions once it caught up', async () => {
    const store = createMemoryStore(hostileSeed());
    let reading: DatabaseHealthReading = lagging;
    const health = { readDatabaseHealth: async () => reading };
    const handler = createTestHandler(store, { sliceMs: 200, throttle: { health, maxReplicationLagSeconds: 10, pauseMs: 20 } });
    const admin = await signIn(handler, ADMIN_TOKEN);
    const resolutions = { 'resolution:campaign-2': 'native', 'resolution:campaign-3': 'skip', [`resolution:campaign-9${XSS}`]: 'skip' };
    const before = await store.campaignStatus();

    const paused = await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', resolutions));
    expect(paused.status).toBe(200);
    const page = await paused.text();
    expect(page).toContain('Paused: waiting for the database: replica standby1 is 45 s behind (limit 10 s). Wrote <code>data_sources_v2</code> of 0 campaign(s) so far');
    expect(page).not.toContain(XSS);
    expect(await store.campaignStatus()).toEqual(before);
    const fields = continueFields(page);
    expect(fields).toEqual({ continue: '1', ...resolutions });

    // A viewer is shown why, but no form.
    const viewer = await signIn(handler, VIEWER_TOKEN);
    expect((await handler(sessionRequest(viewer, 'POST', '/migration/campaigns/apply', fields))).status).toBe(403);

    reading = { replicas: [] };
    const continued = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', fields))).text();
    expect(continued).toContain('Applied: wrote <code>data_sources_v2</code> of 3 campaign(s); 2 skipped, 0 still ambiguous.');
    expect(await store.campaignStatus()).toMatchObject({ migrated: before.migrated + 3 });
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 3 } });
  });

  it('is not throttled, nor time-boxed, without the option', async () => {
    const store = createMemoryStore(hostileSeed());
    const handler = createTestHandler(store, { sliceMs: 1 });
    const admin = await signIn(handler, ADMIN_TOKEN);
    const page = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', { 'resolution:campaign-2': 'native', 'resolution:campaign-3': 'skip' }))).text();
    expect(page).toContain('Applied: wrote <code>data_sources_v2</code> of 3 campaign(s)');
  });
});
