/**
 * What normalizing costs next to the `JSON.parse` every webhook pays anyway, measured side by
 * side in one run on the same payload text, for each of the 49 published payloads:
 * `pnpm --filter @app/canonical-events bench`. Goals (issue 15): median ratio ≤ 0.5, worst ≤ 3,
 * the Shopify order and the Stripe session ≤ 0.25.
 *
 * Each task runs BATCH calls per sample (a timer read per call would weigh more than a small
 * normalization), and every result feeds a sink printed at the end, so no work is optimised away.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Bench } from 'tinybench';

// The built package is measured (what users run; `pnpm bench` builds first), typed from the source.
const { normalizeEvent } = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);
const BATCH = 50;
const SHOPIFY_ORDER = 'shopify/orders_create.json';
const STRIPE_SESSION = 'stripe/checkout.session.completed.captured-2022-11-15.json';

// Every published payload, with the integration_type its folder names.
const cases = readdirSync(PAYLOADS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) =>
    readdirSync(new URL(`${folder.name}/`, PAYLOADS))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => `${folder.name}/${file}`)
      .map((file) => {
        const text = readFileSync(new URL(file, PAYLOADS), 'utf8');
        const row = { id: `bench-${file}`, integration_type: folder.name, event_data: JSON.parse(text) as unknown, created_at: '2025-01-15T10:30:00Z' };
        const check = normalizeEvent(row);
        if (!check.success) throw check.error;
        return { file, text, row };
      }),
  );

let sink = 0;
const bench = new Bench({ time: 150, warmupTime: 50 });
for (const c of cases) {
  bench.add(`normalizeEvent · ${c.file}`, () => {
    for (let i = 0; i < BATCH; i++) {
      const result = normalizeEvent(c.row);
      if (result.success) sink += result.data.timestamp.length;
    }
  });
  bench.add(`JSON.parse · ${c.file}`, () => {
    for (let i = 0; i < BATCH; i++) sink += (JSON.parse(c.text) as object) === null ? 0 : 1;
  });
}
await bench.run();

const perCall = (name: string): number => {
  const task = bench.getTask(name);
  // The median sample, not the mean: on a loaded machine a descheduled sample would weigh on the mean.
  const median = task?.result?.state === 'completed' ? task.result.latency.p50 : Number.NaN;
  return median / BATCH; // ms per call
};

const measured = cases.map((c) => {
  const normalize = perCall(`normalizeEvent · ${c.file}`);
  const parse = perCall(`JSON.parse · ${c.file}`);
  return { file: c.file, size: c.text.length, normalize, parse, ratio: normalize / parse };
});
console.table(
  measured.map((m) => ({
    payload: `${m.file} (${(m.size / 1024).toFixed(1)} KB)`,
    'normalize µs': (m.normalize * 1000).toFixed(2),
    'JSON.parse µs': (m.parse * 1000).toFixed(2),
    'ratio normalize/parse': m.ratio.toFixed(3),
  })),
);

const ratios = measured.map((m) => m.ratio).sort((a, b) => a - b);
const median = ratios.length % 2 === 1 ? (ratios[(ratios.length - 1) / 2] as number) : ((ratios[ratios.length / 2 - 1] as number) + (ratios[ratios.length / 2] as number)) / 2;
const worst = measured.reduce((a, b) => (b.ratio > a.ratio ? b : a));
const ratioOf = (file: string) => measured.find((m) => m.file === file)?.ratio ?? Number.NaN;
const verdict = (value: number, goal: number) => `${value.toFixed(2)}x (goal ≤ ${goal}x: ${value <= goal ? 'met' : 'MISSED'})`;
console.log(`payloads: ${measured.length}`);
console.log(`median normalize/parse: ${verdict(median, 0.5)}`);
console.log(`worst normalize/parse: ${verdict(worst.ratio, 3)} (${worst.file})`);
console.log(`Shopify order: ${verdict(ratioOf(SHOPIFY_ORDER), 0.25)}`);
console.log(`Stripe session: ${verdict(ratioOf(STRIPE_SESSION), 0.25)}`);
console.log(`(sink ${sink})`);
