import { throttleReason } from '@app/migrate';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMysqlStore } from '../src/index.js';
import { replicaLagOf } from '../src/read-mysql-replication-health.js';
import mysql from 'mysql2/promise';
import { createAdminPool } from './harness.js';

describe('replicaLagOf', () => {
  it("reads MySQL's and MariaDB's words for the lag, and a NULL lag as a stopped replica", () => {
    expect(replicaLagOf('r1', { Replica_IO_Running: 'Yes', Seconds_Behind_Source: 12 })).toEqual({ name: 'r1', lagSeconds: 12, lagBytes: null });
    expect(replicaLagOf('r2', { Slave_IO_Running: 'Yes', Seconds_Behind_Master: '0' })).toEqual({ name: 'r2', lagSeconds: 0, lagBytes: null });
    expect(replicaLagOf('r3', { Slave_SQL_Running: 'No', Seconds_Behind_Master: null })).toEqual({ name: 'r3', lagSeconds: null, lagBytes: null, stopped: true });
  });
});

describe.runIf(inject('mysqlAvailable'))('replication health on the real MariaDB server', () => {
  const admin = createAdminPool();
  afterAll(async () => {
    await admin.end();
  });

  it('without replicas the store has no health to read: a primary cannot see its replicas', () => {
    expect(createMysqlStore({ client: admin }).readDatabaseHealth).toBeUndefined();
  });

  it('refuses a connection that is not a replica, naming it', async () => {
    const store = createMysqlStore({ client: admin, replicas: [{ name: 'primary-by-mistake', client: admin }] });
    await expect(store.readDatabaseHealth!()).rejects.toMatchObject({ code: 'STORE_ERROR', message: expect.stringContaining('primary-by-mistake is not a replica') });
  });

  it('names the replica that cannot be read, and gives its statement the store\'s statement timeout', async () => {
    // A replica nothing answers for (port 9 refuses), its statements recorded on their way to it.
    const unreachable = mysql.createPool({ host: '127.0.0.1', port: 9, user: 'root', connectTimeout: 2_000 });
    const statements: unknown[] = [];
    const recorded = { query: (options: { sql: string; timeout?: number }) => (statements.push(options), unreachable.query(options) as never) };
    try {
      const store = createMysqlStore({ client: admin, statementTimeoutMs: 2_500, replicas: [{ name: 'replica-eu', client: recorded }] });
      await expect(store.readDatabaseHealth!()).rejects.toMatchObject({ code: 'STORE_ERROR', message: expect.stringContaining('replica-eu: connect ECONNREFUSED 127.0.0.1:9') });
      expect(statements).toEqual([{ sql: 'SHOW REPLICA STATUS', timeout: 2_500 }]);
    } finally {
      await unreachable.end();
    }
  });

  it("reads the server's own replica status: configured but not running, it is a stopped replica and a run waits for it", async () => {
    // A replication source on a port nothing listens on, never started: the status row the
    // server itself writes, with no lag to report. Removed whatever happens.
    const connection = await admin.getConnection();
    try {
      await connection.query("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 9, MASTER_USER = 'nobody', MASTER_CONNECT_RETRY = 3600");
      const store = createMysqlStore({ client: admin, replicas: [{ name: 'replica-1', client: connection }] });
      const reading = await store.readDatabaseHealth!();
      expect(reading).toEqual({ replicas: [{ name: 'replica-1', lagSeconds: null, lagBytes: null, stopped: true }] });
      expect(throttleReason(reading, { maxReplicationLagSeconds: 60, maxReplicationLagBytes: Number.POSITIVE_INFINITY })).toBe('replica replica-1 has stopped replicating');
    } finally {
      await connection.query('RESET SLAVE ALL').catch(() => undefined);
      connection.release();
    }
  });
});
