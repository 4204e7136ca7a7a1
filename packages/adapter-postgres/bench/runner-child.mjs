/**
 * The event runner in a process of its own for the backfill benches, through a pg Pool
 * (test-support/event-runner-child.mjs does the run and prints its JSON line). The server's CPU is
 * that of the pool's PostgreSQL backends, read from `/proc/<pid>/stat` of each (only when the
 * server runs on this machine; `null` otherwise). The pool holds two connections per worker (the
 * batch written and the next one read), three with `writesInFlight: 2`, all opened before the run and kept open (no idle
 * timeout), so every backend that does its work lives through the whole run.
 *
 *   node bench/runner-child.mjs '{"schema":"s","holder":"bench","tables":{"events":"events_10000"},"workers":2}'
 */
import * as migrate from '@app/migrate/core';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { runEventRunnerChild } from '../../../test-support/event-runner-child.mjs';
import { createPostgresStore } from '../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const connections = (1 + (options.writesInFlight ?? 1)) * (options.workers ?? 1);
const pool = new pg.Pool({ connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: connections, idleTimeoutMillis: 0 });
/** Microseconds of CPU (user and system) a local process has used; null when its /proc entry cannot be read. */
const processCpuMicros = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks of 1/100 s (USER_HZ)
  } catch {
    return null;
  }
};
/** Opens the pool's backends and keeps them; the function returned gives the CPU they have used since, or null. */
async function serverCpu() {
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  let backends;
  try {
    const pids = await Promise.all(clients.map(async (client) => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
    backends = pids.map((pid) => ({ pid, cpu: processCpuMicros(pid) }));
  } finally {
    for (const client of clients) client.release();
  }
  return () => {
    let total = 0;
    for (const { pid, cpu } of backends) {
      const now = processCpuMicros(pid);
      if (now === null || cpu === null) return null;
      total += now - cpu;
    }
    return total;
  };
}
await runEventRunnerChild({
  options,
  migrate,
  openStore: () => createPostgresStore({ client: pool, schema: options.schema, tables: options.tables }),
  serverCpu,
  close: () => pool.end(),
});
