import type { MigrationName, RunCheckpoint } from '@app/migrate';

/** A time a driver returned (`Date`, ISO text, epoch milliseconds as a number, bigint or digits) as ISO 8601 UTC. */
export function toIsoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  // Drivers return BIGINT milliseconds as text when asked to keep big numbers exact.
  if (typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value)).toISOString();
  return new Date(String(value)).toISOString();
}

/**
 * The checkpoint columns of the runs table, in the order {@link checkpointValues} gives them:
 * `migration, status, cursor, counts, failures, started_at, updated_at, scope`.
 */
export const CHECKPOINT_COLUMNS = ['migration', 'status', 'cursor', 'counts', 'failures', 'started_at', 'updated_at', 'scope'] as const;

/**
 * The values of {@link CHECKPOINT_COLUMNS} for one checkpoint; counts, failures and scope as JSON
 * text. The scope column's JSON also carries the run's `limited` and `acknowledgedFailures` marks and `history`: runs tables
 * created before them need no new column (and their status CHECK allows no fourth status).
 */
export function checkpointValues(checkpoint: RunCheckpoint): unknown[] {
  return [
    checkpoint.migration,
    checkpoint.status,
    checkpoint.cursor,
    JSON.stringify(checkpoint.counts),
    JSON.stringify(checkpoint.failures),
    checkpoint.startedAt,
    checkpoint.updatedAt,
    scopeText(checkpoint),
  ];
}

function scopeText({ scope, limited, history, acknowledgedFailures }: RunCheckpoint): string | null {
  const run = {
    ...(limited === true ? { limited: true } : {}),
    ...(acknowledgedFailures === true ? { acknowledgedFailures: true } : {}),
    ...(history !== undefined && history.length > 0 ? { history } : {}),
  };
  if (scope == null && Object.keys(run).length === 0) return null;
  return JSON.stringify({ ...(scope ?? {}), ...run });
}

/** The scope column's JSON as the checkpoint's `scope`, `limited`, `acknowledgedFailures` and `history`. */
function scopeFields(value: unknown): Pick<RunCheckpoint, 'scope' | 'limited' | 'history' | 'acknowledgedFailures'> {
  if (typeof value !== 'object' || value === null) return {};
  const { limited, history, acknowledgedFailures, ...scope } = value as Record<string, unknown>;
  return {
    // Absent on checkpoints written before they were bound.
    ...('source' in scope ? { scope: scope as unknown as RunCheckpoint['scope'] } : {}),
    ...(limited === true ? { limited: true } : {}),
    ...(acknowledgedFailures === true ? { acknowledgedFailures: true } : {}),
    ...(Array.isArray(history) ? { history: history as RunCheckpoint['history'] } : {}),
  };
}

/**
 * A row of the runs table as a {@link @app/migrate!RunCheckpoint | RunCheckpoint}. `decodeJson`
 * turns the driver's value of a JSON column into JSON (PostgreSQL drivers parse it, MariaDB and
 * SQLite return text).
 */
export function checkpointFromRow(row: Record<string, unknown>, decodeJson: (value: unknown) => unknown = (value) => value): RunCheckpoint {
  return {
    runKey: String(row.run_key),
    migration: row.migration as MigrationName,
    status: row.status as RunCheckpoint['status'],
    cursor: row.cursor == null ? null : String(row.cursor),
    counts: (decodeJson(row.counts) ?? {}) as Record<string, number>,
    failures: (decodeJson(row.failures) ?? []) as RunCheckpoint['failures'],
    startedAt: toIsoTime(row.started_at ?? row.updated_at),
    updatedAt: toIsoTime(row.updated_at),
    ...scopeFields(row.scope == null ? null : decodeJson(row.scope)),
  };
}
