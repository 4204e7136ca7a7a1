/** Driver codes of a connect or statement timeout: mysql2's connect and per-query timeouts, MariaDB's and MySQL's statement limits, SQLite's busy timeout. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'SQLITE_BUSY']);

/**
 * node-postgres gives its timeouts no code: the pool's and the client's connect timeouts, its
 * client-side `query_timeout`, and the server's `statement_timeout` (SQLSTATE 57014, which a
 * cancel by hand shares, hence the message). Nor does mysql2 know MariaDB's own errors: a
 * statement past `max_statement_time` (1969, a batch's `statementTimeoutMs`) comes without a code,
 * and so is told by its message, as is MySQL's `max_execution_time` (3024).
 */
const TIMEOUT_MESSAGE =
  /timeout expired|timeout exceeded when trying to connect|connection terminated due to connection timeout|query read timeout|canceling statement due to statement timeout|max_statement_time exceeded|maximum statement execution time exceeded/i;

/**
 * Whether `error`, or an error it wraps (`cause`), is a database connect or statement timeout:
 * the server did not answer in time, as opposed to answering with an error.
 */
export function isDatabaseTimeout(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return true;
    if (typeof message === 'string' && TIMEOUT_MESSAGE.test(message)) return true;
    current = cause;
  }
  return false;
}
