/** One replica (or, on PostgreSQL, an idle replication slot) and how far it is behind. */
export interface ReplicaLag {
  /** As the database names it: `application_name` of the standby, `slot <name>`, a replica's host. */
  name: string;
  /** Seconds of replay it is behind; `null` when the database does not say (an idle slot, a stopped replica, a missing privilege). */
  lagSeconds: number | null;
  /** Bytes of the primary's log it has yet to apply (or, for a slot, that the primary keeps for it); `null` when not known. */
  lagBytes: number | null;
  /**
   * The replica says it is not applying changes (MySQL's SQL thread stopped: no lag to report).
   * A runner waits for it as for one too far behind, as pt-online-schema-change does.
   */
  stopped?: boolean;
}

/**
 * What a database says of its replicas, read by a runner between batches to decide whether to
 * pause ({@link DatabaseHealth}). An empty list: no replica reports to it, nothing to wait for.
 */
export interface DatabaseHealthReading {
  replicas: ReplicaLag[];
}

/**
 * The port a runner's throttle reads: a store (or any object) that can say how far its database's
 * replicas are behind. The PostgreSQL store reads `pg_stat_replication` and the idle replication
 * slots of the server it writes to; the MySQL/MariaDB store reads `SHOW REPLICA STATUS` on the
 * replica connections it is given.
 */
export interface DatabaseHealth {
  /** Reads the replicas' lag now; rejects when the database cannot be asked (a lost connection, say). */
  readDatabaseHealth(): Promise<DatabaseHealthReading>;
}

/** Whether `value` (a store, say) implements {@link DatabaseHealth}. */
export const hasDatabaseHealth = (value: unknown): value is DatabaseHealth =>
  typeof (value as Partial<DatabaseHealth> | null)?.readDatabaseHealth === 'function';
