import { postgresDoBlock } from './postgres-do-block.js';
import { postgresIdentifierName } from './postgres-identifier-name.js';
import { quoteIdentifier, quoteLiteral } from './quote-identifier.js';
import { type PostgresSchemaOptions, type ResolvedNames, checkKeyType, resolveNames } from './postgres-schema-options.js';
import { FLAG_CHANGE_FIELDS, SYSTEM_FLAG_ROWS, type TableNames, fieldsMissingFromCheck, flagChangeFieldCondition, missingSystemFlags } from '@app/sql-store';

const roleList = (roles: readonly string[]) => roles.map((role) => (role.toLowerCase() === 'public' ? 'PUBLIC' : quoteIdentifier(role))).join(', ');

/** CREATE POLICY has no IF NOT EXISTS: create it only when the table has no policy of that name. */
function createPolicyIfMissing(table: string, policy: string, definition: string): string {
  return postgresDoBlock(
    [
      'BEGIN',
      `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = to_regclass(${quoteLiteral(table)}) AND polname = ${quoteLiteral(policy)}) THEN`,
      `    CREATE POLICY ${quoteIdentifier(policy)} ON ${table} ${definition};`,
      '  END IF;',
      'END;',
    ].join('\n'),
  );
}

/**
 * The roles a Supabase project gives its API keys. Supabase's default privileges grant them ALL on
 * every new table, so the tables the store creates are closed to them explicitly (and to PUBLIC,
 * which every role inherits): row-level security with no policy stops their reads and writes, and
 * revoking stops what RLS does not cover (TRUNCATE, TRIGGER, REFERENCES, MAINTAIN).
 */
export const CLIENT_ROLES: readonly string[] = Object.freeze(['PUBLIC', 'anon', 'authenticated']);

/**
 * Revokes from {@link CLIENT_ROLES} every privilege on `table` that `allowed` does not give them,
 * read from the table's ACL at run time: the set differs between servers (MAINTAIN is 17+), and a
 * role that does not exist holds nothing.
 */
function revokeFromClientRoles(table: string, allowed: ReadonlyMap<string, readonly string[]>): string {
  const keep = [...allowed].flatMap(([role, privileges]) => privileges.map((privilege) => quoteLiteral(`${privilege} ${role}`)));
  return postgresDoBlock(
    [
      'DECLARE grant_row record;',
      'BEGIN',
      '  FOR grant_row IN',
      "    SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS role",
      `    FROM pg_catalog.pg_class AS c, aclexplode(c.relacl) AS a WHERE c.oid = to_regclass(${quoteLiteral(table)})`,
      '  LOOP',
      `    CONTINUE WHEN grant_row.role <> ALL (ARRAY[${CLIENT_ROLES.map(quoteLiteral).join(', ')}])${keep.length > 0 ? ` OR grant_row.privilege_type || ' ' || grant_row.role = ANY (ARRAY[${keep.join(', ')}])` : ''};`,
      "    EXECUTE format('REVOKE %s ON TABLE %s FROM %s', grant_row.privilege_type, " +
        `${quoteLiteral(table)}, CASE WHEN grant_row.role = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(grant_row.role) END);`,
      '  END LOOP;',
      'END;',
    ].join('\n'),
  );
}

/** The grants (`"<privilege> <role>"`) of {@link CLIENT_ROLES} that `allowed` does not give them. */
function clientGrantsBeyond(grants: ReadonlySet<string>, allowed: ReadonlyMap<string, readonly string[]>): string[] {
  return [...grants].filter((grant) => {
    const role = grant.slice(grant.indexOf(' ') + 1);
    return CLIENT_ROLES.includes(role) && !(allowed.get(role) ?? []).some((privilege) => grant === `${privilege} ${role}`);
  });
}

/**
 * What of the migration schema exists, read from the catalog (see `readPostgresSchemaState`).
 * Grants are `"<privilege> <role>"` on `feature_flags`, `"USAGE <role>"` on the schema.
 */
