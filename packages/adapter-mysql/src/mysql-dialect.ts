import { type SqlDialect, decodeJsonText, jsonMemberPath } from '@app/sql-store';

/** Quotes a table or column name with backticks (inner backticks doubled), so any configured name is used exactly. */
export function quoteMysqlIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw new TypeError(`Invalid SQL identifier ${JSON.stringify(name)}: expected a non-empty name without NUL characters`);
  }
  return `\`${name.replaceAll('`', '``')}\``;
}

/** A text literal; MySQL treats a backslash as an escape unless NO_BACKSLASH_ESCAPES is set, so it is doubled too. */
export function quoteMysqlLiteral(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const extract = (column: string, path: readonly string[]) => (path.length === 0 ? column : `JSON_EXTRACT(${column}, ${quoteMysqlLiteral(jsonMemberPath(path))})`);

const JSON_TYPES = {
  object: "= 'OBJECT'",
  string: "= 'STRING'",
  number: "IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')",
  array: "= 'ARRAY'",
  null: "= 'NULL'",
} as const;

/**
 * The condition `samePayload` of the dialect on each server. MySQL compares its binary JSON as
 * JSON (exact numbers; it keeps no key order). MariaDB's JSON is text, whose `=` follows the
 * column's collation (case-insensitive, usually): the JSON_EXTRACT-normalized texts are compared
 * as bytes instead, so digits, case and key order must all match.
 */
export function mysqlSamePayload(flavor: 'mysql' | 'mariadb', canonicalColumn: string, eventDataColumn: string): string {
  const payload = `JSON_EXTRACT(${canonicalColumn}, '$.payload')`;
  const eventData = `JSON_EXTRACT(${eventDataColumn}, '$')`;
  const same = flavor === 'mariadb' ? `CAST(${payload} AS BINARY) = CAST(${eventData} AS BINARY)` : `${payload} = ${eventData}`;
  // MySQL raises on JSON_EXTRACT of a legacy text value that is not JSON; such a row never matches.
  return `(CASE WHEN JSON_VALID(${eventDataColumn}) THEN ${same} ELSE 0 END)`;
}

/**
 * Server errors that mean the data of a statement was refused: out of range (1264), wrong value
 * (1292), bad string (1366), too long (1406), MySQL's invalid JSON (3140, 3141, 3143, 3146) and
 * CHECK (3819), MariaDB's CHECK (4025) and JSON syntax errors (4034–4049, "Syntax error in JSON
 * text" is 4038).
 */
const MYSQL_DATA_ERRORS = new Set([1264, 1292, 1366, 1406, 3140, 3141, 3143, 3146, 3819, 4025, ...Array.from({ length: 16 }, (_, i) => 4034 + i)]);

/**
 * The MySQL and MariaDB dialect. JSON columns reach the store as text on both servers (the
 * session asks mysql2 for MySQL's JSON type as text), so one decoder fits MySQL's binary JSON and
 * MariaDB's LONGTEXT alike.
 */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  quoteIdentifier: quoteMysqlIdentifier,
  forUpdate: 'FOR UPDATE',
  nowMs: 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)',
  nowTimestamp: 'CURRENT_TIMESTAMP(3)',
  insertIgnoreInto: 'INSERT IGNORE INTO',
  // DATETIME holds no zone: the UTC time as written, never converted by the session's time_zone.
  timeParameter: (iso) => iso.slice(0, 23).replace('T', ' '),
  keyAsText: (expression) => `CAST(${expression} AS CHAR)`,
  jsonTypeIs: (column, path, type) => `JSON_TYPE(${extract(column, path)}) ${JSON_TYPES[type]}`,
  jsonValid: (column) => `JSON_VALID(${column})`,
  jsonScalar: (column, path) => `JSON_UNQUOTE(${extract(column, path)})`,
  jsonArrayLength: (column) => `JSON_LENGTH(${column})`,
  // JSON_EXTRACT(…, '$') hands MariaDB's LONGTEXT over as JSON, so it is nested as a value, not quoted as a string.
  withPayload: (event, payloadColumn) => `JSON_SET(${event}, '$.payload', JSON_EXTRACT(${payloadColumn}, '$'))`,
  // MySQL's comparison; a store on MariaDB uses mysqlSamePayload('mariadb', …) once it has seen VERSION().
  samePayload: (canonicalColumn, eventDataColumn) => mysqlSamePayload('mysql', canonicalColumn, eventDataColumn),
  decodeJson: decodeJsonText,
  decodeBoolean: (value) => value === 1 || value === true || value === '1' || value === 1n,
  isDataError: (error) => MYSQL_DATA_ERRORS.has(Number((error as { errno?: unknown } | null)?.errno)),
};
