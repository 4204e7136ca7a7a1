import { MigrationError } from '../errors.js';

/** What `--db` names, and how to open it. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql'; url: string }
  | { kind: 'sqlite'; file: string }
  | { kind: 'pglite'; directory: string };

const SQLITE_FILE = /\.(db|sqlite|sqlite3|db3)$/i;

/** `--db` as shown in messages: the password of a URL (`user:pw@`, `?password=`) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@').replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

/**
 * Tells which database `--db` names, from its form alone (nothing is opened):
 *
 * - `postgres://…`, `postgresql://…` → PostgreSQL (node-postgres);
 * - `mysql://…`, `mariadb://…` → MySQL or MariaDB (mysql2; `mariadb://` is read as `mysql://`);
 * - `sqlite:<path>`, `sqlite://<path>`, or a path ending in `.db`, `.sqlite`, `.sqlite3`, `.db3` →
 *   a SQLite file (better-sqlite3). `sqlite::memory:` is refused: a migration into a database
 *   that vanishes when the command ends would do nothing;
 * - any other path → a directory holding an embedded PGlite database (the default).
 *
 * @throws MigrationError `INVALID_OPTION` for another URL scheme or an empty SQLite path.
 */
export function parseDatabaseTarget(db: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(db)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: db };
  if (scheme === 'mysql' || scheme === 'mariadb') return { kind: 'mysql', url: scheme === 'mariadb' ? `mysql${db.slice('mariadb'.length)}` : db };
  if (scheme === 'sqlite') {
    const file = db.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file.length === 0 || file === ':memory:') {
      throw new MigrationError('INVALID_OPTION', `--db: "${db}" names no file; use sqlite:./path/to/file.db (an in-memory database would vanish with the command)`);
    }
    return { kind: 'sqlite', file };
  }
  // A one-letter "scheme" is a Windows drive (C:\data\app.db), not a URL.
  if (scheme !== undefined && scheme.length > 1 && /^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new MigrationError(
      'INVALID_OPTION',
      `--db: unsupported database URL "${redactDatabaseUrl(db)}"; use postgres://…, mysql://…, sqlite:<file>, a .db file, or a directory for the embedded database`,
    );
  }
  if (SQLITE_FILE.test(db)) return { kind: 'sqlite', file: db };
  return { kind: 'pglite', directory: db };
}
