/**
 * The event runner in a process of its own for the backfill bench, through a mysql2 pool
 * (test-support/event-runner-child.mjs does the run and prints its JSON line; the bench reads the
 * server's CPU itself, from the whole `mariadbd` process).
 *
 *   node bench/runner-child.mjs '{"database":"bench_backfill_x","holder":"bench","workers":2}'
 */
import * as migrate from '@app/migrate/core';
import mysql from 'mysql2/promise';
import { runEventRunnerChild } from '../../../test-support/event-runner-child.mjs';
import { createMysqlStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const url = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
url.pathname = `/${options.database}`;
// The README's pool options (those of test/harness.ts, and a statement cache of 32), two connections per worker (the batch written and the next one read), three with writesInFlight: 2.
const pool = mysql.createPool({ uri: url.href, supportBigNumbers: true, bigNumberStrings: true, maxPreparedStatements: 32, connectionLimit: (1 + (options.writesInFlight ?? 1)) * (options.workers ?? 1) });
await runEventRunnerChild({ options, migrate, openStore: () => createMysqlStore({ client: pool }), close: () => pool.end() });
