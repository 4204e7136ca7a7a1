import { type ResolvedNames, type SqlExecutor, fieldsMissingFromCheck, flagChangeFieldCondition } from '@app/sql-store';
import { quoteMysqlIdentifier as q } from './mysql-dialect.js';

/** A CHECK of the history table that refuses some of the fields the store records. */
export interface OutdatedHistoryCheck {
  name: string;
  missing: string[];
}

/**
 * The CHECKs of the history table that refuse a field the store records (a table created before
 * `metadata` was recorded refuses rollout plan changes), read from `information_schema`. MariaDB
 * lists a check with its table; MySQL names checks per schema, so its table comes from
 * `TABLE_CONSTRAINTS`.
 */
export async function outdatedHistoryChecks(s: SqlExecutor, names: ResolvedNames, schema: string | null, flavor: 'mysql' | 'mariadb'): Promise<OutdatedHistoryCheck[]> {
  const rows =
    flavor === 'mariadb'
      ? await s.query(
          'SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
          [schema, names.raw.flagChanges],
        )
      : await s.query(
          `SELECT c.CONSTRAINT_NAME AS name, c.CHECK_CLAUSE AS clause FROM information_schema.TABLE_CONSTRAINTS AS t
JOIN information_schema.CHECK_CONSTRAINTS AS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
WHERE t.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND t.TABLE_NAME = ? AND t.CONSTRAINT_TYPE = 'CHECK'`,
          [schema, names.raw.flagChanges],
        );
  return rows.map((row) => ({ name: String(row.name), missing: fieldsMissingFromCheck(String(row.clause)) })).filter((check) => check.missing.length > 0);
}

/** The statement that replaces an outdated CHECK with the current one, under the same name. */
export function replaceHistoryCheckSql(names: ResolvedNames, check: OutdatedHistoryCheck): string {
  return `ALTER TABLE ${names.flagChanges} DROP CONSTRAINT ${q(check.name)}, ADD CONSTRAINT ${q(check.name)} CHECK (${flagChangeFieldCondition()})`;
}
