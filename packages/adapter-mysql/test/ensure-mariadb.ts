/**
 * vitest global setup: makes sure the real MySQL/MariaDB server of the tests answers, starting
 * the local MariaDB when it is down and creating the tests' database when it is missing. On a
 * machine without one the server tests are skipped with a warning, unless REQUIRE_MARIADB=1 (CI)
 * makes that a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { TestProject } from 'vitest/node';
import { quoteMysqlIdentifier } from '../src/index.js';
import { MYSQL_URL } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether the real MySQL/MariaDB server answered; the server tests run only then. */
    mysqlAvailable: boolean;
  }
}

async function canConnect(): Promise<{ ok: true } | { ok: false; code: string | undefined; message: string }> {
  try {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await connection.end();
    return { ok: true };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

export default async function ensureMariadb(project: TestProject): Promise<void> {
  let result = await canConnect();
  if (!result.ok && result.code === 'ECONNREFUSED' && existsSync('/usr/sbin/mariadbd')) {
    spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 30 && !result.ok; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await canConnect();
    }
  }
  if (!result.ok && result.code === 'ER_BAD_DB_ERROR') {
    // The server answers but the tests' database is missing (a fresh install): create it.
    const url = new URL(MYSQL_URL);
    const database = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/';
    const connection = await mysql.createConnection({ uri: url.href, connectTimeout: 3000 });
    try {
      await connection.query(`CREATE DATABASE IF NOT EXISTS ${quoteMysqlIdentifier(database)}`);
    } finally {
      await connection.end();
    }
    result = await canConnect();
  }
  if (!result.ok) {
    const message = `The server tests need MySQL or MariaDB at ${MYSQL_URL} (set TEST_MYSQL_URL): ${result.message}`;
    // CI sets REQUIRE_MARIADB=1: there a missing server is a failure, never a silent skip.
    if (process.env.REQUIRE_MARIADB === '1') throw new Error(message);
    console.warn(`@app/adapter-mysql: ${message}. Skipping them; REQUIRE_MARIADB=1 makes this a failure.`);
  }
  project.provide('mysqlAvailable', result.ok);
}
