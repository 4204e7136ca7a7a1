import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlStore } from '@app/adapter-mysql';
import { createPostgresStore } from '@app/adapter-postgres';
import { createSqliteStore } from '@app/adapter-sqlite';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, createPool } from '../../adapter-postgres/test/harness.js';
import { EXIT_CODES } from '../src/cli/exit-codes.js';
import { cli } from './cli-process.js';
import { listening, startSilentServer } from './cli-faults-process.js';

// Databases that do not answer: a TCP server that accepts and stays silent (a hung server, a
// firewall swallowing packets), and real servers whose tables a test transaction keeps locked.
// Every command must give up within its documented timeout, with exit 75 and one clear line.
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

let dir: string;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-timeouts-'));
  silent = await startSilentServer();
});
afterAll(async () => {
  await silent?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, config: object): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(config));
  return file;
}

describe('a server that accepts the connection and never answers', () => {
  it('status gives up after the documented 10 s connect timeout, on PostgreSQL and MySQL alike, with exit 75', async () => {
    const [postgres, mariadb] = await Promise.all(
      [`postgres://postgres:s3cret@127.0.0.1:${silent.port}/app`, `mysql://root:s3cret@127.0.0.1:${silent.port}/app`].map(async (db) => {
        const started = Date.now();
        const run = await cli('status', '--db', db);
        return { ...run, elapsedMs: Date.now() - started };
      }),
    );
    for (const [run, name] of [
      [postgres!, 'PostgreSQL postgres://postgres:***@'],
      [mariadb!, 'MySQL/MariaDB mysql://root:***@'],
    ] as const) {
      expect(run.code, run.stderr).toBe(EXIT_CODES.TIMEOUT);
      expect(run.elapsedMs).toBeGreaterThanOrEqual(9_000);
      expect(run.elapsedMs).toBeLessThan(25_000);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`app-migrate status: ${name}127.0.0.1:${silent.port}/app did not answer in time`);
      expect(lines[0]).toContain('connect timeout 10000 ms');
      expect(run.stderr).not.toContain('s3cret');
    }
  }, 60_000);

  it('connectTimeoutMs of --config shortens the wait, for every command', async () => {
    const config = await configFile('connect-500', { connectTimeoutMs: 500 });
    const db = `postgres://postgres@127.0.0.1:${silent.port}/app`;
    const commands = [['init'], ['events'], ['campaigns'], ['verify'], ['status'], ['flags', 'list'], ['flags', 'set', 'testimonial_system', '--enabled']];
    const runs = await Promise.all(
      commands.map(async (command) => {
        const started = Date.now();
        const run = await cli(...command, '--db', db, '--config', config);
        return { command, ...run, elapsedMs: Date.now() - started };
      }),
    );
    for (const run of runs) {
      expect(run.code, `${run.command.join(' ')}: ${run.stderr}`).toBe(EXIT_CODES.TIMEOUT);
      expect(run.stderr).toContain('did not answer in time');
      expect(run.stderr).toContain('connect timeout 500 ms');
      expect(run.elapsedMs).toBeLessThan(15_000);
    }
  }, 60_000);
});

const postgresAvailable = await listening(POSTGRES_URL, 'REQUIRE_POSTGRES');

describe.runIf(postgresAvailable)('a PostgreSQL statement that waits on a lock', () => {
  const pool = createPool();
  const schema = unique('timeouts');
  const locker: { client?: { query(sql: string): Promise<unknown>; release(): void } } = {};
  beforeAll(async () => {
    await createPostgresStore({ client: pool, schema, createLegacyTables: true }).ensureSchema();
    const client = await pool.connect();
    locker.client = client;
    await client.query('BEGIN');
    await client.query(`LOCK TABLE "${schema}".events IN ACCESS EXCLUSIVE MODE`);
  });
  afterAll(async () => {
    await locker.client?.query('ROLLBACK');
    locker.client?.release();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('status and verify give up after statementTimeoutMs with exit 75, naming the statement timeout', async () => {
    const config = await configFile('pg-statement', { schema, statementTimeoutMs: 1000 });
    for (const command of ['status', 'verify']) {
      const started = Date.now();
      const run = await cli(command, '--db', POSTGRES_URL, '--config', config);
      expect(run.code, run.stderr).toBe(EXIT_CODES.TIMEOUT);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(run.stderr).toContain('did not answer in time');
      expect(run.stderr).toContain('canceling statement due to statement timeout');
      expect(run.stderr).toContain('statement timeout 1000 ms');
    }
  }, 60_000);
});

const mariadbAvailable = await listening(MYSQL_URL, 'REQUIRE_MARIADB');

describe.runIf(mariadbAvailable)('a MariaDB statement that waits on a lock', () => {
  const admin = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 2 });
  const database = unique('timeouts');
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  let locker: mysql.Connection | undefined;
  beforeAll(async () => {
    await admin.query(`CREATE DATABASE \`${database}\``);
    const pool = mysql.createPool({ uri: url.href, connectionLimit: 2 });
    await createMysqlStore({ client: pool, createLegacyTables: true }).ensureSchema();
    await pool.end();
    locker = await mysql.createConnection({ uri: url.href });
    await locker.query('LOCK TABLES events WRITE');
  });
  afterAll(async () => {
    await locker?.query('UNLOCK TABLES');
    await locker?.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  it('status gives up after statementTimeoutMs with exit 75', async () => {
    const config = await configFile('mysql-statement', { statementTimeoutMs: 1000 });
    const started = Date.now();
    const run = await cli('status', '--db', url.href, '--config', config);
    expect(run.code, run.stderr).toBe(EXIT_CODES.TIMEOUT);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stderr).toContain('did not answer in time');
    expect(run.stderr).toContain('statement timeout 1000 ms');
  }, 60_000);
});

describe('a SQLite file another process keeps locked', () => {
  it('flags set gives up after busyTimeoutMs with exit 75', async () => {
    const file = join(dir, 'busy.db');
    const database = new Database(file);
    try {
      await createSqliteStore({ database, createLegacyTables: true }).ensureSchema();
      database.exec('BEGIN IMMEDIATE');
      const config = await configFile('busy', { busyTimeoutMs: 200 });
      const run = await cli('flags', 'set', 'testimonial_system', '--enabled', '--db', file, '--config', config);
      expect(run.code, run.stderr).toBe(EXIT_CODES.TIMEOUT);
      expect(run.stderr).toContain('did not answer in time');
      expect(run.stderr).toContain('busy timeout of 200 ms');
      database.exec('ROLLBACK');
    } finally {
      database.close();
    }
  }, 60_000);
});
