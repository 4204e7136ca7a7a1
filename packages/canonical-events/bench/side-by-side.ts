/**
 * Two builds of the package timed side by side in one process, with `JSON.parse` of the same text:
 * for each of the 49 published payloads, the CPU time (not the wall clock, so a descheduled batch
 * counts nothing) of batches of 32 events alternating between the older build, this package's
 * `dist/` and `JSON.parse`, the median of the batches. Two passes:
 *
 * - repeated rows: each batch normalizes one row 32 times, as `normalize.bench.ts` does;
 * - varied rows: 32 rows per payload, each with its own names (one word, two, three, family name
 *   first, CJK, placeholders, a comma), ids and amounts, parsed from their own JSON text, so a
 *   memo of the last row or a shape seen once pays nothing. Each varied row's event must be the
 *   same from both builds.
 *
 * Build the older version first (see `same-output.ts`), then:
 * `pnpm --filter @app/canonical-events exec tsx bench/side-by-side.ts /tmp/old/packages/canonical-events/dist`
 * (about half a minute of CPU). Prints each payload's ratios and the median, the worst, the Shopify
 * order, the Stripe session and the geometric mean of this build's time over the older one's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Package = typeof import('../src/index.js');

const oldDist = process.argv[2];
if (oldDist === undefined) throw new Error('usage: tsx bench/side-by-side.ts <dist folder of the older build>');
const before = (await import(pathToFileURL(resolve(oldDist, 'index.js')).href)) as Package;
const after = (await import(new URL('../dist/index.js', import.meta.url).href)) as Package;

const PAYLOADS = new URL('../../../examples/payloads/', import.meta.url);
const BATCH = 32;
const ROUNDS = 200;
const SHOPIFY_ORDER = 'shopify/orders_create.json';
const STRIPE_SESSION = 'stripe/checkout.session.completed.captured-2022-11-15.json';
const NAMES = ['Ann', 'Ann Lee', 'Mary Ann Smith', '山田 太郎', 'Nagy Péter', '', 'Bob N.', 'Smith, John', 'José María García', 'Anonymous', 'li', "O'Brien-Smith Jr", 'Zoë', 'Ivan Petrov', 'Kim Min-jun', 'A'];

/** `value` with its person names, ids and amounts changed for row `row`. */
function vary(value: unknown, row: number, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => vary(item, row, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([field, item]) => [field, vary(item, row, field)]));
  if (typeof value === 'string' && /name|reviewer|author/i.test(key) && !/product|item|plan|title|form|event/i.test(key)) return NAMES[(row + key.length) % NAMES.length];
  if (typeof value === 'string' && /(?:^|_)id$/i.test(key) && value.length > 0) return `${value}${row}`;
  if (typeof value === 'number' && /amount|total|price/i.test(key)) return value + row;
  return value;
}

const files = readdirSync(PAYLOADS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) => readdirSync(new URL(`${folder.name}/`, PAYLOADS)).filter((file) => file.endsWith('.json')).sort().map((file) => `${folder.name}/${file}`));

const cpu = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
let sink = 0;

interface Measured {
  file: string;
  parse: number;
  before: number;
  after: number;
}

/** Median CPU µs per event of each build and of JSON.parse over the batch's rows and texts. */
function measure(file: string, rows: readonly object[], texts: readonly string[]): Measured {
  const run = (normalize: Package['normalizeEvent']) => () => {
    for (const row of rows) sink += normalize(row).success ? 1 : 0;
  };
  const parse = () => {
    for (const text of texts) sink += (JSON.parse(text) as object) === null ? 0 : 1;
  };
  const tasks = [run(before.normalizeEvent), run(after.normalizeEvent), parse];
  const times: number[][] = [[], [], []];
  for (let round = 0; round < ROUNDS + 30; round++) {
    tasks.forEach((task, index) => {
      const start = cpu();
      task();
      // The first 30 rounds warm up.
      if (round >= 30) times[index]?.push(cpu() - start);
    });
  }
  const [old, now, parsed] = times.map((samples) => median(samples) / rows.length) as [number, number, number];
  return { file, parse: parsed, before: old, after: now };
}

function report(title: string, measured: readonly Measured[]): void {
  console.log(`\n${title}`);
  for (const m of measured) {
    console.log(`${m.file.padEnd(62)} parse ${m.parse.toFixed(2).padStart(6)} µs | before ${m.before.toFixed(2).padStart(6)} µs ${(m.before / m.parse).toFixed(2).padStart(6)}x | after ${m.after.toFixed(2).padStart(6)} µs ${(m.after / m.parse).toFixed(2).padStart(6)}x | after/before ${(m.after / m.before).toFixed(2)}`);
  }
  const ratio = (m: Measured, build: 'before' | 'after') => m[build] / m.parse;
  const worst = (build: 'before' | 'after') => measured.reduce((a, b) => (ratio(b, build) > ratio(a, build) ? b : a));
  const of = (file: string, build: 'before' | 'after') => {
    const found = measured.find((m) => m.file === file);
    return found === undefined ? Number.NaN : ratio(found, build);
  };
  const geometricMean = Math.exp(measured.reduce((sum, m) => sum + Math.log(m.after / m.before), 0) / measured.length);
  for (const build of ['before', 'after'] as const) {
    console.log(
      `${build.padEnd(6)} median ${median(measured.map((m) => ratio(m, build))).toFixed(2)}x, worst ${ratio(worst(build), build).toFixed(2)}x (${worst(build).file}), Shopify order ${of(SHOPIFY_ORDER, build).toFixed(2)}x, Stripe session ${of(STRIPE_SESSION, build).toFixed(2)}x`,
    );
  }
  console.log(`after/before per event (geometric mean): ${geometricMean.toFixed(2)}`);
}

const repeated: Measured[] = [];
const varied: Measured[] = [];
let different = 0;
for (const file of files) {
  const text = readFileSync(new URL(file, PAYLOADS), 'utf8');
  const type = file.split('/')[0];
  const row = { id: `bench-${file}`, integration_type: type, event_data: JSON.parse(text) as unknown, created_at: '2025-01-15T10:30:00Z' };
  repeated.push(measure(file, Array.from({ length: BATCH }, () => row), Array.from({ length: BATCH }, () => text)));
  const texts = Array.from({ length: BATCH }, (_, index) => JSON.stringify(vary(JSON.parse(text), index)));
  const rows = texts.map((json, index) => ({ id: `bench-${file}-${index}`, integration_type: type, event_data: JSON.parse(json) as unknown, created_at: '2025-01-15T10:30:00Z' }));
  for (const varying of rows) if (JSON.stringify(before.normalizeEvent(varying)) !== JSON.stringify(after.normalizeEvent(varying))) different++;
  varied.push(measure(file, rows, texts));
}
report('repeated rows (one row per payload, as normalize.bench.ts)', repeated);
report('varied rows (32 rows per payload: names, ids and amounts varied)', varied);
console.log(`varied rows whose events differ between the builds: ${different} (sink ${sink})`);
process.exitCode = different === 0 ? 0 : 1;
