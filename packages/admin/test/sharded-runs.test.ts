import { afterEach, describe, expect, it } from 'vitest';
import { runCampaignMigration, runEventMigration, runEventMigrationWorkers } from '@app/migrate';
import { VIEWER_TOKEN, XSS, createTestHandler, seededPgliteStore, sessionRequest, signIn } from './admin-test-kit.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function dashboard() {
  const seeded = await seededPgliteStore();
  closers.push(seeded.close);
  const handler = createTestHandler(seeded.store);
  const viewer = await signIn(handler, VIEWER_TOKEN);
  const page = async () => (await handler(sessionRequest(viewer, 'GET', '/migration'))).text();
  return { store: seeded.store, db: seeded.db, page };
}

describe('the migration dashboard shows the runs the command line made over shards', () => {
  it('lists each shard of a stopped `--workers 3` run with its state and counts, and says how to continue it', async () => {
    const { store, page } = await dashboard();
    // Before any run: nothing sharded to show.
    expect(await page()).not.toContain('Sharded run');
    // Two shards complete; the third stops at its limit, as a worker stopped by Ctrl-C leaves it.
    for (const index of [1, 2]) await runEventMigration({ store, apply: true, shard: { index, count: 3 } });
    await runEventMigration({ store, apply: true, batchSize: 5, limit: 5, shard: { index: 3, count: 3 } });
    const html = await page();
    expect(html).toContain('<h3>Sharded run: 3 shards</h3>');
    expect(html).toMatch(/2 of 3 shards completed: \d+ processed/);
    expect(html).toMatch(/<td><code>events#1\/3<\/code><\/td><td>completed<\/td>/);
    expect(html).toMatch(/<td><code>events#3\/3<\/code><\/td><td>stopped at its limit<\/td><td>5<\/td>/);
    expect(html).not.toContain('Not applied yet.');
    expect(html).toContain('No run over the whole table yet; the sharded runs are below.');
    expect(html).toContain('<code>app-migrate events --apply --resume --workers 3</code>');
    // The checklist no longer reads "events: not applied".
    expect(html).toMatch(/events: incomplete over 3 shards \(2 of 3 completed, \d+ processed\)/);
    expect(html).not.toContain('events: not applied');
  });

  it('goes by the latest finished sharded run: a later trial stopped early does not undo it, and past 16 shards it says which shards to resume', async () => {
    const { store, db, page } = await dashboard();
    const finished = await runEventMigrationWorkers({ store, apply: true, workers: 2 });
    expect(finished.status).toBe('completed');
    await runCampaignMigration({ store, apply: true });
    // A later 20-shard trial runs its first shard only, which finds nothing left to do: 1 of 20 shards completed.
    await runEventMigration({ store, apply: true, batchSize: 2, limit: 2, shard: { index: 1, count: 20 } });
    const html = await page();
    expect(html).toContain('<h3>Sharded run: 20 shards</h3>');
    expect(html).toContain('events: completed over 2 shards');
    // Only the rows that fail every time are left (the finished run's failures): nothing left to verify, and no advice to continue the trial.
    expect(html).toMatch(/<li class="step step-done"><span class="step-state">Done<\/span> <strong>Verify<\/strong>/);
    expect(html).not.toContain('--resume');
    // With rows left (canonical events cleared behind the runs' backs), the advice names the shards to resume: --workers takes at most 16.
    await db.query("UPDATE events SET canonical_event = NULL WHERE id IN ('evt-0001', 'evt-0002')");
    const left = await page();
    expect(left).toContain('<code>app-migrate events --apply --resume --shard i/20</code> for each unfinished shard (2/20, 3/20, 4/20, 5/20, 6/20 and 14 more)');
    expect(left).not.toContain('--workers 20');
  });

  it('shows a finished worker run as done, with every shard\'s failed rows escaped, and the checklist\'s Apply step counts it', async () => {
    const { store, page } = await dashboard();
    const report = await runEventMigrationWorkers({ store, apply: true, workers: 2 });
    expect(report.status).toBe('completed');
    const html = await page();
    expect(html).toContain(`2 of 2 shards completed: ${report.counts.processed} processed, ${report.counts.written} written, ${report.counts.failed} failed`);
    expect(html).not.toContain('--resume --workers');
    expect(html).toContain('events: completed over 2 shards');
    // The hostile row is in the last shard: its id is listed as inert text, with the other failures.
    expect(html).toContain('<caption>Failed rows of the 2-shard run</caption>');
    expect(html).toContain('<code>evt-9999&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(html).not.toContain(XSS);
    const failedRows = html.slice(html.indexOf('Failed rows of the 2-shard run')).match(/<tr><td><code>evt-/g) ?? [];
    expect(failedRows).toHaveLength(report.counts.failed);
  });
});
