import { MAX_RUN_HISTORY, type RunCheckpoint, type RunSummary } from './migration-store.js';

/** A checkpoint as an entry of a later run's history. */
function summaryOf(checkpoint: RunCheckpoint): RunSummary {
  return {
    status: checkpoint.status,
    cursor: checkpoint.cursor,
    counts: { ...checkpoint.counts },
    startedAt: checkpoint.startedAt,
    updatedAt: checkpoint.updatedAt,
    ...(checkpoint.limited === true ? { limited: true } : {}),
  };
}

/**
 * The history of a run that starts over (does not resume) where `previous` was the last
 * checkpoint of its run key: `previous` first, then its own history, at most
 * {@link MAX_RUN_HISTORY}. A resumed run keeps `previous.history` as it is instead.
 */
export function startedHistory(previous: RunCheckpoint | null): RunSummary[] {
  if (previous === null) return [];
  return [summaryOf(previous), ...(previous.history ?? [])].slice(0, MAX_RUN_HISTORY);
}

/**
 * Whether a run wrote rows. A re-run with nothing left to do did not, nor one that only met the
 * rows that fail on every run again.
 */
const wroteRows = (run: RunSummary) => (run.counts.written ?? 0) > 0;

/**
 * The latest run of `checkpoint` that wrote rows: the checkpoint itself, or the newest such run of
 * its history; `null` when none did. `status` shows it beside the last run when that one wrote
 * nothing, so a no-op re-run does not hide the run that did the work.
 */
export function lastMeaningfulRun(checkpoint: RunCheckpoint): RunSummary | null {
  return [summaryOf(checkpoint), ...(checkpoint.history ?? [])].find(wroteRows) ?? null;
}
