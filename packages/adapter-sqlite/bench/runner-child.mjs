/**
 * The event runner in a process of its own for the backfill bench, on a SQLite file
 * (test-support/event-runner-child.mjs does the run and prints its JSON line). SQLite works in
 * this process, so its page cache and its CPU count in the runner's figures too.
 *
 *   node bench/runner-child.mjs '{"file":"/tmp/…/test.db"}'
 */
import * as migrate from '@app/migrate/core';
import Database from 'better-sqlite3';
import { runEventRunnerChild } from '../../../test-support/event-runner-child.mjs';
import { createSqliteStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const database = new Database(options.file);
await runEventRunnerChild({ options, migrate, openStore: () => createSqliteStore({ database }), close: () => database.close() });
