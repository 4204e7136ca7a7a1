/**
 * What normalizing costs next to the `JSON.parse` every webhook pays anyway, measured in the
 * same run on the same payload text: `pnpm --filter @app/canonical-events bench`.
 * Target: normalizing a payload costs at most a quarter of parsing its text (ratio ≤ 0.25).
 *
 * Each task runs BATCH calls per sample (a timer read per call would weigh more than a fallback
 * normalization), and every result feeds a sink printed at the end, so no work is optimised away.
 */
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';

// The built package is measured (what users run; `pnpm bench` builds first), typed from the source.
const { normalizeEvent } = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);
const BATCH = 200;

const cases = [
  { label: 'Shopify order', provider: 'shopify', file: 'shopify/orders_create.json' },
  { label: 'Stripe checkout session', provider: 'stripe', file: 'stripe/checkout.session.completed.captured-2022-11-15.json' },
  { label: 'fallback (Social Proofy)', provider: 'socialproofy', file: 'socialproofy/conversion_webhook.json' },
].map((c) => {
  const text = readFileSync(new URL(c.file, PAYLOADS), 'utf8');
  const row = { id: `bench-${c.provider}`, integration_type: c.provider, event_data: JSON.parse(text) as unknown, created_at: '2025-01-15T10:30:00Z' };
  const check = normalizeEvent(row);
  if (!check.success) throw check.error;
  return { ...c, text, row };
});

let sink = 0;
const bench = new Bench({ time: 1500, warmupTime: 300 });
for (const c of cases) {
  bench.add(`normalizeEvent · ${c.label}`, () => {
    for (let i = 0; i < BATCH; i++) {
      const result = normalizeEvent(c.row);
      if (result.success) sink += result.data.timestamp.length;
    }
  });
  bench.add(`JSON.parse · ${c.label}`, () => {
    for (let i = 0; i < BATCH; i++) sink += (JSON.parse(c.text) as object) === null ? 0 : 1;
  });
}
await bench.run();

const perCall = (name: string): number => {
  const task = bench.getTask(name);
  const mean = task?.result?.state === 'completed' ? task.result.latency.mean : Number.NaN;
  return mean / BATCH; // ms per call
};

const rows = cases.map((c) => {
  const normalize = perCall(`normalizeEvent · ${c.label}`);
  const parse = perCall(`JSON.parse · ${c.label}`);
  return {
    payload: `${c.label} (${(c.text.length / 1024).toFixed(1)} KB)`,
    'normalize events/s': Math.round(1000 / normalize).toLocaleString('en-US'),
    'normalize µs': (normalize * 1000).toFixed(2),
    'JSON.parse µs': (parse * 1000).toFixed(2),
    'ratio normalize/parse': (normalize / parse).toFixed(3),
    'target ≤ 0.25': normalize / parse <= 0.25 ? 'met' : 'MISSED',
  };
});
console.table(rows);
console.log(`(sink ${sink})`);
