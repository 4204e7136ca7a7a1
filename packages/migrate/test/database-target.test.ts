import { describe, expect, it } from 'vitest';
import { parseDatabaseTarget, redactDatabaseUrl } from '../src/cli/database-target.js';
import { missingPackageError } from '../src/cli/open-store.js';
import { MigrationError } from '../src/index.js';

describe('--db: which adapter for which value', () => {
  it.each([
    ['postgres://app:pw@db.example.com:5432/prod', { kind: 'postgres', url: 'postgres://app:pw@db.example.com:5432/prod' }],
    ['postgresql://localhost/test', { kind: 'postgres', url: 'postgresql://localhost/test' }],
    ['mysql://root@127.0.0.1:3306/test', { kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' }],
    ['MYSQL://root@host/db', { kind: 'mysql', url: 'MYSQL://root@host/db' }],
    ['mariadb://root@host/db', { kind: 'mysql', url: 'mysql://root@host/db' }],
    ['sqlite:./data/app.db', { kind: 'sqlite', file: './data/app.db' }],
    ['sqlite:///var/lib/app/events', { kind: 'sqlite', file: '/var/lib/app/events' }],
    ['./data.db', { kind: 'sqlite', file: './data.db' }],
    ['events.SQLITE3', { kind: 'sqlite', file: 'events.SQLITE3' }],
    ['C:\\data\\app.sqlite', { kind: 'sqlite', file: 'C:\\data\\app.sqlite' }],
    ['.migrate-db', { kind: 'pglite', directory: '.migrate-db' }],
    ['/srv/app/pgdata', { kind: 'pglite', directory: '/srv/app/pgdata' }],
  ])('%s', (db, expected) => {
    expect(parseDatabaseTarget(db)).toEqual(expected);
  });

  it('refuses other schemes and an in-memory SQLite database, with the password hidden', () => {
    const error = (() => {
      try {
        parseDatabaseTarget('mongodb://admin:s3cret@host/db');
      } catch (caught) {
        return caught;
      }
    })() as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('mongodb://admin:***@host/db');
    expect(error.message).not.toContain('s3cret');
    expect(() => parseDatabaseTarget('sqlite::memory:')).toThrow(/names no file/);
    expect(() => parseDatabaseTarget('sqlite:')).toThrow(/names no file/);
  });

  it('redacts passwords only', () => {
    expect(redactDatabaseUrl('mysql://root:pw@host/db')).toBe('mysql://root:***@host/db');
    expect(redactDatabaseUrl('mysql://root@host/db')).toBe('mysql://root@host/db');
  });

  it('names the packages to install when an adapter or driver is missing', () => {
    const error = missingPackageError('@app/adapter-mysql', '--db mysql://root@host/db', 'npm install @app/adapter-mysql mysql2');
    expect(error.code).toBe('ADAPTER_MISSING');
    expect(error.message).toBe(
      '--db mysql://root@host/db needs the package "@app/adapter-mysql", which is not installed. Install it: npm install @app/adapter-mysql mysql2',
    );
  });
});
