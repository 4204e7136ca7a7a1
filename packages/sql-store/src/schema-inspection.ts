import type { LegacyTable, SchemaInspection } from '@app/migrate';
import { SYSTEM_FLAG_ROWS } from './system-flag-rows.js';
import type { ResolvedNames, TableNames } from './table-names.js';

/** What an adapter read from its catalog, asked by unquoted table and column names. */
export interface SchemaCatalog {
  hasTable(table: string): boolean;
  hasColumn(table: string, column: string): boolean;
}

/** The runs table's column of what a checkpoint describes (added to runs tables created before it). */
export const RUNS_SCOPE_COLUMN = 'scope';

/**
 * The runs table's count of the events at or behind a whole-table events checkpoint's cursor,
 * kept in the same statement or transaction as the checkpoint (added to runs tables created before it).
 */
export const RUNS_ROWS_BEHIND_COLUMN = 'rows_behind';

/** The migration tables, by key, in creation order. */
export const TABLES: readonly (keyof TableNames)[] = ['events', 'campaigns', 'integrations', 'runs', 'featureFlags', 'flagChanges', 'flagMetrics'];

/**
 * The tables and columns the migrations need and `catalog` lacks, named the same way by every
 * adapter (`table migration_runs`, `column events.canonical_event`; `prefix` qualifies them, e.g.
 * `legacy.`). A missing table is one item: creating it creates its columns too.
 */
export function missingSchemaObjects(names: ResolvedNames, catalog: SchemaCatalog, prefix = ''): string[] {
  const added: Partial<Record<keyof TableNames, string[]>> = {
    events: [names.rawColumns.canonicalEvent],
    campaigns: [names.rawColumns.campaignDataSourcesV2],
    runs: [RUNS_SCOPE_COLUMN, RUNS_ROWS_BEHIND_COLUMN],
  };
  const missing: string[] = [];
  for (const key of TABLES) {
    const table = names.raw[key];
    if (!catalog.hasTable(table)) missing.push(`table ${prefix}${table}`);
    else for (const column of added[key] ?? []) if (!catalog.hasColumn(table, column)) missing.push(`column ${prefix}${table}.${column}`);
  }
  return missing;
}

/** The system flags (`system flag v2_canonical_system`…) absent from `present`, the flag names a store found. */
export function missingSystemFlags(present: Iterable<unknown>): string[] {
  const found = new Set([...present].map(String));
  return SYSTEM_FLAG_ROWS.filter((flag) => !found.has(flag.name)).map((flag) => `system flag ${flag.name}`);
}

/** The application's tables, which the migrations read and never create. */
export const LEGACY_TABLES: readonly LegacyTable['key'][] = ['events', 'campaigns', 'integrations'];

/** The application's tables `catalog` lacks, each with its `names`/`tables` key (`prefix` qualifies them). */
export function missingLegacyTables(names: ResolvedNames, catalog: Pick<SchemaCatalog, 'hasTable'>, prefix = ''): LegacyTable[] {
  return LEGACY_TABLES.filter((key) => !catalog.hasTable(names.raw[key])).map((key) => ({ key, table: `${prefix}${names.raw[key]}` }));
}

/** A {@link @app/migrate!SchemaInspection | SchemaInspection}, with `missingLegacyTables` only when some are. */
export function schemaInspection(missing: string[], pending: string[], legacy: LegacyTable[]): Omit<SchemaInspection, 'readable' | 'absent'> {
  return legacy.length === 0 ? { ready: missing.length === 0, missing, pending } : { ready: false, missing, pending, missingLegacyTables: legacy };
}