export interface PostgresSchemaState {
  schema: boolean;
  tables: Record<keyof TableNames, boolean>;
  canonicalEvent: boolean;
  dataSourcesV2: boolean;
  /**
   * The types of `canonical_event` and `data_sources_v2` when they exist (a domain's base type:
   * `jsonb`, `text`, `json`…), `null` when absent; the migrations need `jsonb`.
   */
  columnTypes: { canonicalEvent: string | null; dataSourcesV2: string | null };
  /** The runs table has its `scope` column (runs tables created before checkpoints were bound lack it). */
  runsScope: boolean;
  /** The runs table has its `rows_behind` column (runs tables created before it lack it). */
  runsRowsBehind: boolean;
  /** `attcompression` of `canonical_event` (`l` lz4, `p` pglz, `''` the default); read only when the option is set. */
  compression: string | null;
  rowSecurity: boolean;
  policies: ReadonlySet<string>;
  flagGrants: ReadonlySet<string>;
  /** Row-level security on the runs table. */
  runsRowSecurity: boolean;
  /** Grants (`"<privilege> <role>"`) on the runs table. */
  runsGrants: ReadonlySet<string>;
  /** The CHECKs of the flag history table, as `pg_get_constraintdef` writes them. */
  changeChecks: readonly string[];
  /** Whether row-level security is on for the flag history table. */
  changesRowSecurity: boolean;
  /** Grants on the flag history table, as `flagGrants`. */
  changeGrants: ReadonlySet<string>;
  /** Whether row-level security is on for the flag telemetry table. */
  metricsRowSecurity: boolean;
  /** Grants on the flag telemetry table, as `flagGrants`. */
  metricsGrants: ReadonlySet<string>;
  schemaGrants: ReadonlySet<string>;
  flags: ReadonlySet<string>;
}

/** One statement of the schema, when it is needed, and what it adds beyond the tables and columns. */
export interface PostgresSchemaStep {
  sql: string;
  /** What the statement works on, for a lock-timeout message (`events`, `feature_flags`). */
  target: string;
  /** Whether the catalog lacks what the statement creates. */
  needed(state: PostgresSchemaState): boolean;
  /** The items of `inspectSchema().pending` it adds (tables and columns are `missing` items instead). */
  pending?(state: PostgresSchemaState): string[];
}

/** Everything the steps need to know about roles and names. */
export interface PostgresSchemaPlan {
  names: ResolvedNames;
  /** `legacy.` when a schema is set, for readable item names. */
  prefix: string;
  seedFlags: boolean;
  steps: PostgresSchemaStep[];
}

/** `"TRUNCATE anon"` as `TRUNCATE from anon`. */
const grantText = (grant: string) => `${grant.slice(0, grant.indexOf(' '))} from ${grant.slice(grant.indexOf(' ') + 1)}`;

const COMPRESSION_CODE = { lz4: 'l', pglz: 'p' } as const;

/**
 * The schema as steps, in order, each idempotent and each knowing from the catalog whether it is
 * needed: `ensureSchema()` runs only the needed ones, so on a complete schema it runs no DDL and
 * takes no table lock (an `ALTER TABLE … ADD COLUMN IF NOT EXISTS` takes ACCESS EXCLUSIVE even
 * when the column exists, queueing every reader behind any long transaction).
 */
