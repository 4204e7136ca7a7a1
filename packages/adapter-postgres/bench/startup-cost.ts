/**
 * What a no-op `--resume` and `status` cost on a finished table: the measurements the adapters'
 * `status-and-resume` benches share. The table must hold `events` events that all have a
 * canonical event (filled set-based by the bench); this records the completed checkpoint a
 * finished run leaves, then times, as the CLI does them:
 *
 * - `status`: `eventStatus({ fromCheckpoint: true })` and `campaignStatus()` together, then the events checkpoint;
 * - `verify`'s exact counts: `eventStatus()`;
 * - a no-op resume: `ensureSchema()` and `runEventMigration({ apply: true, resume: true })`.
 *
 * Each is the median of `rounds` runs, in milliseconds.
 */
import { type MigrationStore, runEventMigration } from '@app/migrate';

export interface StartupCost {
  statusMs: number;
  exactCountsMs: number;
  resumeMs: number;
  status: { total: number; migrated: number; remaining: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(rounds: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Records a completed whole-table checkpoint ending at `lastKey`, as a finished run of `events` rows leaves it. */
export async function recordFinishedRun(store: MigrationStore, events: number, lastKey: string): Promise<void> {
  const holder = 'bench-finished-run';
  const lease = await store.acquireLease('events', holder, 60_000);
  if (!lease.acquired) throw new Error('the events lease is taken');
  const at = new Date().toISOString();
  const scope = { source: await store.sourceOf('events'), range: null, renormalize: false };
  // As a run that starts over begins (no cursor: nothing behind it), whatever a kept table held before.
  await store.writeCheckpoint({ runKey: 'events', migration: 'events', status: 'running', cursor: null, counts: {}, failures: [], startedAt: at, updatedAt: at, scope }, holder);
  await store.writeCheckpoint(
    {
      runKey: 'events',
      migration: 'events',
      status: 'completed',
      cursor: lastKey,
      counts: { processed: events, written: events, wouldWrite: 0, failed: 0, fallback: 0 },
      failures: [],
      startedAt: at,
      updatedAt: at,
      scope,
    },
    holder,
  );
  await store.releaseLease('events', holder);
}

export async function measureStartup(store: MigrationStore, rounds = 3): Promise<StartupCost> {
  let status = { total: 0, migrated: 0, remaining: 0 };
  const statusMs = await timed(rounds, async () => {
    // As `app-migrate status` asks.
    const [events] = await Promise.all([store.eventStatus({ fromCheckpoint: true }), store.campaignStatus()]);
    await store.readCheckpoint('events');
    status = events;
  });
  // What `verify` counts: every row.
  const exactCountsMs = await timed(1, () => store.eventStatus());
  const resumeMs = await timed(rounds, async () => {
    await store.ensureSchema();
    const report = await runEventMigration({ store, apply: true, resume: true, holder: 'bench-resume' });
    if (report.counts.written !== status.migrated && report.counts.processed === 0) throw new Error('the no-op resume processed nothing, as expected, but lost the counts');
    if (report.counts.processed !== report.counts.written + report.counts.failed || report.status !== 'completed') throw new Error(`unexpected resume: ${JSON.stringify(report.counts)}`);
  });
  return { statusMs, exactCountsMs, resumeMs, status };
}

const format = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** The table columns every status-and-resume bench prints for one size: the times, and `status` against `verify`'s exact count of the same table. */
export function costColumns(cost: StartupCost): Record<string, string> {
  return {
    'status ms': format(cost.statusMs),
    'no-op --resume ms': format(cost.resumeMs),
    'under 1 s': cost.statusMs < 1000 && cost.resumeMs < 1000 ? 'yes' : 'NO',
    "verify's exact count ms": format(cost.exactCountsMs),
    'status / exact count': `${(cost.statusMs / cost.exactCountsMs).toPrecision(2)}x`,
  };
}
