import type { PostgresClient, PostgresClientKind, PostgresPool, PostgresQueryable, PostgresTransactionRunner } from './postgres-client.js';

/** BEGIN … COMMIT on one connection; returns whether a failed transaction could be rolled back. */
async function beginCommit<T>(
  connection: PostgresQueryable,
  work: (tx: PostgresQueryable) => Promise<T>,
  onRollbackFailure: (error: unknown) => void = () => undefined,
): Promise<T> {
  await connection.query('BEGIN');
  try {
    const result = await work(connection);
    await connection.query('COMMIT');
    return result;
  } catch (error) {
    // The original error matters more than a failed rollback (the connection may be gone).
    await connection.query('ROLLBACK').catch(onRollbackFailure);
    throw error;
  }
}

/**
 * Runs `work` in one transaction on `client`: PGlite's `transaction()`, one pooled connection held
 * from BEGIN to COMMIT, or BEGIN/COMMIT on a plain client (which must not be shared with other
 * concurrent work meanwhile). Rolls back when `work` throws.
 */
export async function withTransaction<T>(
  client: PostgresClient,
  kind: PostgresClientKind,
  work: (tx: PostgresQueryable) => Promise<T>,
): Promise<T> {
  if (kind === 'pglite') return (client as PostgresTransactionRunner).transaction(work);
  if (kind === 'client') return beginCommit(client, work);
  const connection = await (client as PostgresPool).connect();
  let broken: Error | undefined;
  try {
    return await beginCommit(connection, work, (error) => {
      broken = error instanceof Error ? error : new Error(String(error));
    });
  } finally {
    // A connection left inside a transaction must not go back to the pool: releasing with an error destroys it.
    connection.release(broken);
  }
}
