import type { StoredRow } from './migration-store.js';

/** An event row of the conformance seed; adapters insert it as their legacy `events` row. */
export interface SeedEvent {
  id: string;
  integration_type: string;
  event_type: string | null;
  event_data: unknown;
  created_at: string;
  canonical_event: unknown;
}

/** Rows every conformance test starts from. Adapters insert them into fresh tables. */
export interface StoreSeed {
  events: SeedEvent[];
  campaigns: StoredRow[];
  integrations: StoredRow[];
  flags: Record<string, unknown>[];
}

const shopifyOrder = (n: number) => ({
  id: `8209829119461545${String(n).padStart(2, '0')}`,
  admin_graphql_api_id: `gid://shopify/Order/8209829119461545${String(n).padStart(2, '0')}`,
  created_at: '2025-01-15T10:30:00-05:00',
  currency: 'USD',
  total_price: '99.99',
  customer: { first_name: n % 3 === 0 ? 'Zoë' : 'John', last_name: 'Smith' },
  billing_address: { city: 'Berlin', country_code: 'DE' },
  line_items: [{ title: `Trail Shoes ${n}`, price: '99.99', quantity: 1 }],
});

const stripeSession = (n: number) => ({
  id: `evt_${n}`,
  object: 'event',
  type: 'checkout.session.completed',
  created: 1_700_000_000 + n,
  livemode: false,
  data: { object: { id: `cs_${n}`, object: 'checkout.session', amount_total: 2500 + n, currency: 'eur', customer_details: { name: 'Anna Müller 😀', address: { city: 'Köln', country: 'DE' } } } },
});

/** Owners past 2^53, one apart: read through a JS number they would be the same tenant. */
export const SEED_OWNER_A = '9007199254740993';
/** The other tenant of the seed ({@link SEED_OWNER_A}). */
export const SEED_OWNER_B = '9007199254740992';

const customWebhook = (n: number) => ({ name: 'Ola', city: 'Oslo', product: `Plan ${n}`, nested: { deep: [1, 2, { three: '3' }] } });

/**
 * The conformance seed: 120 events across providers (a few unusable on purpose), campaigns that
 * cover each migration outcome, integrations and the four system flags. Keys are zero-padded so
 * every database orders them the same way. Owners are integers past 2^53 as text
 * ({@link SEED_OWNER_A}, {@link SEED_OWNER_B}): adapters should keep `user_id` an integer column
 * (`bigint`, `BIGINT`, `INTEGER`) in their legacy tables, so the suite proves the store reads them
 * exactly.
 */
export function conformanceSeed(): StoreSeed {
  const events: SeedEvent[] = [];
  for (let n = 1; n <= 120; n++) {
    const id = `evt-${String(n).padStart(4, '0')}`;
    const kind = n % 4;
    const broken = n % 40 === 0;
    events.push({
      id,
      integration_type: kind === 0 ? 'shopify' : kind === 1 ? 'stripe' : kind === 2 ? 'zapier' : 'Shopify',
      event_type: kind === 1 ? 'checkout.session.completed' : null,
      // Every 40th row is unusable: its event_data is a bare string, which no normalizer accepts.
      event_data: broken ? 'not a JSON object' : kind === 1 ? stripeSession(n) : kind === 2 ? customWebhook(n) : shopifyOrder(n),
      created_at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
      canonical_event: null,
    });
  }
  const campaigns: StoredRow[] = [
    { id: 'campaign-1', user_id: SEED_OWNER_A, data_source: 'shopify', native_config: null, integration_settings: { events: ['order.created'] }, data_sources_v2: null, name: 'Seed example' },
    { id: 'campaign-2', user_id: SEED_OWNER_A, data_source: 'stripe', native_config: null, integration_settings: null, data_sources_v2: null, name: 'No Stripe integration' },
    { id: 'campaign-3', user_id: SEED_OWNER_B, data_source: null, native_config: null, integration_settings: null, data_sources_v2: null, name: 'No source' },
    { id: 'campaign-4', user_id: SEED_OWNER_B, data_source: 'woo', native_config: null, integration_settings: { events: ['order.created'] }, data_sources_v2: null, name: 'Woo alias' },
    { id: 'campaign-5', user_id: SEED_OWNER_A, data_source: 'shopify', native_config: null, integration_settings: null, data_sources_v2: [{ integration_id: 'int-123', provider: 'shopify', filters: {} }], name: 'Already migrated' },
  ];
  const integrations: StoredRow[] = [
    { id: 'int-123', user_id: SEED_OWNER_A, provider: 'shopify', status: 'active', deleted_at: null, settings: null },
    { id: 'int-456', user_id: SEED_OWNER_B, provider: 'woocommerce', status: 'active', deleted_at: null, settings: null },
    // The other tenant's Stripe: campaign-2 (SEED_OWNER_A, stripe) must never get it.
    { id: 'int-789', user_id: SEED_OWNER_B, provider: 'stripe', status: 'active', deleted_at: null, settings: null },
  ];
  const flags = [
    { name: 'v2_canonical_system', description: 'Master flag', enabled: true, rollout_percentage: 10, metadata: {} },
    { name: 'testimonial_system', description: 'Testimonials', enabled: false, rollout_percentage: 0, metadata: {} },
    { name: 'playlist_orchestration', description: 'Playlists', enabled: false, rollout_percentage: 0, metadata: {} },
    { name: 'multi_integration_campaigns', description: 'Multi-source', enabled: false, rollout_percentage: 0, metadata: {} },
  ];
  return { events, campaigns, integrations, flags };
}
