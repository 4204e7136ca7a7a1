import { MigrationError } from '@app/migrate';

/**
 * A database error inside the PostgreSQL store (code `STORE_ERROR`): the message names the
 * operation and the table; `sqlState` is PostgreSQL's error code (`42P01` undefined table…) and
 * `cause` the driver's error.
 */
export class PostgresStoreError extends MigrationError {
  readonly operation: string;
  readonly sqlState: string | undefined;

  constructor(operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORE_ERROR', `PostgreSQL store: ${operation} failed: ${detail}`, { cause });
    this.name = 'PostgresStoreError';
    this.operation = operation;
    const code = (cause as { code?: unknown } | null)?.code;
    this.sqlState = typeof code === 'string' ? code : undefined;
  }
}
