/**
 * How fast a rollout decision is, against the peers a team would otherwise use, all measured in
 * the same run on the same keys: `pnpm --filter @app/flags bench`.
 *
 * Every task decides BATCH subjects per sample (one timer read per call would weigh more than
 * the call itself), rotating through pre-generated UUID-like user ids, and feeds each answer into
 * a sink that is printed at the end, so the engine can neither constant-fold nor drop the work.
 */
import type { VariationRange } from '@growthbook/growthbook';
import murmurhash from 'murmurhash';
import { Bench, type Task } from 'tinybench';
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util.js';
import { SYSTEM_FLAGS, createFlagClient, isEnabled, murmurhash3, parseFlag, unleashNormalizedValue } from '../src/index.js';

// GrowthBook 1.x keeps hash/inRange/getBucketRanges in dist/esm/util.mjs without exporting them
// (its exports map only has "." and "./plugins"), so the file is loaded next to the resolved entry.
interface GrowthBookUtil {
  hash(seed: string, value: string, version: number): number | null;
  inRange(n: number, range: VariationRange): boolean;
  getBucketRanges(numVariations: number, coverage: number | undefined, weights?: number[]): VariationRange[];
}
const growthbook = (await import(
  new URL('./util.mjs', import.meta.resolve('@growthbook/growthbook')).href
)) as GrowthBookUtil;

const FLAG_NAME = 'testimonial_system';
const PERCENTAGE = 50;
const KEY_COUNT = 4096; // a power of two, so rotating is a mask
const KEY_MASK = KEY_COUNT - 1;
const BATCH = 1000;

