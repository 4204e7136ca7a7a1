import type { ResolvedNames, SqlExecutor, TableNames } from '@app/sql-store';
import { quoteMysqlIdentifier as q, quoteMysqlLiteral } from './mysql-dialect.js';
import { exactNameCollation } from './mysql-schema-sql.js';

/** The columns that hold names as keys: a flag's name wherever it is stored, and the telemetry's key. */
const NAME_COLUMNS: readonly (readonly [keyof TableNames, string])[] = [
  ['featureFlags', 'name'],
  ['flagChanges', 'flag_name'],
  ['flagMetrics', 'flag_name'],
  ['flagMetrics', 'metric'],
  ['flagMetrics', 'variant'],
  ['flagMetrics', 'reason'],
];

/** A name column whose collation is not exact, with what its redefinition keeps. */
export interface InexactNameColumn {
  table: 'featureFlags' | 'flagChanges' | 'flagMetrics';
  column: string;
  collation: string;
  /** `varchar(191)`: the column's type, kept. */
  type: string;
  nullable: boolean;
  /** The column's default as SQL, or `null` for none. */
  defaultSql: string | null;
}

/**
 * The name columns of existing flag tables whose collation is not binary NO PAD (tables created
 * before: `feature_flags.name` in the server's default, case-insensitive collation, telemetry keys
 * in `utf8mb4_bin`, which pads), read from `information_schema`.
 */
export async function inexactNameColumns(s: SqlExecutor, names: ResolvedNames, schema: string | null, flavor: 'mysql' | 'mariadb'): Promise<InexactNameColumn[]> {
  const exact = exactNameCollation(flavor);
  const found: InexactNameColumn[] = [];
  for (const table of ['featureFlags', 'flagChanges', 'flagMetrics'] as const) {
    const wanted = new Set(NAME_COLUMNS.filter(([key]) => key === table).map(([, column]) => column));
    const rows = await s.query(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS fallback, COLLATION_NAME AS collation
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [schema, names.raw[table]],
    );
    for (const row of rows) {
      const column = String(row.name).toLowerCase();
      // A column without a collation is not text (a team's own integer key): nothing to make exact.
      if (!wanted.has(column) || row.collation == null || String(row.collation) === exact) continue;
      const fallback = row.fallback == null ? null : String(row.fallback);
      // MariaDB lists a default as SQL (`''`, `NULL`); MySQL as the value itself.
      const defaultSql = fallback === null ? null : flavor === 'mariadb' ? (fallback === 'NULL' ? null : fallback) : quoteMysqlLiteral(fallback);
      found.push({ table, column: String(row.name), collation: String(row.collation), type: String(row.type), nullable: String(row.nullable) === 'YES', defaultSql });
    }
  }
  return found;
}

/**
 * One `ALTER TABLE` per table that gives its inexact name columns the exact collation, keeping
 * each column's type, nullability and default. Going to a finer collation never makes two stored
 * names equal, so unique keys stay unique.
 */
export function exactNamesStatements(names: ResolvedNames, columns: readonly InexactNameColumn[], flavor: 'mysql' | 'mariadb'): { table: string; sql: string }[] {
  const collation = exactNameCollation(flavor);
  const tables = [...new Set(columns.map((column) => column.table))];
  return tables.map((table) => ({
    table: names.raw[table],
    sql: `ALTER TABLE ${names[table]} ${columns
      .filter((column) => column.table === table)
      .map((column) => `MODIFY COLUMN ${q(column.column)} ${column.type} CHARACTER SET utf8mb4 COLLATE ${collation} ${column.nullable ? 'NULL' : 'NOT NULL'}${column.defaultSql === null ? '' : ` DEFAULT ${column.defaultSql}`}`)
      .join(', ')}`,
  }));
}
