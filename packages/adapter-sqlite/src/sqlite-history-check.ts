import { type ResolvedNames, type SqlExecutor, fieldsMissingFromCheck } from '@app/sql-store';
import { quoteSqliteIdentifier as q } from './sqlite-dialect.js';
import { sqliteFlagChangesTable } from './sqlite-schema-sql.js';

const HISTORY_COLUMNS = ['id', 'flag_name', 'field', 'old_value', 'new_value', 'actor', 'changed_at', 'reverts_change_id'];

/** The text inside each `CHECK (…)` of a `CREATE TABLE` statement, parentheses balanced. */
function checkClauses(createSql: string): string[] {
  const clauses: string[] = [];
  for (const match of createSql.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1;
    let at = match.index + match[0].length;
    const start = at;
    for (; at < createSql.length && depth > 0; at++) {
      if (createSql[at] === '(') depth++;
      else if (createSql[at] === ')') depth--;
    }
    clauses.push(createSql.slice(start, at - 1));
  }
  return clauses;
}

/**
 * The fields the history table's CHECK refuses (a table created before `metadata` was recorded
 * refuses rollout plan changes), read from `sqlite_master`; `[]` when it accepts every field or
 * the table is absent.
 */
export async function historyCheckGaps(s: SqlExecutor, names: ResolvedNames, schema: string | undefined): Promise<string[]> {
  const prefix = schema === undefined ? '' : `${q(schema)}.`;
  const rows = await s.query(`SELECT sql FROM ${prefix}sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`, [names.raw.flagChanges]);
  return [...new Set(checkClauses(String(rows[0]?.sql ?? '')).flatMap(fieldsMissingFromCheck))];
}

/**
 * Replaces a history table whose CHECK refuses a field: SQLite cannot change a CHECK, so the rows
 * are copied, ids and all, into a table of the current definition that then takes the old one's
 * name, with its index. Run inside `ensureSchema`'s transaction: all of it or nothing.
 */
export async function upgradeHistoryCheck(tx: SqlExecutor, names: ResolvedNames, schema: string | undefined): Promise<void> {
  const prefix = schema === undefined ? '' : `${q(schema)}.`;
  const replacement = `${names.raw.flagChanges}_upgrade`;
  const columns = HISTORY_COLUMNS.join(', ');
  await tx.execute(`DROP TABLE IF EXISTS ${prefix}${q(replacement)}`);
  await tx.execute(sqliteFlagChangesTable(`${prefix}${q(replacement)}`));
  await tx.execute(`INSERT INTO ${prefix}${q(replacement)} (${columns}) SELECT ${columns} FROM ${names.flagChanges}`);
  await tx.execute(`DROP TABLE ${names.flagChanges}`);
  await tx.execute(`ALTER TABLE ${prefix}${q(replacement)} RENAME TO ${q(names.raw.flagChanges)}`);
  await tx.execute(`CREATE INDEX IF NOT EXISTS ${prefix}${q(`${names.raw.flagChanges}_flag_name`)} ON ${q(names.raw.flagChanges)} (flag_name, id)`);
}
