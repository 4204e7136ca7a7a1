/**
 * vitest global setup: makes sure the real PostgreSQL server of the tests answers. Starts the
 * local Debian cluster when it is down, and creates the test database when it is missing. On a
 * machine without PostgreSQL the server tests are skipped with a warning, unless
 * REQUIRE_POSTGRES=1 (CI) makes that a failure.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { POSTGRES_URL } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether the real PostgreSQL server answered; the server tests run only then. */
    postgresAvailable: boolean;
  }
}

async function canConnect(url: string): Promise<{ ok: true } | { ok: false; code: string | undefined; message: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return { ok: true };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code, message: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function startLocalCluster(): void {
  let versions: string[] = [];
  try {
    versions = readdirSync('/etc/postgresql');
  } catch {
    return;
  }
  for (const version of versions) {
    try {
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
    } catch {
      // Already running, or not this version: the connection test below decides.
    }
  }
}

export default async function ensurePostgres(project: TestProject): Promise<void> {
  let result = await canConnect(POSTGRES_URL);
  if (!result.ok && result.code === 'ECONNREFUSED') {
    startLocalCluster();
    for (let attempt = 0; attempt < 20 && !result.ok; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = await canConnect(POSTGRES_URL);
    }
  }
  if (!result.ok && result.code === '3D000') {
    const url = new URL(POSTGRES_URL);
    const database = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    } finally {
      await admin.end();
    }
    result = await canConnect(POSTGRES_URL);
  }
  if (!result.ok) {
    const message = `The server tests need PostgreSQL at ${POSTGRES_URL} (set TEST_POSTGRES_URL): ${result.message}`;
    // CI sets REQUIRE_POSTGRES=1: there a missing server is a failure, never a silent skip.
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(message);
    console.warn(`@app/adapter-postgres: ${message}. Skipping them (PGlite tests still run); REQUIRE_POSTGRES=1 makes this a failure.`);
  }
  project.provide('postgresAvailable', result.ok);
}
