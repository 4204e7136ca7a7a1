import { hasDatabaseHealth } from '../database-health.js';
import { InvalidOptionError } from '../errors.js';
import { throttleReason } from '../throttle-reason.js';
import { type ThrottleOptions, throttleOf } from '../throttle.js';
import { type CliIo, say } from './cli-io.js';
import type { OpenedStore } from './open-store.js';
import type { ReplicationLagLimits } from './replication-lag-option.js';

/**
 * The throttle `--max-replication-lag` asks for, over the opened store's database health, checked
 * before any DDL: a store that cannot read its replicas is refused (`INVALID_OPTION`), and one
 * reading is taken now, so a missing privilege fails here and the operator sees what is watched.
 */
export async function watchReplicas(limits: ReplicationLagLimits, opened: OpenedStore, io: CliIo, what: string): Promise<ThrottleOptions> {
  const health = opened.storeForRunners;
  if (!hasDatabaseHealth(health)) {
    throw new InvalidOptionError(
      '--max-replication-lag',
      `${opened.description} has no replicas to watch: PostgreSQL reports its standbys and replication slots; a MySQL/MariaDB server's replicas are listed in --config as "replicas": ["mysql://…"] (or the store's "replicas" option in code)`,
    );
  }
  const throttle = { health, ...limits };
  const reading = await health.readDatabaseHealth();
  const watched = reading.replicas.map((replica) => replica.name).join(', ');
  const now = throttleReason(reading, throttleOf(throttle)!);
  say(
    io,
    reading.replicas.length === 0
      ? `Throttle: no replica or replication slot reports to this database now; ${what} pauses only if one does and falls behind.`
      : `Throttle: watching ${watched}; ${what} pauses while one is past the limit${now === null ? '' : `, as now: ${now}`}.`,
  );
  return throttle;
}
