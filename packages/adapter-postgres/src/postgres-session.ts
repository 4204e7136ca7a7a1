import { oneAtATime, type SqlExecutor, type SqlSession } from '@app/sql-store';
import type { PostgresClient, PostgresClientKind, PostgresQueryable } from './postgres-client.js';
import { withTransaction } from './with-transaction.js';

function executorOn(target: PostgresQueryable): SqlExecutor {
  return {
    async query(sql, params) {
      return (await target.query(sql, params && [...params])).rows;
    },
    async execute(sql, params) {
      const result = await target.query(sql, params && [...params]);
      return typeof result.rowCount === 'number' ? result.rowCount : result.rows.length;
    },
  };
}

/**
 * The store's session over a client: statements go to the client as they are; a transaction
 * runs as {@link withTransaction} runs it. On a plain client (`client` kind), whose BEGIN/COMMIT
 * would take in any statement sent meanwhile, operations run one at a time.
 */
export function createPostgresSession(client: PostgresClient, kind: PostgresClientKind): SqlSession {
  const direct = executorOn(client);
  const transaction: SqlSession['transaction'] = (work) => withTransaction(client, kind, (tx) => work(executorOn(tx)));
  return kind === 'client' ? oneAtATime({ ...direct, transaction }) : { ...direct, transaction };
}
