/**
 * A gradual rollout, as the product runs it: 0 → 10 → 50 → 100 %, then a rollback.
 * The same visitors are evaluated at every stage; nobody who had the feature loses it
 * while the percentage grows, and the rollback turns it off for everyone at once.
 *
 * Then the same rollout as data: the seed's plan (10 % for 24 h, 50 % for 48 h, 100 %) with an
 * error-rate guardrail, stored with the flag on an embedded PGlite database, driven hour by hour
 * through a simulated week until an error spike rolls it back by itself; printed as a timeline.
 *
 * Run it with `pnpm demo:flags` (it builds the packages first).
 */
import { createPostgresStore } from '@app/adapter-postgres';
import { ROLLOUT_STAGES, SYSTEM_FLAGS, createFlagClient, createFlagTelemetry, createRolloutPlan, flushFlagTelemetry, parseFlag } from '@app/flags';
import { changeFlagPlan, checkFlagGuardrails, createMemoryFlagMetricsStore } from '@app/migrate';
import { PGlite } from '@electric-sql/pglite';

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

// ---------------------------------------------------------------------------------------------
// The same rollout as data: a scheduled plan with a guardrail, on the embedded database.
// ---------------------------------------------------------------------------------------------
console.log('\nA scheduled plan with a guardrail, on an embedded PostgreSQL (PGlite), over a simulated week:');
const db = new PGlite();
const store = createPostgresStore({ client: db, createLegacyTables: true });
await store.ensureSchema();
const metrics = createMemoryFlagMetricsStore();
const HOUR = 3_600_000;
const start = Date.parse('2026-11-24T09:00:00Z');
let clock = start;
const telemetry = createFlagTelemetry({ windowMs: HOUR, now: () => clock });
const plan = createRolloutPlan(start, { guardrails: [{ metric: 'error', threshold: 0.05, action: 'rollback', minSamples: 200 }] });
await changeFlagPlan(store, flagName, { kind: 'start', plan }, { actor: 'demo' }, new Date(clock));

const timeline: string[] = [];
const stamp = () => `+${String((clock - start) / HOUR).padStart(3)} h`;
let last = -1;
// Every hour, the visitors come back; from hour 100 a bug makes 20 % of those with the feature fail.
for (let hour = 1; hour <= 168 && timeline.length < 12; hour++) {
  clock = start + hour * HOUR;
  const client = createFlagClient(await store.listFlags(), { now: () => clock });
  visitors.forEach((visitor, i) => {
    const evaluation = client.evaluate(flagName, visitor);
    telemetry.recordEvaluation(evaluation);
    const failureRate = hour >= 100 && evaluation.value ? 0.2 : 0.01;
    if (i % 100 < failureRate * 100) telemetry.track(flagName, evaluation.value ? 'on' : 'off', 'error');
  });
  await flushFlagTelemetry(telemetry, (rows) => metrics.writeFlagMetrics(rows));
  const check = await checkFlagGuardrails(store, metrics, flagName, new Date(clock));
  const flag = (await store.getFlag(flagName))!;
  const exposure = flag.enabled ? flag.rollout_percentage : 0;
  if (exposure !== last || (check.decision && check.decision.action !== 'hold' && check.decision.action !== 'none')) {
    const reading = check.decision?.readings[0];
    const numbers = reading ? `error rate ${(reading.onRate * 100).toFixed(1)} % of ${reading.samples} on` : '';
    timeline.push(`${stamp()}  ${String(exposure).padStart(3)} %  ${check.decision?.action ?? ''} ${numbers}`);
    last = exposure;
  }
  if (check.decision?.action === 'rollback') break;
}
for (const line of timeline) console.log(`  ${line}`);
const history = await store.readFlagHistory({ name: flagName, limit: 20 });
const rolledBack = history.find((change) => change.actor === 'guardrail' && change.field === 'metadata' && JSON.stringify(change.to).includes('rolled_back'));
console.log(`  History: ${history.length} changes; the guardrail's: ${(rolledBack?.to as { rolloutPlan?: { decision?: string } } | undefined)?.rolloutPlan?.decision ?? '(none)'}`);
await store.close();