/** Deterministic UUID v4-shaped ids (xorshift32), the same on every run. */
function generateUserIds(count: number): string[] {
  let state = 0x9e3779b9;
  const nextHex = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) & 0xf).toString(16);
  };
  const hex = (n: number) => Array.from({ length: n }, nextHex).join('');
  return Array.from({ length: count }, (_, i) => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[i & 3]}${hex(3)}-${hex(12)}`);
}

const USER_IDS = generateUserIds(KEY_COUNT);
const HASH_INPUTS = USER_IDS.map((id) => `${FLAG_NAME}:${id}`);

const flag = parseFlag({ name: FLAG_NAME, enabled: true, rollout_percentage: PERCENTAGE });
const client = createFlagClient(
  SYSTEM_FLAGS.map((f) => ({ name: f.name, enabled: true, rollout_percentage: f.name === FLAG_NAME ? PERCENTAGE : 10 })),
);
const growthbookRange = growthbook.getBucketRanges(1, PERCENTAGE / 100)[0]!; // [0, 0.5): a 50 % rollout

// What each contender decides for one subject (used to check the rollouts before timing them).
const contenders = {
  'ours isEnabled(flag, key)': (i: number) => isEnabled(flag, USER_IDS[i]!),
  'ours createFlagClient().isEnabled': (i: number) => client.isEnabled(FLAG_NAME, USER_IDS[i]!),
  'unleash normalizedStrategyValue <= p': (i: number) => normalizedStrategyValue(USER_IDS[i]!, FLAG_NAME) <= PERCENTAGE,
  'growthbook hash v2 + inRange': (i: number) => growthbook.inRange(growthbook.hash(FLAG_NAME, USER_IDS[i]!, 2)!, growthbookRange),
  'growthbook hash v1 + inRange': (i: number) => growthbook.inRange(growthbook.hash(FLAG_NAME, USER_IDS[i]!, 1)!, growthbookRange),
} as const;

// The contenders must answer the same question, or the comparison means nothing.
for (let i = 0; i < KEY_COUNT; i++) {
  if (murmurhash.v3(HASH_INPUTS[i]!) !== murmurhash3(HASH_INPUTS[i]!)) throw new Error(`murmurhash3 differs for ${HASH_INPUTS[i]}`);
  if (normalizedStrategyValue(USER_IDS[i]!, FLAG_NAME) !== unleashNormalizedValue(USER_IDS[i]!, FLAG_NAME)) {
    throw new Error(`unleashNormalizedValue differs for ${USER_IDS[i]}`);
  }
  if (client.isEnabled(FLAG_NAME, USER_IDS[i]!) !== isEnabled(flag, USER_IDS[i]!)) throw new Error('client disagrees');
}
const enabledShare = Object.fromEntries(
  Object.entries(contenders).map(([name, decide]) => {
    let on = 0;
    for (let i = 0; i < KEY_COUNT; i++) if (decide(i)) on++;
    return [name, on / KEY_COUNT];
  }),
);

let sink = 0;
let cursor = 0;
const bench = new Bench({ name: '@app/flags isEnabled', time: 1000, warmupTime: 300 });
// One literal loop per task, not a shared loop calling contenders[name]: a shared call site would
// turn megamorphic and slow down whichever tasks run last.
bench
  .add('ours isEnabled(flag, key)', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) if (isEnabled(flag, USER_IDS[cursor]!)) sink++;
  })
  .add('ours createFlagClient().isEnabled', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) if (client.isEnabled(FLAG_NAME, USER_IDS[cursor]!)) sink++;
  })
  .add('unleash normalizedStrategyValue <= p', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) {
      if (normalizedStrategyValue(USER_IDS[cursor]!, FLAG_NAME) <= PERCENTAGE) sink++;
    }
  })
  .add('growthbook hash v2 + inRange', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) {
      if (growthbook.inRange(growthbook.hash(FLAG_NAME, USER_IDS[cursor]!, 2)!, growthbookRange)) sink++;
    }
  })
  .add('growthbook hash v1 + inRange', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) {
      if (growthbook.inRange(growthbook.hash(FLAG_NAME, USER_IDS[cursor]!, 1)!, growthbookRange)) sink++;
    }
  })
  .add('ours murmurhash3(input)', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) sink ^= murmurhash3(HASH_INPUTS[cursor]!);
  })
  .add('murmurhash.v3(input) (reference)', () => {
    for (let n = 0; n < BATCH; n++, cursor = (cursor + 1) & KEY_MASK) sink ^= murmurhash.v3(HASH_INPUTS[cursor]!);
  });

await bench.run();

interface Measured {
  name: string;
  nsPerOp: number;
  opsPerSecond: number;
  rme: number;
}
function measured(task: Task): Measured {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`, { cause: result });
  // Mean batch time (total time / samples), per call: the peers that allocate per call pay for
  // their garbage collections here too, as they would in production. A median would hide them.
  const nsPerOp = (result.period * 1e6) / BATCH;
  return { name: task.name, nsPerOp, opsPerSecond: 1e9 / nsPerOp, rme: result.latency.rme };
}
const rows = bench.tasks.map(measured);
const byName = new Map(rows.map((r) => [r.name, r]));
const baseline = byName.get('ours isEnabled(flag, key)')!;
const ourHash = byName.get('ours murmurhash3(input)')!;

console.log(`${bench.name}: ${FLAG_NAME} at ${PERCENTAGE} %, ${KEY_COUNT} UUID-like keys, ${BATCH} calls per sample`);
console.log(`node ${process.version}, ${process.arch}`);
console.table(
  rows.map((r) => ({
    task: r.name,
    'ops/s': Math.round(r.opsPerSecond).toLocaleString('en-US'),
    'ns/op': r.nsPerOp.toFixed(1),
    '±rme %': r.rme.toFixed(1),
    'vs ours isEnabled': `${(r.opsPerSecond / baseline.opsPerSecond).toFixed(2)}x`,
    'share enabled': r.name in enabledShare ? `${(enabledShare[r.name]! * 100).toFixed(1)} %` : '',
  })),
);
for (const r of rows) {
  if (r === baseline) continue;
  console.log(`${r.name}: ${(r.opsPerSecond / baseline.opsPerSecond).toFixed(2)}x of ours isEnabled`);
}
const reference = byName.get('murmurhash.v3(input) (reference)')!;
console.log(`murmurhash.v3 (reference): ${(reference.opsPerSecond / ourHash.opsPerSecond).toFixed(2)}x of ours murmurhash3`);
console.log(`sink: ${sink}`);