export function postgresSchemaPlan(options: PostgresSchemaOptions = {}): PostgresSchemaPlan {
  const n = resolveNames(options);
  const e = n.event;
  const readers = options.flagAccess?.readerRoles ?? ['public'];
  const admins = options.flagAccess?.adminRoles ?? [];
  const adminCondition = options.flagAccess?.adminCondition ?? 'true';
  const prefix = options.schema === undefined ? '' : `${options.schema}.`;
  const flagsLabel = `${prefix}${n.raw.featureFlags}`;
  const runsLabel = `${prefix}${n.raw.runs}`;
  const readPolicy = postgresIdentifierName(`${n.raw.featureFlags}_read_enabled`);
  const adminPolicy = postgresIdentifierName(`${n.raw.featureFlags}_admin_manage`);
  const adminPrivileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
  const schemaGrants = n.schema === null ? [] : [...new Set([...readers, ...admins])];
  const roleName = (role: string) => (role.toLowerCase() === 'public' ? 'PUBLIC' : role);
  const granted = (grants: ReadonlySet<string>, roles: readonly string[], privileges: readonly string[]) =>
    roles.every((role) => privileges.every((privilege) => grants.has(`${privilege} ${roleName(role)}`)));
  const seedFlags = options.seedSystemFlags !== false;
  const compression = options.canonicalEventCompression === undefined ? undefined : options.canonicalEventCompression === 'lz4' ? 'lz4' : 'pglz';
  const flagsTarget = n.raw.featureFlags;

  const steps: PostgresSchemaStep[] = [];
  if (n.schema !== null) steps.push({ sql: `CREATE SCHEMA IF NOT EXISTS ${n.schema}`, target: `schema ${options.schema}`, needed: (s) => !s.schema });
  steps.push(
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.events} (
  ${e.id} ${checkKeyType(options.keyTypes?.events)} PRIMARY KEY,
  ${e.integrationType} text,
  ${e.eventType} text,
  ${e.eventData} jsonb,
  ${e.createdAt} timestamptz NOT NULL DEFAULT now()
)`,
      target: n.raw.events,
      needed: (s) => !s.tables.events,
    },
    { sql: `ALTER TABLE ${n.events} ADD COLUMN IF NOT EXISTS ${e.canonicalEvent} jsonb`, target: n.raw.events, needed: (s) => !s.tables.events || !s.canonicalEvent },
  );
  if (compression !== undefined) {
    steps.push({
      sql: `ALTER TABLE ${n.events} ALTER COLUMN ${e.canonicalEvent} SET COMPRESSION ${compression}`,
      target: n.raw.events,
      needed: (s) => s.compression !== COMPRESSION_CODE[compression],
      pending: () => [`${compression} compression of ${prefix}${n.raw.events}.${n.rawColumns.canonicalEvent}`],
    });
  }
  steps.push(
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.campaigns} (
  ${n.campaign.id} ${checkKeyType(options.keyTypes?.campaigns)} PRIMARY KEY,
  user_id text,
  name text,
  data_source text,
  native_config jsonb,
  integration_settings jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
      target: n.raw.campaigns,
      needed: (s) => !s.tables.campaigns,
    },
    {
      sql: `ALTER TABLE ${n.campaigns} ADD COLUMN IF NOT EXISTS ${n.campaign.dataSourcesV2} jsonb`,
      target: n.raw.campaigns,
      needed: (s) => !s.tables.campaigns || !s.dataSourcesV2,
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.integrations} (
  ${n.integration.id} ${checkKeyType(options.keyTypes?.integrations)} PRIMARY KEY,
  user_id text,
  provider text,
  status text,
  settings jsonb,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
      target: n.raw.integrations,
      needed: (s) => !s.tables.integrations,
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.runs} (
  run_key text PRIMARY KEY,
  migration text,
  status text CHECK (status IN ('running', 'completed', 'aborted')),
  "cursor" text,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  failures jsonb NOT NULL DEFAULT '[]'::jsonb,
  lease_holder text,
  lease_expires_at timestamptz,
  started_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  scope jsonb,
  rows_behind bigint
)`,
      target: n.raw.runs,
      needed: (s) => !s.tables.runs,
    },
    { sql: `ALTER TABLE ${n.runs} ADD COLUMN IF NOT EXISTS scope jsonb`, target: n.raw.runs, needed: (s) => s.tables.runs && !s.runsScope },
    { sql: `ALTER TABLE ${n.runs} ADD COLUMN IF NOT EXISTS rows_behind bigint`, target: n.raw.runs, needed: (s) => s.tables.runs && !s.runsRowsBehind },
    {
      sql: `ALTER TABLE ${n.runs} ENABLE ROW LEVEL SECURITY`,
      target: n.raw.runs,
      needed: (s) => !s.runsRowSecurity,
      pending: () => [`row-level security on ${runsLabel}`],
    },
    {
      sql: revokeFromClientRoles(n.runs, new Map()),
      target: n.raw.runs,
      // A table created in this transaction got the default privileges (Supabase's grant ALL to anon).
      needed: (s) => !s.tables.runs || clientGrantsBeyond(s.runsGrants, new Map()).length > 0,
      pending: (s) => clientGrantsBeyond(s.runsGrants, new Map()).map((grant) => `revoke ${grantText(grant)} on ${runsLabel}`),
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.featureFlags} (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text UNIQUE NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT false,
  rollout_percentage integer NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
  metadata jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
      target: flagsTarget,
      needed: (s) => !s.tables.featureFlags,
    },
    {
      sql: `ALTER TABLE ${n.featureFlags} ENABLE ROW LEVEL SECURITY`,
      target: flagsTarget,
      needed: (s) => !s.rowSecurity,
      pending: () => [`row-level security on ${flagsLabel}`],
    },
    {
      sql: createPolicyIfMissing(n.featureFlags, readPolicy, `FOR SELECT TO ${roleList(readers)} USING (enabled)`),
      target: flagsTarget,
      needed: (s) => !s.policies.has(readPolicy),
      pending: () => [`policy ${readPolicy} on ${flagsLabel}`],
    },
  );
  const changesLabel = `${prefix}${n.raw.flagChanges}`;
  // The flag history is the app server's alone, closed to the client roles like the runs table:
  // an API key must not read who changed what, nor forge or erase a record.
  steps.push(
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.flagChanges} (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  flag_name text NOT NULL,
  field text NOT NULL CHECK (${flagChangeFieldCondition()}),
  old_value text NOT NULL,
  new_value text NOT NULL,
  actor text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  reverts_change_id bigint
)`,
      target: n.raw.flagChanges,
      needed: (s) => !s.tables.flagChanges,
    },
    {
      sql: `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(postgresIdentifierName(`${n.raw.flagChanges}_flag_name`))} ON ${n.flagChanges} (flag_name, id)`,
      target: n.raw.flagChanges,
      needed: (s) => !s.tables.flagChanges,
    },
    {
      // A history table of an older schema refuses fields recorded since (rollout plans' metadata): replace its CHECK, under the same name.
      sql: postgresDoBlock(
        [
          'DECLARE outdated record;',
          'BEGIN',
          '  FOR outdated IN',
          `    SELECT conname::text AS name FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass(${quoteLiteral(n.flagChanges)}) AND contype = 'c'`,
          `      AND pg_catalog.pg_get_constraintdef(oid) ~ '\\mfield\\M' AND NOT (${FLAG_CHANGE_FIELDS.map((field) => `pg_catalog.pg_get_constraintdef(oid) LIKE ${quoteLiteral(`%'${field}'%`)}`).join(' AND ')})`,
          '  LOOP',
          `    EXECUTE format(${quoteLiteral(`ALTER TABLE ${n.flagChanges} DROP CONSTRAINT %I, ADD CONSTRAINT %I CHECK (${flagChangeFieldCondition()})`)}, outdated.name, outdated.name);`,
          '  END LOOP;',
          'END;',
        ].join('\n'),
      ),
      target: n.raw.flagChanges,
      needed: (s) => s.tables.flagChanges && s.changeChecks.some((check) => fieldsMissingFromCheck(check).length > 0),
      pending: (s) => [...new Set(s.changeChecks.flatMap(fieldsMissingFromCheck))].map((field) => `history CHECK of ${changesLabel} accepting '${field}'`),
    },
    {
      sql: `ALTER TABLE ${n.flagChanges} ENABLE ROW LEVEL SECURITY`,
      target: n.raw.flagChanges,
      needed: (s) => !s.changesRowSecurity,
      pending: () => [`row-level security on ${changesLabel}`],
    },
    {
      sql: revokeFromClientRoles(n.flagChanges, new Map()),
      target: n.raw.flagChanges,
      needed: (s) => !s.tables.flagChanges || clientGrantsBeyond(s.changeGrants, new Map()).length > 0,
      pending: (s) => clientGrantsBeyond(s.changeGrants, new Map()).map((grant) => `revoke ${grantText(grant)} on ${changesLabel}`),
    },
  );
  const metricsLabel = `${prefix}${n.raw.flagMetrics}`;
  // Telemetry is the app server's too: an API key must not read adoption and error rates, nor inflate them.
  steps.push(
    {
      sql: `CREATE TABLE IF NOT EXISTS ${n.flagMetrics} (
  window_start timestamptz NOT NULL,
  flag_name text NOT NULL,
  metric text NOT NULL,
  variant text NOT NULL CHECK (variant IN ('on', 'off')),
  reason text NOT NULL DEFAULT '',
  "count" bigint NOT NULL CHECK ("count" > 0),
  PRIMARY KEY (flag_name, window_start, metric, variant, reason)
)`,
      target: n.raw.flagMetrics,
      needed: (s) => !s.tables.flagMetrics,
    },
    {
      sql: `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(postgresIdentifierName(`${n.raw.flagMetrics}_window_start`))} ON ${n.flagMetrics} (window_start)`,
      target: n.raw.flagMetrics,
      needed: (s) => !s.tables.flagMetrics,
    },
    {
      sql: `ALTER TABLE ${n.flagMetrics} ENABLE ROW LEVEL SECURITY`,
      target: n.raw.flagMetrics,
      needed: (s) => !s.metricsRowSecurity,
      pending: () => [`row-level security on ${metricsLabel}`],
    },
    {
      sql: revokeFromClientRoles(n.flagMetrics, new Map()),
      target: n.raw.flagMetrics,
      needed: (s) => !s.tables.flagMetrics || clientGrantsBeyond(s.metricsGrants, new Map()).length > 0,
      pending: (s) => clientGrantsBeyond(s.metricsGrants, new Map()).map((grant) => `revoke ${grantText(grant)} on ${metricsLabel}`),
    },
  );
  if (admins.length > 0) {
    steps.push({
      sql: createPolicyIfMissing(n.featureFlags, adminPolicy, `FOR ALL TO ${roleList(admins)} USING (${adminCondition}) WITH CHECK (${adminCondition})`),
      target: flagsTarget,
      needed: (s) => !s.policies.has(adminPolicy),
      pending: () => [`policy ${adminPolicy} on ${flagsLabel}`],
    });
  }
  if (n.schema !== null) {
    steps.push({
      sql: `GRANT USAGE ON SCHEMA ${n.schema} TO ${roleList(schemaGrants)}`,
      target: `schema ${options.schema}`,
      needed: (s) => !granted(s.schemaGrants, schemaGrants, ['USAGE']),
      pending: () => [`grant USAGE on schema ${options.schema} to ${schemaGrants.map(roleName).join(', ')}`],
    });
  }
  steps.push({
    sql: `GRANT SELECT ON ${n.featureFlags} TO ${roleList(readers)}`,
    target: flagsTarget,
    needed: (s) => !granted(s.flagGrants, readers, ['SELECT']),
    pending: () => [`grant SELECT on ${flagsLabel} to ${readers.map(roleName).join(', ')}`],
  });
  if (admins.length > 0) {
    steps.push({
      sql: `GRANT SELECT, INSERT, UPDATE, DELETE ON ${n.featureFlags} TO ${roleList(admins)}`,
      target: flagsTarget,
      needed: (s) => !granted(s.flagGrants, admins, adminPrivileges),
      pending: () => [`grant ${adminPrivileges.join(', ')} on ${flagsLabel} to ${admins.map(roleName).join(', ')}`],
    });
  }
  const flagAllowed = new Map<string, string[]>();
  for (const role of readers) flagAllowed.set(roleName(role), ['SELECT']);
  for (const role of admins) flagAllowed.set(roleName(role), [...new Set([...(flagAllowed.get(roleName(role)) ?? []), ...adminPrivileges])]);
  steps.push({
    sql: revokeFromClientRoles(n.featureFlags, flagAllowed),
    target: flagsTarget,
    needed: (s) => !s.tables.featureFlags || clientGrantsBeyond(s.flagGrants, flagAllowed).length > 0,
    pending: (s) => clientGrantsBeyond(s.flagGrants, flagAllowed).map((grant) => `revoke ${grantText(grant)} on ${flagsLabel}`),
  });
  if (seedFlags) {
    const rows = SYSTEM_FLAG_ROWS.map((flag) => `  (${quoteLiteral(flag.name)}, ${quoteLiteral(flag.description)})`).join(',\n');
    steps.push({
      sql: `INSERT INTO ${n.featureFlags} (name, description) VALUES\n${rows}\nON CONFLICT (name) DO NOTHING`,
      target: flagsTarget,
      needed: (s) => missingSystemFlags(s.flags).length > 0,
      pending: (s) => missingSystemFlags(s.flags),
    });
  }
  return { names: n, prefix, seedFlags, steps };
}

/**
 * The schema the migrations need, as separate statements (each idempotent, in order): the legacy
 * tables when absent, the new columns `canonical_event` and `data_sources_v2`, the runs table
 * (checkpoints and leases), `feature_flags` with row-level security and its policies, its history
 * `feature_flag_changes` and its telemetry `feature_flag_metrics` (both closed to the client
 * roles), and the four system flags. `store.ensureSchema()` runs only those the catalog shows are needed.
 */
export function postgresSchemaStatements(options: PostgresSchemaOptions = {}): string[] {
  return postgresSchemaPlan(options).steps.map((step) => step.sql);
}

/**
 * The same schema as one SQL script, to review or to run with your own migration tool
 * (`psql -f`, Supabase migrations). `store.ensureSchema()` applies the statements it needs in one
 * transaction. The script runs every statement, so run it where a brief ACCESS EXCLUSIVE lock on
 * `events` and `campaigns` is acceptable, ideally after `SET lock_timeout = '5s'`.
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
