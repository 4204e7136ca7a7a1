import type { DatabaseHealthReading, ReplicaLag } from '@app/migrate';
import type { MysqlQueryable } from './mysql-client.js';

/** A replica of the server the store writes to, as the store's `replicas` option names it. */
export interface MysqlReplica {
  /** How pause messages name it (`replica-eu-1`). */
  name: string;
  /** A connection (or pool) to the replica itself: only a replica knows how far behind it is. */
  client: MysqlQueryable;
}

const isParseError = (error: unknown) => (error as { code?: unknown } | null)?.code === 'ER_PARSE_ERROR';

/**
 * The lag one `SHOW REPLICA STATUS` row reports: `Seconds_Behind_Source` (MySQL ≥ 8.0.22) or
 * `Seconds_Behind_Master` (MariaDB, older MySQL). It is `NULL` while the replica is not
 * replicating (its SQL or I/O thread stopped): such a replica is `stopped`. MySQL reports no lag
 * in bytes of binary log.
 */
export function replicaLagOf(name: string, row: Record<string, unknown>): ReplicaLag {
  const seconds = row.Seconds_Behind_Source ?? row.Seconds_Behind_Master;
  const lagSeconds = seconds === null || seconds === undefined || seconds === '' ? null : Number(seconds);
  const known = lagSeconds !== null && Number.isFinite(lagSeconds);
  return { name, lagSeconds: known ? lagSeconds : null, lagBytes: null, ...(known ? {} : { stopped: true }) };
}

async function replicaStatus(client: MysqlQueryable, timeoutMs: number): Promise<Record<string, unknown>[]> {
  // A replica that stopped answering must not stall the runner that waits on it (nor a time-boxed slice).
  const timeout = timeoutMs > 0 ? { timeout: timeoutMs } : {};
  try {
    const [rows] = await client.query({ sql: 'SHOW REPLICA STATUS', ...timeout });
    return rows as Record<string, unknown>[];
  } catch (error) {
    // MySQL before 8.0.22 and MariaDB before 10.5.1 know only the older words.
    if (!isParseError(error)) throw error;
    const [rows] = await client.query({ sql: 'SHOW SLAVE STATUS', ...timeout });
    return rows as Record<string, unknown>[];
  }
}

/**
 * Reads each replica's own `SHOW REPLICA STATUS` (the runners' `throttle`), each statement given
 * up after `timeoutMs` (none when 0), an error naming the replica. A connection that
 * reports no replication is a configuration mistake (the primary given as a replica, say), so it
 * is an error naming the replica rather than a replica read as healthy.
 */
export async function readMysqlReplicationHealth(replicas: readonly MysqlReplica[], timeoutMs = 0): Promise<DatabaseHealthReading> {
  const lags: ReplicaLag[] = [];
  for (const replica of replicas) {
    let rows: Record<string, unknown>[];
    try {
      rows = await replicaStatus(replica.client, timeoutMs);
    } catch (error) {
      // Which replica failed, when several are watched; the driver's error stays the cause.
      throw new Error(`${replica.name}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
    if (rows.length === 0) throw new Error(`${replica.name} is not a replica: SHOW REPLICA STATUS returned no row (give the store connections to its replicas, not to the primary)`);
    // A replica of several sources (MariaDB multi-source) is as far behind as its slowest.
    for (const row of rows) lags.push(replicaLagOf(replica.name, row));
  }
  return { replicas: lags };
}
