/**
 * A gradual rollout, as the product runs it: 0 → 10 → 50 → 100 %, then a rollback.
 * The same visitors are evaluated at every stage; nobody who had the feature loses it
 * while the percentage grows, and the rollback turns it off for everyone at once.
 *
 * Run it with `pnpm demo:flags` (it builds the packages first).
 */
import { ROLLOUT_STAGES, SYSTEM_FLAGS, createFlagClient, parseFlag } from '@app/flags';

const visitors = Array.from({ length: 1_000 }, (_, i) => `visitor-${String(i).padStart(4, '0')}`);
const flagName = 'v2_canonical_system';
const now = new Date('2026-11-24T09:00:00Z');

// Rows as the feature_flags table returns them.
const rowsAt = (rollout: number, enabled = true) =>
  SYSTEM_FLAGS.map((flag, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i + 1}`,
    name: flag.name,
    description: flag.description,
    enabled: flag.name === flagName ? enabled : false,
    rollout_percentage: flag.name === flagName ? rollout : 0,
    metadata: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }));

const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`Rolling out "${flagName}" to ${visitors.length} visitors\n`);
console.log(' stage | enabled | share  | newly on | lost since last stage');
console.log('-------+---------+--------+----------+----------------------');

let previous = new Set<string>();
for (const stage of ROLLOUT_STAGES) {
  const client = createFlagClient(rowsAt(stage));
  const on = new Set(visitors.filter((visitor) => client.isEnabled(flagName, visitor)));
  const newlyOn = [...on].filter((visitor) => !previous.has(visitor)).length;
  const lost = [...previous].filter((visitor) => !on.has(visitor)).length;
  console.log(`${pad(`${stage} %`, 6)} | ${pad(on.size, 7)} | ${pad(((on.size / visitors.length) * 100).toFixed(1), 5)}% | ${pad(newlyOn, 8)} | ${pad(lost, 21)}`);
  previous = on;
}

const sample = visitors[7]!;
const half = createFlagClient(rowsAt(50));
const detail = half.evaluate(flagName, sample);
console.log(`\nAt 50 %, ${sample} is in bucket ${detail.bucket} of 0..9999 → ${detail.value ? 'on' : 'off'} (reason ${detail.reason}).`);
console.log(`An anonymous visitor at 50 %: ${JSON.stringify(half.evaluate(flagName, undefined))}`);

console.log('\nRollback: set the percentage to 0 %, then disable.');
for (const [label, rows] of [
  ['0 %, still enabled', rowsAt(0)],
  ['0 %, disabled', rowsAt(0, false)],
] as const) {
  const client = createFlagClient(rows);
  const on = visitors.filter((visitor) => client.isEnabled(flagName, visitor)).length;
  console.log(`  ${label.padEnd(20)} → ${on} visitors see it (reason ${client.evaluate(flagName, sample).reason})`);
}

const broken = createFlagClient([...rowsAt(50), { name: 'typo_flag', enabled: true, rollout_percentage: 150 }]);
console.log(`\nA bad row fails closed and is reported, the others keep working:\n  ${broken.errors[0]?.message}`);
console.log(`  "${flagName}" still answers: ${broken.isEnabled(flagName, sample)}; "typo_flag": ${broken.isEnabled('typo_flag', sample)}`);
console.log(`\nparseFlag gives a typed flag: ${JSON.stringify(parseFlag(rowsAt(10)[0]))}`);
