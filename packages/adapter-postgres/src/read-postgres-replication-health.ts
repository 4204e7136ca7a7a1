import type { DatabaseHealthReading } from '@app/migrate';
import type { PostgresQueryable } from './postgres-client.js';

/**
 * The standbys streaming from this server (`pg_stat_replication`: replay lag in time and in WAL
 * bytes) and the replication slots no one is reading (`pg_replication_slots`: the WAL the server
 * keeps for them, which grows until the consumer comes back or the disk is full). A slot in use
 * appears as its walsender among the standbys. The LSN columns are empty for a role without
 * `pg_monitor` (or `pg_read_all_stats`): its lags read as unknown.
 */
const REPLICATION_HEALTH_SQL = `SELECT coalesce(nullif(application_name, ''), client_addr::text, 'pid ' || pid) AS name,
  extract(epoch FROM replay_lag)::float8 AS lag_seconds,
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS lag_bytes
FROM pg_stat_replication
UNION ALL
SELECT 'slot ' || slot_name, NULL, pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(confirmed_flush_lsn, restart_lsn))::float8
FROM pg_replication_slots WHERE NOT active`;

const finiteOrNull = (value: unknown): number | null => {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? Math.max(0, number) : null;
};

/** Reads how far each standby and idle replication slot of the server behind `client` is behind (the runners' `throttle`). */
export async function readPostgresReplicationHealth(client: PostgresQueryable): Promise<DatabaseHealthReading> {
  const { rows } = await client.query(REPLICATION_HEALTH_SQL);
  return { replicas: rows.map((row) => ({ name: String(row.name), lagSeconds: finiteOrNull(row.lag_seconds), lagBytes: finiteOrNull(row.lag_bytes) })) };
}
