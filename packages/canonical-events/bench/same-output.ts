/**
 * Does a change keep every event the same? Loads an older build and this package's `dist/` in one
 * process and compares what `normalizeEvent` gives for each row case: every published payload
 * routed to every provider (and to aliases, an unknown type and none) with a dozen event types and
 * three option sets, each string or number in a payload replaced in turn by tricky values (names in
 * every order and script, placeholders, emails, phones, addresses, markup, entities, codes,
 * amounts, times), the fallback's key spellings at the top level, in `data`, in a batch and in a
 * CloudEvent, and hostile rows. Speed work must leave this at 0 differences.
 *
 * Build the older version first, e.g. `git worktree add /tmp/old main && (cd /tmp/old &&
 * pnpm install --offline && pnpm --filter @app/canonical-events build)`, then:
 * `pnpm --filter @app/canonical-events exec tsx bench/same-output.ts /tmp/old/packages/canonical-events/dist`
 * (about 2.2 million cases, a minute and a half of CPU). Exits 1 on any difference, printing the
 * first 20.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Package = typeof import('../src/index.js');
type Result = ReturnType<Package['normalizeEvent']>;
type Options = Parameters<Package['normalizeEvent']>[1];

const oldDist = process.argv[2];
if (oldDist === undefined) throw new Error('usage: tsx bench/same-output.ts <dist folder of the older build>');
const before = (await import(pathToFileURL(resolve(oldDist, 'index.js')).href)) as Package;
const after = (await import(new URL('../dist/index.js', import.meta.url).href)) as Package;

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);
const files = readdirSync(PAYLOADS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) => readdirSync(new URL(`${folder.name}/`, PAYLOADS)).filter((file) => file.endsWith('.json')).sort().map((file) => `${folder.name}/${file}`));

const STRINGS = [
  '', ' ', 'null', 'Anonymous', 'Bryan', 'bryan helmig', 'Bryan Helmig', 'Mary Ann Smith', 'Smith, John', 'Jane Doe, CEO at Acme', 'John Smith -',
  '山田 太郎', '山田太郎', '王明', 'Nagy Péter', 'Nguyễn Văn An', 'ßen ßmith', 'İlker Ünal', 'Firstnam E', 'Firstnam', 'Usernam Ex',
  'Null Abcdefghijklmnopqrstuvwxyzabcdefghijklmnop', 'Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq Smith', 'A1-2-3-4-5-6-7-8-9 1-2-3-4-5-6-7-8 x',
  'Tom &amp;amp; Jerry', '&amp;eacute;mile Zola', '<b>Bob</b> Norman', 'Bob <script>x</script>Norman', 'john@example.com', 'John john@example.com',
  '[email protected]', '555-555-5555', '+1 (555) 123-4567', '123 Elm St.', 'Chestnut Street 92', 'Hauptstraße 5', 'P.O. Box 12', '192.168.0.1',
  'fe80::1ff:fe23:4567:890a', 'https://x.io/p?email=a@b.co', 'https://example.com/img.png', 'http://x.io/a?v=1690000000123',
  'https://x.io/?phone=%2B15551234567', 'www.example.com', 'evt_000000000000000000000000', '*****', 'id', 'usd', 'EUR', 'jpy', 'KWD', 'xau',
  'US', 'uk', 'el', 'de', 'ZZ', 'Germany', 'United States', '1199', '12.50', '$11.99', '1,234.50', '2022-01-01T00:00:00Z',
  '2024-02-29T12:00:00+05:30', '2023-02-29T00:00:00Z', '2021-12-31T19:00:00-05:00', '1970-01-01', '1690000000', '1690000000123',
  'about 1 month ago', 'orders/create', 'orders/cancelled', 'checkout.session.completed', 'charge.refunded', 'review', 'testimonial',
  'subscription', 'purchase', 'signup', 'lead', 'custom', 'paid', 'unpaid', 'succeeded', 'expired', 'canceled', 'a\u00a0b\u200b c\td',
  '  Bob   Norman  ', 'Bob N.', 'Mary Ann S.', 'x'.repeat(600), 'word '.repeat(130), "O'Brien-Smith", 'Émilie du Châtelet', 'Ann 123',
  'Stars 5', 'Lisa www', 'café', 'A', '—', '-', 'Great product! Mail me at a@b.co or call 555 555 5555.',
  'gid://shopify/Order/820982911946154508', 'customer', 'order', 'checkout.session', 'charge', 'invoice', 'event', 'true',
  'What is your first name?', 'Your city', 'Which country are you from?',
];
const OTHERS: unknown[] = [0, -1, 1, 5, 4.5, 1e9, 1690000000, 1690000000123, 1e16, 2 ** 53 + 2, 0.1, Number.NaN, 12.345, true, false, null];
const VALUES = [...STRINGS, ...OTHERS];
const TYPES = [...new Set(files.map((file) => file.split('/')[0] as string)), 'Shopify', 'shopify_app', 'woo', 'unknown-thing', null, 'STRIPE', 'webhook'];
const EVENT_TYPES = [undefined, null, 'orders/create', 'orders/cancelled', 'checkout.session.completed', 'charge.refunded', 'review', 'form_response', 'customers/create', 'subscription_created', 'INVOICE.PAID', ''];
const OPTIONS: Options[] = [undefined, { nameOrder: 'family-first' }, { maxTextLength: 20, eventId: 'hdr-1', receivedAt: '2025-02-01T00:00:00Z' }];

const show = (result: Result): string =>
  result.success ? JSON.stringify([result.data.event_id, result.data.provider, result.data.provider_event_type, result.data.timestamp, result.data.normalized]) : JSON.stringify([result.error.code, result.error.message, result.error.rowId, result.error.field]);

let cases = 0;
let differences = 0;
function compare(row: unknown, options: Options, label: string): void {
  cases++;
  const was = show(before.normalizeEvent(row, options));
  const is = show(after.normalizeEvent(row, options));
  if (was === is) return;
  if (++differences <= 20) console.log(`DIFFERENT ${label}\n  before ${was.slice(0, 600)}\n  after  ${is.slice(0, 600)}`);
}

/** Paths to the scalar leaves of a JSON value (the first three items of each array), at most about 400. */
function leaves(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, index) => leaves(item, [...path, index], out));
  else if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) leaves((value as Record<string, unknown>)[key], [...path, key], out);
  else out.push(path);
  return out;
}

