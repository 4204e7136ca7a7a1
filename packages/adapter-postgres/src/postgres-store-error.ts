import { SqlStoreError } from '@app/sql-store';

/**
 * A database error inside the PostgreSQL store (code `STORE_ERROR`): the message names the
 * operation and the table; `sqlState` is PostgreSQL's error code (`42P01` undefined table…) and
 * `cause` the driver's error. A {@link @app/sql-store!SqlStoreError | SqlStoreError}, as every
 * adapter's is.
 */
export class PostgresStoreError extends SqlStoreError {
  constructor(operation: string, cause: unknown) {
    super('PostgreSQL', operation, cause);
    this.name = 'PostgresStoreError';
  }
}
