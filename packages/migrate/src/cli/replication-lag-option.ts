import { InvalidOptionError } from '../errors.js';

/** The limits `--max-replication-lag` sets: a time, a size of log, or both (the option given twice). */
export interface ReplicationLagLimits {
  maxReplicationLagSeconds?: number;
  maxReplicationLagBytes?: number;
}

const SECONDS_PER_UNIT: Record<string, number> = { ms: 0.001, s: 1, min: 60 };
const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * `--max-replication-lag <limit>`, once or twice: a time (`500ms`, `10s`, `2min`) pauses while a
 * replica is further behind in replay; a size (`512kB`, `64MB`, `1GB`, in units of 1,024) while it
 * has more log to apply. `undefined` when absent.
 */
export function replicationLagOption(values: readonly string[] | undefined): ReplicationLagLimits | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const limits: ReplicationLagLimits = {};
  for (const value of values) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value.trim());
    const unit = match?.[2]!.toLowerCase();
    const amount = Number(match?.[1]);
    if (unit !== undefined && unit in SECONDS_PER_UNIT && !('maxReplicationLagSeconds' in limits)) {
      limits.maxReplicationLagSeconds = amount * SECONDS_PER_UNIT[unit]!;
    } else if (unit !== undefined && unit in BYTES_PER_UNIT && !('maxReplicationLagBytes' in limits)) {
      limits.maxReplicationLagBytes = Math.round(amount * BYTES_PER_UNIT[unit]!);
    } else {
      const why = unit !== undefined && (unit in SECONDS_PER_UNIT || unit in BYTES_PER_UNIT) ? 'a time limit and a size limit at most once each' : 'a time (10s, 500ms, 2min) or a size of log (64MB, 512kB, 1GB)';
      throw new InvalidOptionError('--max-replication-lag', `must be ${why}, got "${value}"`);
    }
  }
  return limits;
}
