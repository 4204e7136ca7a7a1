import { BatchRecordsText, exactInteger, oneAtATime, type SqlExecutor, type SqlRow, type SqlSession } from '@app/sql-store';
import { MysqlBatchBytes } from './mysql-batch-bytes.js';
import type { MysqlClient, MysqlConnection, MysqlField, MysqlPool, MysqlQueryable } from './mysql-client.js';

/**
 * How the store reads a column, whatever the pool's options. JSON columns as their text on both
 * servers (MySQL's JSON type, MariaDB's LONGTEXT marked json), which mysql2 would otherwise parse
 * itself: the dialect decodes them once, the same way, by column. BIGINT exactly
 * ({@link exactInteger}: a number while safe, text past 2^53), even on a pool without
 * `supportBigNumbers`, where mysql2 would round owner keys past 2^53 into another tenant's.
 */
const readColumn = (field: MysqlField, next: () => unknown) => {
  if (field.type === 'JSON' || field.extendedFormat === 'json') return field.string('utf8');
  if (field.type === 'LONGLONG') {
    const text = field.string('ascii');
    return text === null ? null : exactInteger(BigInt(text));
  }
  return next();
};

/** Errors of a server that turned read-only (1290 `--read-only`, 1792 a read-only transaction, 1836 read-only mode). */
const READ_ONLY_ERRORS = new Set([1290, 1792, 1836]);

/** Tells a pool from a single connection by its shape. */
export function isMysqlPool(client: MysqlClient): client is MysqlPool {
  return typeof (client as Partial<MysqlPool>).getConnection === 'function';
}

/**
 * Rows an UPDATE matched, whatever the connection's flags: the server's `Rows matched: n` when it
 * sent one, else `affectedRows` (matched rows under mysql2's default CLIENT_FOUND_ROWS flag).
 * Without that flag `affectedRows` counts changed rows only, and a flag patch setting the values
 * it already has would look like a missing flag.
 */
function matchedRows(header: { affectedRows?: number; info?: string }): number {
  const matched = /Rows matched:\s*(\d+)/i.exec(header.info ?? '');
  return matched?.[1] === undefined ? Number(header.affectedRows ?? 0) : Number(matched[1]);
}

/**
 * The length of text from which a write's parameter goes to the server as a prepared statement's
 * value. `query` escapes every parameter into the statement's text, so a batch's rows as one
 * JSON document (about 2 kB a row) would exist three times over as strings of V8's large-object
 * space (the document, its escaped copy, the statement): the allocations that most kept the
 * runner's heap growing to four times its live size before each full collection (see the README).
 */
const LARGE_PARAMETER_LENGTH = 16_384;

const hasLargeText = (params: readonly unknown[]) =>
  params.some((value) => value instanceof BatchRecordsText || (typeof value === 'string' && value.length >= LARGE_PARAMETER_LENGTH));

/** The values as mysql2 gets them: a batch's rows (BatchRecordsText) as their text, made now. */
const asText = (params: readonly unknown[]) => params.map((value) => (value instanceof BatchRecordsText ? String(value) : value));

function executorOn(target: MysqlQueryable, timeoutMs: number, batchBytes: MysqlBatchBytes): SqlExecutor {
  const timeout = timeoutMs > 0 ? { timeout: timeoutMs } : {};
  return {
    async query(sql, params = []) {
      const [rows] = await target.query({ sql, values: asText(params), typeCast: readColumn, ...timeout });
      return rows as SqlRow[];
    },
    async execute(sql, params = []) {
      // A statement with a large text keeps its shape from batch to batch: one prepared statement per connection.
      const prepared = target.execute !== undefined && hasLargeText(params);
      const run = prepared ? target.execute!.bind(target) : target.query.bind(target);
      const rowsAt = params.findIndex((value) => value instanceof BatchRecordsText);
      let header: unknown;
      if (prepared && rowsAt >= 0 && MysqlBatchBytes.available) {
        // The batch's rows as bytes, made just before the statement and sent as they are (the statement converts them to text).
        [header] = await batchBytes.with(params[rowsAt] as BatchRecordsText, (bytes) => {
          const values = [...params];
          values[rowsAt] = bytes;
          return run({ sql, values, typeCast: readColumn, ...timeout });
        });
      } else {
        [header] = await run({ sql, values: asText(params), typeCast: readColumn, ...timeout });
      }
      return matchedRows(header as { affectedRows?: number; info?: string });
    },
  };
}

/**
 * The store's session over a mysql2 pool (a transaction holds one connection from BEGIN to
 * COMMIT) or one connection (operations run one at a time, since a connection runs one
 * transaction at a time). `timeoutMs` (0: none) bounds every statement.
 */
export function createMysqlSession(client: MysqlClient, timeoutMs = 0): SqlSession {
  // Buffers for batches' rows, reused from batch to batch by this session's writes.
  const batchBytes = new MysqlBatchBytes();
  const direct = executorOn(client, timeoutMs, batchBytes);

  async function inTransaction<T>(connection: MysqlConnection, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await connection.beginTransaction();
    try {
      const result = await work(executorOn(connection, timeoutMs, batchBytes));
      await connection.commit();
      return result;
    } catch (error) {
      // The original error matters more than a failed rollback (the connection may be gone).
      await connection.rollback().catch(() => connection.destroy?.());
      throw error;
    }
  }

  if (isMysqlPool(client)) {
    const pool = client;
    // A statement outside a transaction runs on a connection taken for it, not through the pool's
    // own query(): V8 promoted to its old generation about 2.5 kB of every row read through that
    // one (the batch read, all of it), against almost nothing this way (mysql2 3.24, a loop of
    // reads alone under --trace-gc-nvp; see the README's memory section).
    async function onConnection<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> {
      const connection = await pool.getConnection();
      let failedReadOnly = false;
      try {
        return await work(executorOn(connection, timeoutMs, batchBytes));
      } catch (error) {
        failedReadOnly = READ_ONLY_ERRORS.has(Number((error as { errno?: unknown } | null)?.errno));
        throw error;
      } finally {
        // As mysql2's pool does: a connection to a server turned read-only (a failover) is not reused.
        if (failedReadOnly) connection.destroy?.();
        else connection.release?.();
      }
    }
    return {
      query: (sql, params) => onConnection((executor) => executor.query(sql, params)),
      execute: (sql, params) => onConnection((executor) => executor.execute(sql, params)),
      async transaction(work) {
        const connection = await pool.getConnection();
        try {
          return await inTransaction(connection, work);
        } finally {
          connection.release?.();
        }
      },
    };
  }

  return oneAtATime({ ...direct, transaction: (work) => inTransaction(client, work) });
}
