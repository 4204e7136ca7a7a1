import type { StoreSeed, StoreSnapshot } from '@app/migrate/testing';
import pg from 'pg';
import type { PostgresQueryable } from '../src/index.js';
import { quoteIdentifier } from '../src/index.js';

/** The real server of the tests (trust auth). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other run uses. */
export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** A pool on the real server. */
export const createPool = () => new pg.Pool({ connectionString: POSTGRES_URL, max: 6 });

/** The legacy tables as a team has them before the migration: no canonical_event, no data_sources_v2. */
export async function createLegacyTables(db: PostgresQueryable, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await db.query(`CREATE TABLE ${s}.events (id text PRIMARY KEY, integration_type text, event_type text, event_data jsonb, created_at timestamptz)`);
  await db.query(
    `CREATE TABLE ${s}.campaigns (id text PRIMARY KEY, user_id bigint, data_source text, native_config jsonb, integration_settings jsonb, name text)`,
  );
  await db.query(
    `CREATE TABLE ${s}.integrations (id text PRIMARY KEY, user_id bigint, provider text, status text, deleted_at timestamptz, settings jsonb)`,
  );
}

/** Inserts the conformance seed into tables named as the product names them, in `schema` (or the search_path). */
export async function insertSeed(db: PostgresQueryable, seed: StoreSeed, schema?: string): Promise<void> {
  const t = (name: string) => (schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`);
  await db.query(`INSERT INTO ${t('events')} (id, integration_type, event_type, event_data, created_at, canonical_event)
    SELECT x.id, x.integration_type, x.event_type, x.event_data, x.created_at, x.canonical_event
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, integration_type text, event_type text, event_data jsonb, created_at timestamptz, canonical_event jsonb)`, [
    JSON.stringify(seed.events),
  ]);
  await db.query(`INSERT INTO ${t('campaigns')} (id, user_id, data_source, native_config, integration_settings, data_sources_v2, name)
    SELECT x.id, x.user_id, x.data_source, x.native_config, x.integration_settings, x.data_sources_v2, x.name
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, user_id bigint, data_source text, native_config jsonb, integration_settings jsonb, data_sources_v2 jsonb, name text)`, [
    JSON.stringify(seed.campaigns),
  ]);
  await db.query(`INSERT INTO ${t('integrations')} (id, user_id, provider, status, deleted_at, settings)
    SELECT x.id, x.user_id, x.provider, x.status, x.deleted_at, x.settings
    FROM jsonb_to_recordset($1::jsonb) AS x(id text, user_id bigint, provider text, status text, deleted_at timestamptz, settings jsonb)`, [
    JSON.stringify(seed.integrations),
  ]);
  await db.query(`INSERT INTO ${t('feature_flags')} (name, description, enabled, rollout_percentage, metadata)
    SELECT x.name, x.description, x.enabled, x.rollout_percentage, x.metadata
    FROM jsonb_to_recordset($1::jsonb) AS x(name text, description text, enabled boolean, rollout_percentage int, metadata jsonb)
    ON CONFLICT (name) DO UPDATE SET description = excluded.description, enabled = excluded.enabled,
      rollout_percentage = excluded.rollout_percentage, metadata = excluded.metadata`, [JSON.stringify(seed.flags)]);
}

/** Reads every table directly (as JSON, so both drivers agree), ordered as the suite expects. */
export async function readSnapshot(db: PostgresQueryable, schema?: string): Promise<StoreSnapshot> {
  const t = (name: string) => (schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`);
  const events = await db.query(`SELECT id, event_data, canonical_event FROM ${t('events')} ORDER BY id`);
  // created_at is a column of the tables ensureSchema creates, not of the seed.
  // user_id as its digits: to_jsonb makes a bigint a JSON number, which JSON.parse would round past 2^53.
  const campaigns = await db.query(`SELECT to_jsonb(c) - 'created_at' || jsonb_build_object('user_id', c.user_id::text) AS row FROM ${t('campaigns')} AS c ORDER BY id`);
  const flags = await db.query(`SELECT to_jsonb(f) AS row FROM ${t('feature_flags')} AS f ORDER BY name`);
  return {
    events: events.rows as StoreSnapshot['events'],
    campaigns: campaigns.rows.map((r) => r.row as StoreSnapshot['campaigns'][number]),
    flags: flags.rows.map((r) => r.row as Record<string, unknown>),
  };
}

/** Everything of `schema` the catalog records that ensureSchema may change: the schema, relations, columns, RLS, policies, privileges. */
export async function readCatalog(db: PostgresQueryable, schema: string): Promise<unknown> {
  const namespace = await db.query('SELECT nspname, nspacl::text AS acl FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  const relations = await db.query(
    `SELECT c.relname, c.relkind, c.relrowsecurity, c.relacl::text AS acl FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS s ON s.oid = c.relnamespace WHERE s.nspname = $1 ORDER BY c.relname`,
    [schema],
  );
  const columns = await db.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const policies = await db.query(
    `SELECT c.relname, p.polname FROM pg_catalog.pg_policy AS p JOIN pg_catalog.pg_class AS c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace AS s ON s.oid = c.relnamespace WHERE s.nspname = $1 ORDER BY 1, 2`,
    [schema],
  );
  return { namespace: namespace.rows, relations: relations.rows, columns: columns.rows, policies: policies.rows };
}

/**
 * Makes the events `ids` rows jsonb refuses (`ConformanceHarness.poisonEvents`): `event_data`
 * becomes a `json` column, as a team may have it, and their objects gain a member holding
 * "\u0000", which json keeps as written and jsonb cannot hold.
 */
export async function poisonEvents(db: PostgresQueryable, ids: readonly string[], schema?: string): Promise<void> {
  const events = schema === undefined ? quoteIdentifier('events') : `${quoteIdentifier(schema)}.${quoteIdentifier('events')}`;
  await db.query(`ALTER TABLE ${events} ALTER COLUMN event_data TYPE json USING event_data::json`);
  await db.query(`UPDATE ${events} SET event_data = (left(event_data::text, -1) || $2)::json WHERE id = ANY($1::text[])`, [[...ids], ', "note": "Ann\\u0000 Lee"}']);
}
