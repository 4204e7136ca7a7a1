/**
 * A batch with rows commits without waiting for its WAL flush (`set_config('synchronous_commit',
 * 'off', true)` in its one statement), and only that batch: a checkpoint alone (the run's start,
 * its end, an abort) commits with the connection's own setting, which the run leaves as it found
 * it, so the completed checkpoint's flush makes every batch before it durable.
 *
 * The connection here says `synchronous_commit = local` (which flushes, as the server's default
 * `on` does), so a store that forced `on` would be seen too. Each write of the store, one
 * statement, runs in a transaction of the test's own: the setting read inside it is the one its
 * commit uses (a local setting lasts until then), and after the commit the WAL must be on disk past
 * the write's changes whenever the commit waited for it.
 */
import { runEventMigration } from '@app/migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PostgresQueryResult, createPostgresStore, quoteIdentifier } from '../src/index.js';
import { insertPayloadEvents, loadPayloadTemplates } from './fixtures/payload-events.js';
import { POSTGRES_URL, createPool, uniqueName } from './harness.js';

/** One write of the store (lease, rows or none, checkpoint: `WITH lease AS …`), as committed. */
interface CommittedWrite {
  /** It wrote rows; `false`: a checkpoint alone. */
  rows: boolean;
  /** `synchronous_commit` when it committed. */
  synchronousCommit: string;
  /** The WAL was flushed past the write's changes when its commit returned. */
  flushed: boolean;
}

/** A client over one connection that commits each of the store's writes in a transaction of its own, recording how; `onWrite` sees each. */
function observingClient(connection: pg.Client, onWrite: (writes: readonly CommittedWrite[]) => void) {
  const writes: CommittedWrite[] = [];
  const client = {
    async query(text: string, params?: unknown[]): Promise<PostgresQueryResult> {
      if (!text.startsWith('WITH lease AS')) return connection.query(text, params);
      await connection.query('BEGIN');
      try {
        const result = await connection.query(text, params);
        const state = (await connection.query("SELECT current_setting('synchronous_commit') AS setting, pg_current_wal_insert_lsn()::text AS lsn")).rows[0];
        await connection.query('COMMIT');
        const flushed = (await connection.query('SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS flushed', [state.lsn])).rows[0].flushed as boolean;
        writes.push({ rows: text.includes('written AS ('), synchronousCommit: state.setting, flushed });
        onWrite(writes);
        return result;
      } catch (error) {
        await connection.query('ROLLBACK');
        throw error;
      }
    },
  };
  return { client, writes };
}

describe.runIf(inject('postgresAvailable'))("a batch's commit without a WAL flush (real server)", () => {
  const pool = createPool();
  const schema = uniqueName('sync_commit');
  const s = quoteIdentifier(schema);
  const connection = new pg.Client({ connectionString: POSTGRES_URL, options: '-c synchronous_commit=local' });

  beforeAll(async () => {
    await createPostgresStore({ client: pool, createLegacyTables: true, schema }).ensureSchema();
    await insertPayloadEvents(pool, `${s}.events`, 45, loadPayloadTemplates());
    await connection.connect();
  });
  afterAll(async () => {
    await connection.end();
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool.end();
  });

  it("is the batch's own: checkpoints alone (start, abort, end) commit with the connection's setting, which the run leaves unchanged, and a completed run is durable", async () => {
    // The first run is stopped (Ctrl-C) once two batches are written: it writes an abort checkpoint.
    const controller = new AbortController();
    const { client, writes } = observingClient(connection, (done) => {
      if (done.filter((write) => write.rows).length === 2) controller.abort();
    });
    const store = createPostgresStore({ client, clientKind: 'client', schema });
    const aborted = await runEventMigration({ store, apply: true, batchSize: 10, signal: controller.signal });
    expect(aborted).toMatchObject({ status: 'aborted', counts: { processed: 20, written: 20 } });
    const completed = await runEventMigration({ store, apply: true, resume: true, batchSize: 10 });
    expect(completed).toMatchObject({ status: 'completed', counts: { processed: 45, written: 45 } });

    const checkpoint = { rows: false, synchronousCommit: 'local', flushed: true };
    const batch = { rows: true, synchronousCommit: 'off' };
    expect(writes.map((write) => (write.rows ? { rows: true, synchronousCommit: write.synchronousCommit } : write))).toEqual([
      // The first run: its start, two batches, its abort.
      checkpoint,
      batch,
      batch,
      checkpoint,
      // The resumed run: its start, the 25 rows left, its completion, flushed past every batch before it.
      checkpoint,
      batch,
      batch,
      batch,
      checkpoint,
    ]);
    expect((await connection.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('local');
    expect(await store.readCheckpoint('events')).toMatchObject({ status: 'completed', counts: { processed: 45, written: 45 } });
  });
});
