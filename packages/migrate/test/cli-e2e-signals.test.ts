import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '@app/adapter-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, createPool } from '../../adapter-postgres/test/harness.js';
import { EXIT_CODES } from '../src/cli/exit-codes.js';
import { listening, msSince, startCli, startSilentServer } from './cli-faults-process.js';

// The real bin, signalled in each phase of a command: while connecting (to a server that never
// answers), while a query waits on a lock, and while a run's statement is in flight. The first
// SIGTERM or SIGINT must end every command promptly with exit 130, its connections closed; a second
// one ends it at once. (The batch loop's own stop, after the batch, is in cli-e2e-run-control.)
const PROMPTLY_MS = 5_000;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'app-migrate-signals-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const COMMANDS = [
  ['init'],
  ['events'],
  ['events', '--apply'],
  ['campaigns', '--apply'],
  ['verify'],
  ['status'],
  ['flags', 'list'],
  ['flags', 'rollback', 'testimonial_system'],
] as const;

describe('signalled while connecting to a server that never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent?.close();
  });

  for (const command of COMMANDS) {
    it(`${command.join(' ')} stops at the first SIGTERM with exit 130`, async () => {
      const connected = silent.waitForConnection();
      const run = startCli([...command, '--db', `postgres://postgres@127.0.0.1:${silent.port}/app`]);
      await connected;
      const signalled = Date.now();
      run.child.kill('SIGTERM');
      const ended = await run.exited;
      expect(ended.code, ended.stderr).toBe(EXIT_CODES.INTERRUPTED);
      expect(msSince(signalled)).toBeLessThan(PROMPTLY_MS);
      expect(ended.stderr).toContain('Stopping (SIGTERM)');
      expect(ended.stderr).toContain(`app-migrate ${command[0]}: stopped by SIGTERM before the end`);
    }, 60_000);
  }

  it('on MySQL too, and for SIGINT (Ctrl-C)', async () => {
    const connected = silent.waitForConnection();
    const run = startCli(['status', '--db', `mysql://root@127.0.0.1:${silent.port}/app`]);
    await connected;
    const signalled = Date.now();
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(ended.code, ended.stderr).toBe(EXIT_CODES.INTERRUPTED);
    expect(msSince(signalled)).toBeLessThan(PROMPTLY_MS);
    expect(ended.stderr).toContain('stopped by SIGINT before the end');
  }, 60_000);
});

const postgresAvailable = await listening(POSTGRES_URL, 'REQUIRE_POSTGRES');

describe.runIf(postgresAvailable)('signalled while a query waits on a lock (PostgreSQL)', () => {
  const pool = createPool();
  const locked = unique('signals');
  const eventsOnly = unique('signals_events');
  const lockers: { query(sql: string): Promise<unknown>; release(): void }[] = [];

  /** Holds ACCESS EXCLUSIVE locks on `tables` of `schema` until the end of the file. */
  async function lock(schema: string, tables: string[]) {
    const client = await pool.connect();
    lockers.push(client);
    await client.query('BEGIN');
    for (const table of tables) await client.query(`LOCK TABLE "${schema}".${table} IN ACCESS EXCLUSIVE MODE`);
  }

  /** Resolves once one more backend than `before` waits on a lock for a statement naming `schema`. */
  async function waitingBackends(schema: string): Promise<number> {
    const rows = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0", [schema]);
    return rows.rows[0].n as number;
  }
  async function untilOneMoreWaits(schema: string, before: number): Promise<void> {
    for (let tries = 0; tries < 600; tries++) {
      if ((await waitingBackends(schema)) > before) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no statement on ${schema} started waiting`);
  }

  async function config(schema: string): Promise<string> {
    const file = join(dir, `${schema}.json`);
    await writeFile(file, JSON.stringify({ schema }));
    return file;
  }

  beforeAll(async () => {
    for (const schema of [locked, eventsOnly]) await createPostgresStore({ client: pool, schema, createLegacyTables: true }).ensureSchema();
    await lock(locked, ['events', 'campaigns', 'feature_flags']);
    await lock(eventsOnly, ['events']);
  });
  afterAll(async () => {
    for (const client of lockers) {
      await client.query('ROLLBACK');
      client.release();
    }
    for (const schema of [locked, eventsOnly]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  for (const command of [['status'], ['verify'], ['flags', 'list'], ['events'], ['campaigns']]) {
    it(`${command.join(' ')} stops at the first SIGTERM while its query waits, with exit 130`, async () => {
      const before = await waitingBackends(locked);
      const run = startCli([...command, '--db', POSTGRES_URL, '--config', await config(locked)]);
      await untilOneMoreWaits(locked, before);
      const signalled = Date.now();
      run.child.kill('SIGTERM');
      const ended = await run.exited;
      expect(ended.code, ended.stderr).toBe(EXIT_CODES.INTERRUPTED);
      expect(msSince(signalled)).toBeLessThan(PROMPTLY_MS);
      expect(ended.stderr).toContain(`app-migrate ${command[0]}: stopped by SIGTERM before the end`);
    }, 60_000);
  }

  it('a run whose statement is in flight finishes it first; a second SIGTERM exits at once', async () => {
    const before = await waitingBackends(eventsOnly);
    const run = startCli(['events', '--apply', '--db', POSTGRES_URL, '--config', await config(eventsOnly)]);
    await untilOneMoreWaits(eventsOnly, before);
    run.child.kill('SIGTERM');
    const first = await Promise.race([run.exited.then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('running'), 1_500))]);
    expect(first).toBe('running');
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const ended = await run.exited;
    expect(ended.code, ended.stderr).toBe(EXIT_CODES.INTERRUPTED);
    expect(msSince(signalled)).toBeLessThan(PROMPTLY_MS);
    expect(ended.stderr).toContain('Stopping (SIGTERM)');
    expect(ended.stderr).toContain('Stopped by a second SIGTERM: exiting now.');
  }, 60_000);
});
