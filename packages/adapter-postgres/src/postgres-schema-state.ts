import type { IncompatibleColumn, SchemaInspection } from '@app/migrate';
import { RUNS_ROWS_BEHIND_COLUMN, RUNS_SCOPE_COLUMN, SYSTEM_FLAG_ROWS, type SqlExecutor, TABLES, type TableNames, missingLegacyTables, missingSchemaObjects, schemaInspection } from '@app/sql-store';
import type { PostgresSchemaPlan, PostgresSchemaState } from './postgres-schema-sql.js';

const textArray = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** A column's type as text, a domain's base type (`jsonb` for a domain over it), of `pg_attribute AS a` joined to `pg_type AS t`. */
const columnType = "pg_catalog.format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL)";

/** The type the migrations need of the columns they write: PostgreSQL's JSON functions and operators they use are jsonb's. */
const NEEDED_TYPE = 'jsonb';

/**
 * Reads what of the migration schema exists from `pg_catalog` only: `to_regclass` and the catalog
 * tables take no lock on the tables themselves, so this never waits behind a transaction holding
 * one. The system flags are read from `feature_flags` (a plain read) when it exists.
 */
export async function readPostgresSchemaState(db: SqlExecutor, plan: PostgresSchemaPlan, schema: string | null, compression: boolean): Promise<PostgresSchemaState> {
  const n = plan.names;
  const rows = await db.query(
    `SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1::text)) AS schema,
  ARRAY(SELECT t.key FROM unnest($2::text[], $3::text[]) AS t(key, name) WHERE to_regclass(t.name) IS NOT NULL) AS tables,
  EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($4::text) AND attname = $5::text AND attnum > 0 AND NOT attisdropped) AS canonical_event,
  EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($6::text) AND attname = $7::text AND attnum > 0 AND NOT attisdropped) AS data_sources_v2,
  (SELECT ${columnType} FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
    WHERE a.attrelid = to_regclass($4::text) AND a.attname = $5::text AND a.attnum > 0 AND NOT a.attisdropped) AS canonical_event_type,
  (SELECT ${columnType} FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
    WHERE a.attrelid = to_regclass($6::text) AND a.attname = $7::text AND a.attnum > 0 AND NOT a.attisdropped) AS data_sources_v2_type,
  EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($9::text) AND attname = 'scope' AND attnum > 0 AND NOT attisdropped) AS runs_scope,
  EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($9::text) AND attname = 'rows_behind' AND attnum > 0 AND NOT attisdropped) AS runs_rows_behind,
  coalesce((SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass($8::text)), false) AS row_security,
  ARRAY(SELECT polname::text FROM pg_catalog.pg_policy WHERE polrelid = to_regclass($8::text)) AS policies,
  ARRAY(SELECT a.privilege_type || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
    FROM pg_catalog.pg_class AS c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a WHERE c.oid = to_regclass($8::text)) AS flag_grants,
  ARRAY(SELECT a.privilege_type || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
    FROM pg_catalog.pg_namespace AS s, aclexplode(coalesce(s.nspacl, acldefault('n', s.nspowner))) AS a WHERE s.nspname = $1::text) AS schema_grants,
  coalesce((SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass($9::text)), false) AS runs_row_security,
  ARRAY(SELECT a.privilege_type || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
    FROM pg_catalog.pg_class AS c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a WHERE c.oid = to_regclass($9::text)) AS runs_grants,
  coalesce((SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass($10::text)), false) AS changes_row_security,
  ARRAY(SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass($10::text) AND contype = 'c') AS change_checks,
  ARRAY(SELECT a.privilege_type || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
    FROM pg_catalog.pg_class AS c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a WHERE c.oid = to_regclass($10::text)) AS change_grants,
  coalesce((SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass($11::text)), false) AS metrics_row_security,
  ARRAY(SELECT a.privilege_type || ' ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
    FROM pg_catalog.pg_class AS c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a WHERE c.oid = to_regclass($11::text)) AS metrics_grants`,
    [
      schema,
      TABLES,
      TABLES.map((key) => n[key]),
      n.events,
      n.rawColumns.canonicalEvent,
      n.campaigns,
      n.rawColumns.campaignDataSourcesV2,
      n.featureFlags,
      n.runs,
      n.flagChanges,
      n.flagMetrics,
    ],
  );
  const row = rows[0] ?? {};
  const present = new Set(textArray(row.tables));
  const tables = Object.fromEntries(TABLES.map((key) => [key, present.has(key)])) as Record<keyof TableNames, boolean>;
  let attcompression: string | null = null;
  // attcompression exists from PostgreSQL 14 on, like the option itself: read it only when asked to set it.
  if (compression && row.canonical_event === true) {
    const found = await db.query(
      'SELECT attcompression::text AS c FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1::text) AND attname = $2::text AND NOT attisdropped',
      [n.events, n.rawColumns.canonicalEvent],
    );
    attcompression = typeof found[0]?.c === 'string' ? found[0].c : null;
  }
  const flags =
    plan.seedFlags && tables.featureFlags
      ? textArray((await db.query(`SELECT coalesce(array_agg(name), '{}') AS names FROM ${n.featureFlags} WHERE name = ANY($1::text[])`, [SYSTEM_FLAG_ROWS.map((f) => f.name)]))[0]?.names)
      : [];
  return {
    schema: row.schema === true,
    tables,
    canonicalEvent: row.canonical_event === true,
    dataSourcesV2: row.data_sources_v2 === true,
    columnTypes: {
      canonicalEvent: typeof row.canonical_event_type === 'string' ? row.canonical_event_type : null,
      dataSourcesV2: typeof row.data_sources_v2_type === 'string' ? row.data_sources_v2_type : null,
    },
    runsScope: row.runs_scope === true,
    runsRowsBehind: row.runs_rows_behind === true,
    compression: attcompression,
    rowSecurity: row.row_security === true,
    policies: new Set(textArray(row.policies)),
    flagGrants: new Set(textArray(row.flag_grants)),
    changeChecks: textArray(row.change_checks),
    changesRowSecurity: row.changes_row_security === true,
    changeGrants: new Set(textArray(row.change_grants)),
    metricsRowSecurity: row.metrics_row_security === true,
    metricsGrants: new Set(textArray(row.metrics_grants)),
    schemaGrants: new Set(textArray(row.schema_grants)),
    runsRowSecurity: row.runs_row_security === true,
    runsGrants: new Set(textArray(row.runs_grants)),
    flags: new Set(flags),
  };
}

