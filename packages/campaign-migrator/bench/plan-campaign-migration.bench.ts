/**
 * Planning cost: `planCampaignMigration` (indexes integrations once) against the peer a caller
 * would otherwise write, `migrateCampaign` called per row (indexes the integrations every call),
 * on the same generated rows in the same run. Prints ops/s and the ratio.
 */
import { Bench } from 'tinybench';
import { migrateCampaign, planCampaignMigration } from '../src/index.js';
import { seededRandom } from '../test/helpers.js';

const random = seededRandom(7);
const providers = ['shopify', 'stripe', 'woocommerce', 'paddle', 'gumroad', 'typeform', 'calendly', 'hubspot'];
const owners = Array.from({ length: 60 }, (_, i) => `user-${i}`);
const integrations = owners.flatMap((owner, o) =>
  providers.slice(0, 1 + (o % providers.length)).map((provider, p) => ({ id: `int-${o}-${p}`, user_id: owner, provider, status: 'active' })),
);
const campaigns = Array.from({ length: 1_000 }, (_, i) => ({
  id: `campaign-${i}`,
  user_id: owners[Math.floor(random() * owners.length)],
  data_source: providers[Math.floor(random() * providers.length)],
  integration_settings: { events: ['order.created'] },
}));

const bench = new Bench({ time: 500, iterations: 5, warmupIterations: 1 });
bench
  .add('planCampaignMigration (1000 campaigns, 270 integrations)', () => {
    planCampaignMigration(campaigns, integrations);
  })
  .add('peer: migrateCampaign per row', () => {
    for (const campaign of campaigns) migrateCampaign(campaign, integrations);
  });
await bench.run();
console.table(bench.table());
const [plan, peer] = bench.tasks.map((task) => (task.result && 'throughput' in task.result ? task.result.throughput.mean : Number.NaN));
console.log(`planCampaignMigration is ${((plan ?? 0) / (peer ?? 1)).toFixed(1)}x the per-row peer (ops/s ratio)`);
