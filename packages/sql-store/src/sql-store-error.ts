import { MigrationError } from '@app/migrate';

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

  constructor(database: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORE_ERROR', `${database} store: ${operation} failed: ${detail}`, { cause });
    this.name = 'SqlStoreError';
    this.operation = operation;
    const code = (cause as { code?: unknown } | null)?.code;
    this.sqlState = typeof code === 'string' ? code : undefined;
  }
}