function withLeaf(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = value;
  return copy;
}

const row = (integrationType: unknown, eventData: unknown, extra: object = {}) => ({ id: 'row-1', integration_type: integrationType, event_data: eventData, created_at: '2025-01-15T10:30:00Z', ...extra });

for (const file of files) {
  const text = readFileSync(new URL(file, PAYLOADS), 'utf8');
  const own = file.split('/')[0];
  const payload = JSON.parse(text) as unknown;
  for (const type of TYPES) for (const eventType of EVENT_TYPES) for (const options of OPTIONS) compare(row(type, JSON.parse(text), { event_type: eventType }), options, `${file} as ${type}, ${eventType}`);
  // No created_at: the payload's own time, else a content key.
  for (const options of OPTIONS) compare({ id: 7, integration_type: own, event_data: JSON.parse(text) }, options, `${file} without created_at`);
  for (const path of leaves(payload)) {
    for (const value of VALUES) {
      const data = withLeaf(payload, path, value);
      const label = `${file} ${path.join('.')}=${JSON.stringify(value)?.slice(0, 40)}`;
      for (const options of OPTIONS) compare(row(own, data), options, label);
      if (typeof value === 'string' && value.length < 60) compare({ id: 'row-1', integration_type: 'zapier', event_data: data }, undefined, `${label} as zapier`);
    }
  }
}

// The fallback's key spellings, with each value, beside a name.
const KEYS = ['first_name', 'firstName', 'fname', 'last_name', 'surname', 'name', 'full_name', 'customerName', 'country', 'country_code', 'currency', 'price', 'amount', 'product', 'product_name', 'rating', 'stars', 'review', 'message', 'city', 'state', 'url', 'product_url', 'image', 'quantity', 'title', 'avatar', 'video', 'timestamp', 'created_at', 'id', 'event_id', 'livemode', 'type'];
const WRAPS: Array<(body: object) => unknown> = [(body) => body, (body) => ({ data: body }), (body) => [body, body], (body) => ({ specversion: '1.0', type: 'com.x.order', id: 'ce-1', time: '2024-01-01T00:00:00Z', data: body })];
for (const key of KEYS) {
  for (const value of VALUES) {
    for (const wrap of WRAPS) {
      const data = wrap({ [key]: value, first_name: 'Ann', last_name: 'Lee' });
      for (const type of ['zapier', 'useproof', 'cloudevents', 'webhook']) compare(row(type, data), undefined, `fallback ${type} ${key}=${JSON.stringify(value)?.slice(0, 40)}`);
      compare({ id: 'k', integration_type: 'zapier', event_data: wrap({ [key]: value }) }, { nameOrder: 'family-first' }, `fallback family-first ${key}=${JSON.stringify(value)?.slice(0, 40)}`);
    }
  }
}

// Rows that are not rows.
const HOSTILE: unknown[] = [null, 1, [], {}, { id: '' }, { id: 1 }, { id: 1, event_data: 1 }, { id: 1, event_data: {}, integration_type: 5 }, { id: 1n, event_data: [], created_at: new Date(0) }, { id: 2 ** 60, event_data: {} }, { id: 'x', event_data: {}, created_at: 'nope' }, { id: 'x', event_data: {}, event_type: 3 }];
for (const hostile of HOSTILE) compare(hostile, undefined, `row ${String(hostile)}`);

console.log(`${cases} row cases, ${differences} different`);
process.exitCode = differences === 0 ? 0 : 1;
