import { createPostgresStore, quoteIdentifier } from '@app/adapter-postgres';
import { createMemoryStore } from '@app/migrate';
import { conformanceSeed } from '@app/migrate/testing';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type {} from '../../adapter-postgres/test/ensure-postgres.js';
import { POSTGRES_URL, insertSeed, uniqueName } from '../../adapter-postgres/test/harness.js';
import { AdminConfigError } from '../src/index.js';
import { ADMIN_TOKEN, createTestHandler, hostileSeed, sessionRequest, signIn } from './admin-test-kit.js';

describe('createAdminHandler throttle option', () => {
  it('is refused, naming the option, without health to read, without a limit, or with a bad value', () => {
    const memory = createMemoryStore(conformanceSeed());
    const refusal = (throttle: object) => {
      try {
        createTestHandler(memory, { throttle });
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(refusal({ maxReplicationLagSeconds: 10 })).toMatchObject({ name: 'AdminConfigError', option: 'throttle.health', message: expect.stringContaining("this store (memory) cannot read its replicas' lag") });
    const health = { readDatabaseHealth: async () => ({ replicas: [] }) };
    expect(refusal({ health })).toMatchObject({ option: 'throttle', message: 'createAdminHandler: throttle needs maxReplicationLagSeconds or maxReplicationLagBytes' });
    expect(refusal({ health, maxReplicationLagSeconds: -1 })).toBeInstanceOf(AdminConfigError);
    expect(refusal({ health, maxReplicationLagSeconds: -1 })).toMatchObject({ option: 'throttle.maxReplicationLagSeconds', message: 'createAdminHandler: throttle.maxReplicationLagSeconds must be a finite number of at least 0, got -1' });
    expect(refusal({ health, maxReplicationLagBytes: 1024 })).toBeNull();
  });
});

describe.runIf(inject('postgresAvailable'))('the events slices with a throttle, on the real PostgreSQL server', () => {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  const schema = uniqueName('admin_throttle');
  const slot = `test_throttle_slot_admin_${Math.random().toString(36).slice(2, 8)}`;
  afterAll(async () => {
    await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('a slice waits while a replication slot is behind, within its time box, says why, and the run goes on once it is gone', async () => {
    const store = createPostgresStore({ client: pool, schema, createLegacyTables: true });
    await store.ensureSchema();
    await insertSeed(pool, hostileSeed(), schema);
    // A slot no one reads, behind by the WAL of everything written after it: 1 kB is soon past.
    await pool.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
    await pool.query(`CREATE TABLE ${quoteIdentifier(schema)}.filler AS SELECT g, repeat('x', 100) AS text FROM generate_series(1, 100) AS g`);
    const handler = createTestHandler(store, { sliceMs: 300, batchSize: 20, throttle: { maxReplicationLagBytes: 1024, pauseMs: 50 } });
    const admin = await signIn(handler, ADMIN_TOKEN);
    const slice = async (start: boolean) => {
      const response = await handler(sessionRequest(admin, 'POST', '/migration/events/slice', start ? { start: '1' } : {}, { accept: 'application/json' }));
      expect(response.status).toBe(200);
      return (await response.json()) as { state: string; processed: number; waitingFor?: string; message?: string };
    };

    // Two slices while the slot lags: each ends with its box, nothing written, and says what it waits for.
    for (const start of [true, false]) {
      const answer = await slice(start);
      expect(answer).toMatchObject({ state: 'running', processed: 0, waitingFor: expect.stringMatching(new RegExp(`^replica slot ${slot} has [\\d.,]+ (bytes|kB|MB) of log to apply \\(limit 1,024 bytes\\)$`)) });
      expect(answer.message).toBe(`Waiting for the database: ${answer.waitingFor}.`);
    }
    expect(await store.eventStatus()).toMatchObject({ migrated: 0 });

    // The standby is gone: the next slices write, and the run completes.
    await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
    let answer = await slice(false);
    for (let slices = 0; answer.state === 'running' && slices < 100; slices++) answer = await slice(false);
    expect(answer).toMatchObject({ state: 'completed', processed: 121 });
    expect(answer).not.toHaveProperty('waitingFor');
    expect(await store.eventStatus()).toMatchObject({ migrated: 117 });
  });
});
