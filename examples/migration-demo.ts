/**
 * The main job, end to end, on an embedded PGlite database (no server):
 *
 *   seed a database like production (legacy tables only) → init (the migration schema)
 *   → campaigns: dry run → report → resolutions → apply
 *   → events: dry run → apply (1,005 real payloads) → verify → roll a flag out 0 → 10 → 50 → 100 %
 *
 * Run it with `pnpm demo`. Everything it writes goes to `.demo/` (the database and the reports);
 * afterwards `pnpm app-migrate status --db .demo/db` shows the same database through the CLI, and
 * `pnpm app-migrate serve --db .demo/db` in the admin dashboard. `pnpm demo:admin` seeds a fresh,
 * unmigrated copy (step 1 only) into `.demo/admin-db` and serves it, to run the migration by clicking.
 */
import { readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresStore } from '@app/adapter-postgres';
import { createResolutionsTemplate, formatReportMarkdown } from '@app/campaign-migrator';
import { createFlagClient } from '@app/flags';
import { runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';

const OUT = '.demo';
const PAYLOADS = new URL('./payloads/', import.meta.url);
const n = (value: number) => value.toLocaleString('en-US');
const step = (title: string) => console.log(`\n━━ ${title}`);

/** Every published payload, with the integration_type a legacy row would carry for it. */
async function loadPayloads() {
  const payloads: { provider: string; file: string; body: unknown }[] = [];
  for (const provider of (await readdir(PAYLOADS, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const file of (await readdir(new URL(`${provider}/`, PAYLOADS))).filter((f) => f.endsWith('.json')).sort()) {
      payloads.push({ provider, file, body: JSON.parse(await readFile(new URL(`${provider}/${file}`, PAYLOADS), 'utf8')) });
    }
  }
  return payloads;
}

/** Legacy campaigns covering every case the migration must handle, and the owners' integrations. */
function legacyCampaigns() {
  const integrations = [
    { id: 'int-123', user_id: 'user-anna', provider: 'shopify', status: 'active', deleted_at: null },
    { id: 'int-200', user_id: 'user-ben', provider: 'Stripe', status: 'connected', deleted_at: null },
    { id: 'int-300', user_id: 'user-cleo', provider: 'woocommerce', status: 'active', deleted_at: null },
    { id: 'int-301', user_id: 'user-cleo', provider: 'woo', status: 'active', deleted_at: null },
    { id: 'int-400', user_id: 'user-dan', provider: 'paddle', status: 'active', deleted_at: '2025-06-01T00:00:00Z' },
    { id: 'int-401', user_id: 'user-dan', provider: 'paddle', status: 'active', deleted_at: null },
  ];
  const campaigns = [
    { id: 'campaign-1', user_id: 'user-anna', name: 'Recent orders', data_source: 'shopify', integration_settings: { events: ['order.created'] } },
    { id: 'campaign-2', user_id: 'user-ben', name: 'New subscribers', data_source: 'stripe', integration_settings: { events: ['customer.subscription.created'] } },
    { id: 'campaign-3', user_id: 'user-cleo', name: 'Woo sales', data_source: 'WooCommerce', integration_settings: null },
    { id: 'campaign-4', user_id: 'user-anna', name: 'Stripe payments', data_source: 'stripe', integration_settings: null },
    { id: 'campaign-5', user_id: 'user-ben', name: 'Untitled', data_source: null, native_config: null, integration_settings: null },
    { id: 'campaign-6', user_id: 'user-dan', name: 'Paddle renewals', data_source: 'paddle', integration_settings: { integration_id: 'int-400' } },
    { id: 'campaign-7', user_id: 'user-anna', name: 'Reviews', data_source: 'yotpo', integration_settings: null },
    { id: 'campaign-8', user_id: 'user-ben', name: 'Wall of love', data_source: null, native_config: { source: 'testimonials', min_rating: 4 } },
  ];
  return { campaigns, integrations };
}

/** Seeds `db` like production before the migration: the legacy tables only, 1,005 real payloads, the campaigns. */
async function seedLegacyDatabase(db: PGlite) {
  await db.exec(`CREATE TABLE events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE campaigns (id text PRIMARY KEY, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE integrations (id text PRIMARY KEY, user_id text, provider text, status text, settings jsonb, deleted_at timestamptz, created_at timestamptz NOT NULL DEFAULT now());`);
  const payloads = await loadPayloads();
  const events = Array.from({ length: 1005 }, (_, i) => {
    const { provider, body } = payloads[i % payloads.length]!;
    return {
      id: `evt-${String(i + 1).padStart(5, '0')}`,
      integration_type: provider,
      event_type: null,
      event_data: body,
      created_at: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
    };
  });
  await db.query(
    `INSERT INTO events (id, integration_type, event_type, event_data, created_at)
     SELECT id, integration_type, event_type, event_data, created_at
     FROM jsonb_to_recordset($1::jsonb) AS t(id text, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`,
    [JSON.stringify(events)],
  );
  const { campaigns, integrations } = legacyCampaigns();
  await db.query(
    `INSERT INTO integrations (id, user_id, provider, status, deleted_at)
     SELECT id, user_id, provider, status, deleted_at FROM jsonb_to_recordset($1::jsonb)
     AS t(id text, user_id text, provider text, status text, deleted_at timestamptz)`,
    [JSON.stringify(integrations)],
  );
  await db.query(
    `INSERT INTO campaigns (id, user_id, name, data_source, native_config, integration_settings)
     SELECT id, user_id, name, data_source, native_config, integration_settings FROM jsonb_to_recordset($1::jsonb)
     AS t(id text, user_id text, name text, data_source text, native_config jsonb, integration_settings jsonb)`,
    [JSON.stringify(campaigns)],
  );
  return { events, campaigns, integrations, payloads };
}

async function main() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const started = performance.now();

  step('1. An embedded PostgreSQL (PGlite) database, seeded like production: the legacy tables only');
  const db = await PGlite.create(join(OUT, 'db'));
  const store = createPostgresStore({ client: db });
  const { events, campaigns, integrations, payloads } = await seedLegacyDatabase(db);
  const providers = new Set(payloads.map((p) => p.provider));
  console.log(`${n(events.length)} events from ${payloads.length} real payloads of ${providers.size} providers, ${campaigns.length} legacy campaigns, ${integrations.length} integrations.`);

  step('2. A safe preview, then init: create the migration schema, explicitly (what `app-migrate init` does)');
  // Dry runs never change the schema and need only the legacy tables: a preview before init.
  const beforeInit = await store.inspectSchema();
  const preview = await runEventMigration({ store });
  const unchanged = await store.inspectSchema();
  if (unchanged.missing.length !== beforeInit.missing.length) throw new Error('a dry run must not change the schema');
  console.log(
    `A dry run before init reads the legacy tables only: ${n(preview.counts.processed)} events, ${n(preview.counts.wouldWrite)} would be written, ${n(preview.counts.failed)} would fail; nothing changed (still missing: ${beforeInit.missing.join(', ')}).`,
  );
  await store.ensureSchema();
  const afterInit = await store.inspectSchema();
  const left = new Set([...afterInit.missing, ...afterInit.pending]);
  const added = [...beforeInit.missing, ...beforeInit.pending].filter((item) => !left.has(item));
  console.log(`init (store.ensureSchema()) added ${added.length}: ${added.join(', ')}. Ready: ${afterInit.ready}.`);

  step('3. Campaigns: dry run and report (nothing is written)');
  const plan = await runCampaignMigration({ store });
  const outcomes = Object.entries(plan.report.summary.outcomes).filter(([, c]) => c > 0);
  console.log(`Plan: ${outcomes.map(([o, c]) => `${c} ${o}`).join(', ')}.`);
  for (const item of plan.report.items.filter((i) => i.outcome === 'ambiguous')) {
    const choices = item.candidates.map((c) => (c.type === 'native' ? 'native' : c.integration_id)).join(' | ') || 'none';
    console.log(`  ${String(item.campaignId).padEnd(11)} ${item.reasons.join(', ').padEnd(32)} candidates: ${choices}`);
  }
  await writeFile(join(OUT, 'campaigns-plan.md'), formatReportMarkdown(plan.report));
  await writeFile(join(OUT, 'campaigns-plan.json'), `${JSON.stringify(plan.report, null, 2)}\n`);
  console.log(`Report for review: ${join(OUT, 'campaigns-plan.md')}`);

  step('4. Resolutions: a reviewer decides each ambiguous campaign');
  const template = createResolutionsTemplate(plan.report);
  const decisions: Record<string, unknown> = {
    'campaign-3': { integration_id: 'int-300' }, // two WooCommerce stores: the reviewer picks the live shop
    'campaign-4': 'skip', // no Stripe account for this owner: leave it for the customer to reconnect
    'campaign-5': 'native', // no source at all: show the owner's own testimonials
    'campaign-6': { integration_id: 'int-401' }, // the referenced integration was deleted; use its replacement
    'campaign-7': 'skip', // Yotpo is not supported yet
  };
  const resolutions = { ...template, resolutions: { ...template.resolutions, ...decisions } };
  await writeFile(join(OUT, 'resolutions.json'), `${JSON.stringify(resolutions, null, 2)}\n`);
  console.log(`${Object.keys(decisions).length} decisions written to ${join(OUT, 'resolutions.json')}`);

  step('5. Campaigns: apply with the resolutions');
  const applied = await runCampaignMigration({ store, apply: true, resolutions });
  console.log(`Wrote data_sources_v2 of ${applied.written} campaigns; ${applied.report.summary.outcomes.skipped} skipped by decision, ${applied.report.summary.outcomes.ambiguous} still ambiguous.`);

  step('6. Events: dry run, then apply in batches');
  const dry = await runEventMigration({ store, batchSize: 250 });
  console.log(`Dry run: ${n(dry.counts.processed)} events, ${n(dry.counts.wouldWrite)} would be written, ${n(dry.counts.failed)} would fail, ${n(dry.counts.fallback)} by the fallback normalizer.`);
  const report = await runEventMigration({
    store,
    apply: true,
    batchSize: 250,
    onProgress: (p) => console.log(`  batch ${p.batches}: ${n(p.processed)}/${n(p.total)} events, ${n(Math.round(p.ratePerSecond))}/s`),
  });
  await writeFile(join(OUT, 'events-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Applied: ${n(report.counts.written)} canonical events written, ${n(report.counts.failed)} failed (listed with reasons in ${join(OUT, 'events-report.json')}).`);
  console.log(`By provider: ${Object.entries(report.providers).sort(([, a], [, b]) => b - a).map(([p, c]) => `${p} ${c}`).join(', ')}`);
  const again = await runEventMigration({ store, apply: true });
  console.log(`Running it again writes ${again.counts.written} rows: only rows that need it are touched.`);

  step('7. Verify');
  const verification = await verifyMigration(store, { sampleSize: 200 });
  console.log(`Events: ${n(verification.events.migrated)} migrated, ${n(verification.events.remaining)} remaining (${n(verification.events.failed)} failed and reported).`);
  console.log(`Campaigns: ${verification.campaigns.migrated} of ${verification.campaigns.total} have data_sources_v2.`);
  console.log(`Payloads: ${verification.sampled} sampled, ${verification.mismatches.length} differ from the original event_data. ${verification.ok ? 'OK' : 'NOT OK'}`);
  const { rows } = await db.query<{ normalized: Record<string, unknown> }>(
    `SELECT canonical_event->'normalized' AS normalized FROM events WHERE integration_type = 'shopify' AND canonical_event IS NOT NULL ORDER BY id LIMIT 1`,
  );
  const sample = rows[0]?.normalized;
  if (sample) console.log(`A popup from it: "${sample['template.customer_name']} from ${sample['template.city']} just bought ${sample['template.product_name']}"`);

  step('8. Roll out v2_canonical_system: 0 → 10 → 50 → 100 %, then roll back');
  const visitors = Array.from({ length: 10_000 }, (_, i) => `visitor-${i}`);
  let previous = new Set<string>();
  for (const rollout of [0, 10, 50, 100]) {
    await store.updateFlag('v2_canonical_system', { enabled: true, rollout_percentage: rollout }, { actor: 'migration-demo' });
    const flags = createFlagClient(await store.listFlags());
    const on = new Set(visitors.filter((v) => flags.isEnabled('v2_canonical_system', v)));
    const lost = [...previous].filter((v) => !on.has(v)).length;
    console.log(`  ${String(rollout).padStart(3)} %: ${n(on.size).padStart(6)} of ${n(visitors.length)} visitors see it (${lost} lost it since the last stage)`);
    previous = on;
  }
  await store.updateFlag('v2_canonical_system', { rollout_percentage: 0, enabled: false }, { actor: 'migration-demo' });
  const after = createFlagClient(await store.listFlags());
  console.log(`  rollback (0 %, then disabled): ${visitors.filter((v) => after.isEnabled('v2_canonical_system', v)).length} visitors see it`);
  const history = await store.readFlagHistory({ name: 'v2_canonical_system', limit: 3 });
  console.log(`  audit log, newest first: ${history.map((change) => `${change.field} ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)} by ${change.actor}`).join('; ')}`);

  await store.close();
  await db.close();
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s. The database is in ${join(OUT, 'db')}; try: pnpm app-migrate status --db ${join(OUT, 'db')}`);
  console.log(`Open the admin dashboard on it: pnpm app-migrate serve --db ${join(OUT, 'db')} (then the printed link), or start from a fresh, unmigrated copy with pnpm demo:admin.`);
  if (!verification.ok) process.exitCode = 1;
}

/** `pnpm demo:admin`: a fresh database seeded as in step 1, not migrated, served by `app-migrate serve`. */
async function serveFreshDatabase() {
  const directory = join(OUT, 'admin-db');
  await rm(directory, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const db = await PGlite.create(directory);
  const { events, campaigns } = await seedLegacyDatabase(db);
  await db.close();
  console.log(`Seeded ${directory}: ${n(events.length)} legacy events and ${campaigns.length} campaigns, nothing migrated yet.`);
  const cli = fileURLToPath(new URL('../packages/migrate/dist/cli.js', import.meta.url));
  const server = spawn(process.execPath, [cli, 'serve', '--db', directory, ...process.argv.slice(2).filter((arg) => arg !== '--serve')], { stdio: 'inherit' });
  process.on('SIGINT', () => server.kill('SIGINT'));
  server.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv.includes('--serve')) await serveFreshDatabase();
else await main();