/** The inspection a state amounts to: absent tables and columns are `missing`, the rest of the needed steps `pending`. */
export function inspectionOf(plan: PostgresSchemaPlan, state: PostgresSchemaState, schema: string | null): Omit<SchemaInspection, 'readable' | 'absent'> {
  const n = plan.names;
  const keyOf = new Map(TABLES.map((key) => [n.raw[key], key]));
  const catalog = {
    hasTable: (table: string) => state.tables[keyOf.get(table)!] === true,
    hasColumn: (table: string, column: string) => {
      const key = keyOf.get(table);
      if (key === 'events' && column === n.rawColumns.canonicalEvent) return state.canonicalEvent;
      if (key === 'campaigns') return state.dataSourcesV2;
      if (key === 'runs' && column === RUNS_SCOPE_COLUMN) return state.runsScope;
      if (key === 'runs' && column === RUNS_ROWS_BEHIND_COLUMN) return state.runsRowsBehind;
      return true;
    },
  };
  const missing = [...(state.schema ? [] : [`schema ${schema}`]), ...missingSchemaObjects(n, catalog, plan.prefix)];
  const pending = plan.steps.flatMap((step) => (step.pending !== undefined && step.needed(state) ? step.pending(state) : []));
  const inspection = schemaInspection(missing, pending, missingLegacyTables(n, catalog, plan.prefix));
  // A text or json column where jsonb is needed: every statement would fail on its JSON functions (jsonb_typeof(text) does not exist).
  const written = [
    { table: n.raw.events, column: n.rawColumns.canonicalEvent, key: 'events.canonicalEvent', found: state.columnTypes.canonicalEvent },
    { table: n.raw.campaigns, column: n.rawColumns.campaignDataSourcesV2, key: 'campaigns.dataSourcesV2', found: state.columnTypes.dataSourcesV2 },
  ];
  const incompatible: IncompatibleColumn[] = written.flatMap(({ table, column, key, found }) =>
    found === null || found === NEEDED_TYPE ? [] : [{ table: `${plan.prefix}${table}`, column, key, found, expected: NEEDED_TYPE }],
  );
  return incompatible.length === 0 ? inspection : { ...inspection, ready: false, incompatible };
}
