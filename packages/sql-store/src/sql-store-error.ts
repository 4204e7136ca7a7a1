import { MigrationError } from '@app/migrate/core';

/**
 * Driver codes of a statement the database gave up on for a reason that passes, rolled back
 * whole: PostgreSQL's serialization failure (40001), deadlock (40P01) and lock timeout (55P03),
 * MySQL's deadlock and lock wait timeout, SQLite's busy file (past its busy timeout). A statement
 * timeout (57014, ER_QUERY_TIMEOUT) is not among them: the same statement would time out again,
 * and a cancelled query may be a signal's.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['40001', '40P01', '55P03', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/** Driver codes of a statement that waited for a lock past its limit: PostgreSQL's `lock_timeout` (55P03), InnoDB's lock waits, SQLite's busy timeout. */
const LOCK_TIMEOUT_CODES: ReadonlySet<string> = new Set(['55P03', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/** MySQL's `max_execution_time` (3024) and MariaDB's `max_statement_time` (1969), which mysql2 knows no code for. */
const STATEMENT_TIMEOUT_ERRNOS: ReadonlySet<number> = new Set([1969, 3024]);

/**
 * Which limit of the database ended the statement: `lock` (a lock wait past `lock_timeout`,
 * `innodb_lock_wait_timeout`, SQLite's busy timeout), `statement` (past `statement_timeout`,
 * `max_statement_time`), or neither. PostgreSQL's 57014 is a statement timeout only by its message:
 * a cancel by hand shares the code.
 */
function timeoutOf(code: string | undefined, cause: unknown): 'lock' | 'statement' | undefined {
  if (code !== undefined && LOCK_TIMEOUT_CODES.has(code)) return 'lock';
  const { errno, message } = (cause ?? {}) as { errno?: unknown; message?: unknown };
  if (code === '57014') return typeof message === 'string' && message.includes('statement timeout') ? 'statement' : undefined;
  if (code === 'ER_QUERY_TIMEOUT' || code === 'ER_STATEMENT_TIMEOUT' || (typeof errno === 'number' && STATEMENT_TIMEOUT_ERRNOS.has(errno))) return 'statement';
  return undefined;
}

/**
 * A database error inside a SQL store (code `STORE_ERROR`): the message names the database and
 * the operation; `sqlState` is the driver's error code (`ER_NO_SUCH_TABLE`, `SQLITE_BUSY`…) and
 * `cause` the driver's error.
 */
export class SqlStoreError extends MigrationError {
  /** What the store was doing (`reading events after evt-0100`). */
  readonly operation: string;
  /** The driver's error code, when it has one. */
  readonly sqlState: string | undefined;
  /**
   * Whether the statement may succeed when tried again unchanged (a deadlock, a lock wait past its
   * timeout, a busy SQLite file): it was rolled back whole. The runners try such a batch again
   * (`isRetryable` of `@app/migrate`).
   */
  readonly retryable: boolean;
  /**
   * The limit of the database that ended the statement, when one did: `lock`, a lock wait past its
   * timeout (retryable too); `statement`, a statement past its timeout. A runner with a
   * `timeoutThrottle` (`@app/migrate`) pauses on either and writes the batch again, smaller.
   */
  readonly timeout: 'lock' | 'statement' | undefined;

  constructor(database: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORE_ERROR', `${database} store: ${operation} failed: ${detail}`, { cause });
    this.name = 'SqlStoreError';
    this.operation = operation;
    const code = (cause as { code?: unknown } | null)?.code;
    this.sqlState = typeof code === 'string' ? code : undefined;
    this.retryable = this.sqlState !== undefined && RETRYABLE_CODES.has(this.sqlState);
    this.timeout = timeoutOf(this.sqlState, cause);
  }
}
