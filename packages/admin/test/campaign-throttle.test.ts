import { type DatabaseHealthReading, createMemoryStore } from '@app/migrate';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, VIEWER_TOKEN, XSS, createTestHandler, hostileSeed, sessionRequest, signIn } from './admin-test-kit.js';

const lagging: DatabaseHealthReading = { replicas: [{ name: 'standby1', lagSeconds: 45, lagBytes: 0 }] };
const healthy: DatabaseHealthReading = { replicas: [] };
const HOSTILE_CAMPAIGN = `campaign-9${XSS}`;

describe('the campaigns Apply with a throttle', () => {
  it('waits no longer than a slice while a replica lags, says why, and Continue apply (after a reload too) goes on with the recorded resolutions', async () => {
    const store = createMemoryStore(hostileSeed());
    // Healthy for the first batch, then lagging until the test says otherwise.
    let readings = 0;
    let caughtUp = false;
    const health = { readDatabaseHealth: async () => (readings++ === 0 || caughtUp ? healthy : lagging) };
    const handler = createTestHandler(store, { sliceMs: 200, batchSize: 1, throttle: { health, maxReplicationLagSeconds: 10, pauseMs: 20 } });
    const admin = await signIn(handler, ADMIN_TOKEN);
    const before = await store.campaignStatus();
    const chosen = { 'resolution:campaign-2': 'native', 'resolution:campaign-3': 'skip', [`resolution:${HOSTILE_CAMPAIGN}`]: 'native' };

    const paused = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', chosen))).text();
    expect(paused).toContain('Paused: waiting for the database: replica standby1 is 45 s behind (limit 10 s). Wrote <code>data_sources_v2</code> of 1 campaign(s) so far; the rest is not written yet');
    expect(paused).toContain('<h3>Plan (not all written yet)</h3>');
    expect(paused).toMatch(/<input type="hidden" name="continue" value="1">[\s\S]*>Continue apply<\/button>/);
    expect(paused).not.toContain(XSS);
    expect((await store.campaignStatus()).migrated).toBe(before.migrated + 1);

    // A reload (or another tab) still offers to continue; a viewer reads, but cannot continue.
    const reloaded = await (await handler(sessionRequest(admin, 'GET', '/migration'))).text();
    expect(reloaded).toContain('Last apply: stopped before the end, 1 written');
    expect(reloaded).toMatch(/The last apply stopped before the end[^<]*; Continue apply goes on with its resolutions\.<\/p><form method="post" action="[^"]*\/migration\/campaigns\/apply" class="inline"><input type="hidden" name="_csrf" value="[^"]+"><button type="submit" name="continue" value="1">Continue apply<\/button><\/form>/);
    const viewer = await signIn(handler, VIEWER_TOKEN);
    expect(await (await handler(sessionRequest(viewer, 'GET', '/migration'))).text()).not.toContain('>Continue apply</button>');
    expect((await handler(sessionRequest(viewer, 'POST', '/migration/campaigns/apply', { continue: '1' }))).status).toBe(403);

    // Caught up: Continue apply, with no resolution in the form, writes the rest as decided before.
    caughtUp = true;
    const continued = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', { continue: '1' }))).text();
    expect(continued).toContain('Applied: wrote <code>data_sources_v2</code> of 3 campaign(s) (4 with the requests it continues); 1 skipped, 0 still ambiguous.');
    expect((await store.campaignStatus()).migrated).toBe(before.migrated + 4);
    const hostile = (await store.readCampaignBatch(null, 100)).find((row) => row.id === HOSTILE_CAMPAIGN);
    // Native, as decided in the first request and recorded in its checkpoint: no integration.
    expect(hostile?.data_sources_v2).toEqual([expect.objectContaining({ integration_id: null, provider: 'testimonials' })]);
    expect(await store.readCheckpoint('campaigns')).toMatchObject({ status: 'completed', counts: { written: 4 } });

    // A stale Continue (the run is finished) starts a new run rather than adding to the finished one's counts.
    await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', { continue: '1' }));
    const last = await store.readCheckpoint('campaigns');
    expect(last).toMatchObject({ status: 'completed', counts: { written: 0 } });
    expect(last?.history?.at(-1)).toMatchObject({ status: 'completed', counts: expect.objectContaining({ written: 4 }) });
  });

  it('is not throttled, nor cut short, without the option', async () => {
    const store = createMemoryStore(hostileSeed());
    const handler = createTestHandler(store, { sliceMs: 1, batchSize: 1 });
    const admin = await signIn(handler, ADMIN_TOKEN);
    const page = await (await handler(sessionRequest(admin, 'POST', '/migration/campaigns/apply', { 'resolution:campaign-2': 'native', 'resolution:campaign-3': 'skip' }))).text();
    expect(page).toContain('Applied: wrote <code>data_sources_v2</code> of 3 campaign(s); 1 skipped, 1 still ambiguous.');
  });
});
