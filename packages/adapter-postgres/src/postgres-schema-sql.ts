import { quoteIdentifier, quoteLiteral } from './quote-identifier.js';
import { type PostgresSchemaOptions, checkKeyType, resolveNames } from './postgres-schema-options.js';
import { SYSTEM_FLAG_ROWS } from '@app/sql-store';

const roleList = (roles: readonly string[]) => roles.map((role) => (role.toLowerCase() === 'public' ? 'PUBLIC' : quoteIdentifier(role))).join(', ');

/** CREATE POLICY has no IF NOT EXISTS: create it only when the table has no policy of that name. */
function createPolicyIfMissing(table: string, policy: string, definition: string): string {
  return [
    'DO $migrate$ BEGIN',
    `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = to_regclass(${quoteLiteral(table)}) AND polname = ${quoteLiteral(policy)}) THEN`,
    `    CREATE POLICY ${quoteIdentifier(policy)} ON ${table} ${definition};`,
    '  END IF;',
    'END $migrate$',
  ].join('\n');
}

/**
 * The schema the migrations need, as separate statements (each idempotent, in order): the legacy
 * tables when absent, the new columns `canonical_event` and `data_sources_v2`, the runs table
 * (checkpoints and leases), `feature_flags` with row-level security and its policies, and the
 * four system flags.
 */
export function postgresSchemaStatements(options: PostgresSchemaOptions = {}): string[] {
  const n = resolveNames(options);
  const e = n.event;
  const readers = options.flagAccess?.readerRoles ?? ['public'];
  const admins = options.flagAccess?.adminRoles ?? [];
  const adminCondition = options.flagAccess?.adminCondition ?? 'true';
  const statements: string[] = [];
  if (n.schema !== null) statements.push(`CREATE SCHEMA IF NOT EXISTS ${n.schema}`);
  statements.push(
    `CREATE TABLE IF NOT EXISTS ${n.events} (
  ${e.id} ${checkKeyType(options.keyTypes?.events)} PRIMARY KEY,
  ${e.integrationType} text,
  ${e.eventType} text,
  ${e.eventData} jsonb,
  ${e.createdAt} timestamptz NOT NULL DEFAULT now()
)`,
    `ALTER TABLE ${n.events} ADD COLUMN IF NOT EXISTS ${e.canonicalEvent} jsonb`,
    ...(options.canonicalEventCompression === undefined
      ? []
      : [`ALTER TABLE ${n.events} ALTER COLUMN ${e.canonicalEvent} SET COMPRESSION ${options.canonicalEventCompression === 'lz4' ? 'lz4' : 'pglz'}`]),
    `CREATE TABLE IF NOT EXISTS ${n.campaigns} (
  ${n.campaign.id} ${checkKeyType(options.keyTypes?.campaigns)} PRIMARY KEY,
  user_id text,
  name text,
  data_source text,
  native_config jsonb,
  integration_settings jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
    `ALTER TABLE ${n.campaigns} ADD COLUMN IF NOT EXISTS ${n.campaign.dataSourcesV2} jsonb`,
    `CREATE TABLE IF NOT EXISTS ${n.integrations} (
  ${n.integration.id} ${checkKeyType(options.keyTypes?.integrations)} PRIMARY KEY,
  user_id text,
  provider text,
  status text,
  settings jsonb,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TABLE IF NOT EXISTS ${n.runs} (
  run_key text PRIMARY KEY,
  migration text,
  status text CHECK (status IN ('running', 'completed', 'aborted')),
  "cursor" text,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  failures jsonb NOT NULL DEFAULT '[]'::jsonb,
  lease_holder text,
  lease_expires_at timestamptz,
  started_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE TABLE IF NOT EXISTS ${n.featureFlags} (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text UNIQUE NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT false,
  rollout_percentage integer NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  metadata jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    `ALTER TABLE ${n.featureFlags} ENABLE ROW LEVEL SECURITY`,
    createPolicyIfMissing(n.featureFlags, `${n.raw.featureFlags}_read_enabled`, `FOR SELECT TO ${roleList(readers)} USING (enabled)`),
  );
  if (admins.length > 0) {
    statements.push(
      createPolicyIfMissing(
        n.featureFlags,
        `${n.raw.featureFlags}_admin_manage`,
        `FOR ALL TO ${roleList(admins)} USING (${adminCondition}) WITH CHECK (${adminCondition})`,
      ),
    );
  }
  if (n.schema !== null) statements.push(`GRANT USAGE ON SCHEMA ${n.schema} TO ${roleList([...new Set([...readers, ...admins])])}`);
  statements.push(`GRANT SELECT ON ${n.featureFlags} TO ${roleList(readers)}`);
  if (admins.length > 0) statements.push(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${n.featureFlags} TO ${roleList(admins)}`);
  if (options.seedSystemFlags !== false) {
    const rows = SYSTEM_FLAG_ROWS.map((flag) => `  (${quoteLiteral(flag.name)}, ${quoteLiteral(flag.description)})`).join(',\n');
    statements.push(`INSERT INTO ${n.featureFlags} (name, description) VALUES\n${rows}\nON CONFLICT (name) DO NOTHING`);
  }
  return statements;
}

/**
 * The same schema as one SQL script, to review or to run with your own migration tool
 * (`psql -f`, Supabase migrations). `store.ensureSchema()` applies the same statements in one
 * transaction.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('supabase/migrations/20260101000000_migrate.sql', postgresSchemaSql({ flagAccess: SUPABASE_FLAG_ACCESS }));
 * ```
 */
export function postgresSchemaSql(options: PostgresSchemaOptions = {}): string {
  return `${postgresSchemaStatements(options).join(';\n\n')};\n`;
}
