import { type FlagMetricTotal, type FlagMetricsQuery, type FlagMetricsStore, invalidMetricRow, invalidMetricsDeletion, invalidMetricsQuery, mergedMetricRows, sortMetricTotals } from '@app/migrate/core';
import type { SqlFlagStoreParts } from './sql-flag-store.js';
import { SqlParameters } from './sql-parameters.js';

/** Rows per INSERT: 6 parameters each, far below every driver's limit; a write of more is several statements in one transaction. */
const ROWS_PER_STATEMENT = 200;
/** Attempts of a write that the database ended as a deadlock (concurrent upserts of the same new keys on InnoDB). */
const DEADLOCK_ATTEMPTS = 5;
const EARLIEST = Date.parse('1970-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** A deadlock or serialization failure, which the database resolved by ending this transaction: nothing of it was written. */
const isDeadlock = (error: unknown): boolean => {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === '40P01' || code === '40001' || code === 'ER_LOCK_DEADLOCK' || errno === 1213;
};

/**
 * The {@link @app/migrate!FlagMetricsStore | FlagMetricsStore} half of `createSqlStore`: the
 * telemetry table, written once for every dialect. A write is one transaction of upserts
 * (`ON CONFLICT … DO UPDATE` or `ON DUPLICATE KEY UPDATE`) that add each row's count to the
 * stored one, so concurrent writers never lose a count; its rows are merged and sorted by key
 * first, so two writers lock rows in the same order, and a write the database ends as a deadlock
 * is run again (it wrote nothing). A row that fails `invalidMetricRow` throws before anything is
 * written.
 */
export function sqlFlagMetricsStore(parts: SqlFlagStoreParts): FlagMetricsStore {
  const { dialect: d, session, names: n, guard } = parts;
  const q = (name: string) => d.quoteIdentifier(name);
  const parameters = () => new SqlParameters(d.placeholder?.bind(d));
  const time = (iso: string) => (d.timeParameter === undefined ? iso : d.timeParameter(iso));
  const count = q('count');
  const key = ['flag_name', 'window_start', 'metric', 'variant', 'reason'].map(q);
  const columns = ['window_start', 'flag_name', 'metric', 'variant', 'reason', 'count'].map(q).join(', ');
  const insertInto = d.upsert === 'on conflict' ? `INSERT INTO ${n.flagMetrics} AS target (${columns}) VALUES` : `INSERT INTO ${n.flagMetrics} (${columns}) VALUES`;
  const adding = d.upsert === 'on conflict' ? `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${count} = target.${count} + excluded.${count}` : `ON DUPLICATE KEY UPDATE ${count} = ${count} + VALUES(${count})`;

  return {
    async writeFlagMetrics(rows) {
      const problem = invalidMetricRow(rows);
      if (problem !== null) throw new TypeError(problem);
      const merged = mergedMetricRows(rows);
      if (merged.length === 0) return;
      await guard(`writing ${merged.length} flag telemetry rows`, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            await session.transaction(async (tx) => {
              for (let start = 0; start < merged.length; start += ROWS_PER_STATEMENT) {
                const p = parameters();
                const values = merged
                  .slice(start, start + ROWS_PER_STATEMENT)
                  .map((row) => `(${[time(row.windowStart), row.flagName, row.metric, row.variant, row.reason, row.count].map((value) => p.add(value)).join(', ')})`);
                await tx.execute(`${insertInto} ${values.join(', ')} ${adding}`, p.values);
              }
            });
            return;
          } catch (error) {
            if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
          }
        }
      });
    },

    async readFlagMetrics(query: FlagMetricsQuery = {}): Promise<FlagMetricTotal[]> {
      const problem = invalidMetricsQuery(query);
      if (problem !== null) throw new TypeError(problem);
      const since = query.since === undefined ? -Infinity : Date.parse(query.since);
      const until = query.until === undefined ? Infinity : Date.parse(query.until);
      // Stored windows lie in 1970–9999 (invalidMetricRow): a bound outside selects all or nothing, and never reaches a DATETIME that cannot hold it.
      if (since > LATEST || until <= EARLIEST || since >= until) return [];
      return guard('reading flag telemetry', async () => {
        const p = parameters();
        const conditions: string[] = [];
        if (query.flagName !== undefined) conditions.push(`${q('flag_name')} = ${p.add(query.flagName)}`);
        if (since > EARLIEST) conditions.push(`${q('window_start')} >= ${p.add(time(new Date(since).toISOString()))}`);
        if (until <= LATEST) conditions.push(`${q('window_start')} < ${p.add(time(new Date(until).toISOString()))}`);
        const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
        const grouped = ['flag_name', 'metric', 'variant', 'reason'].map(q).join(', ');
        const rows = await session.query(`SELECT ${grouped}, SUM(${count}) AS total FROM ${n.flagMetrics} ${where} GROUP BY ${grouped}`, p.values);
        // Sorted here, not by ORDER BY: collations differ between databases, the port's order does not.
        return sortMetricTotals(
          rows.map((row) => ({ flagName: String(row.flag_name), metric: String(row.metric), variant: row.variant === 'on' ? 'on' : 'off', reason: String(row.reason), count: Number(row.total) })),
        );
      });
    },

    async deleteFlagMetrics(query) {
      const problem = invalidMetricsDeletion(query);
      if (problem !== null) throw new TypeError(problem);
      const before = Date.parse(query.before);
      // As in readFlagMetrics: stored windows lie in 1970–9999, so a bound outside deletes none or all, with no DATETIME that cannot hold it.
      if (before <= EARLIEST) return 0;
      return guard('deleting old flag telemetry', async () => {
        if (before > LATEST) return session.execute(`DELETE FROM ${n.flagMetrics}`);
        const p = parameters();
        return session.execute(`DELETE FROM ${n.flagMetrics} WHERE ${q('window_start')} < ${p.add(time(new Date(before).toISOString()))}`, p.values);
      });
    },
  };
}
