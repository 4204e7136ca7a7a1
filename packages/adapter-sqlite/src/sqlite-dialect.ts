import { type SqlDialect, decodeJsonText, jsonMemberPath } from '@app/sql-store';

const quote = (name: string) => {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw new TypeError(`Invalid SQL identifier ${JSON.stringify(name)}: expected a non-empty name without NUL characters`);
  }
  return `"${name.replaceAll('"', '""')}"`;
};

const literalPath = (path: readonly string[]) => `'${jsonMemberPath(path).replaceAll("'", "''")}'`;

const JSON_TYPES = { object: "= 'object'", string: "= 'text'", number: "IN ('integer', 'real')", array: "= 'array'", null: "= 'null'" } as const;

/** The SQLite dialect: JSON as text, read with the JSON1 functions built into SQLite ≥ 3.38. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  quoteIdentifier: quote,
  // BEGIN IMMEDIATE already excludes every other writer.
  forUpdate: '',
  nowMs: "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)",
  nowTimestamp: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  insertIgnoreInto: 'INSERT OR IGNORE INTO',
  upsert: 'on conflict',
  keyAsText: (expression) => `CAST(${expression} AS TEXT)`,
  jsonTypeIs: (column, path, type) => `json_type(${column}, ${literalPath(path)}) ${JSON_TYPES[type]}`,
  jsonValid: (column) => `json_valid(${column})`,
  jsonScalar: (column, path) => `json_extract(${column}, ${literalPath(path)})`,
  jsonArrayLength: (column) => `json_array_length(${column})`,
  withPayload: (event, payloadColumn) => `json_set(${event}, '$.payload', json(${payloadColumn}))`,
  // Minified JSON text on both sides (`->` and json() keep number text and key order as stored);
  // json_valid first, since json() raises on a legacy TEXT value that is not JSON.
  samePayload: (canonicalColumn, eventDataColumn) =>
    `(CASE WHEN json_valid(${eventDataColumn}) THEN (${canonicalColumn} -> '$.payload') = json(${eventDataColumn}) ELSE 0 END)`,
  decodeJson: decodeJsonText,
  decodeBoolean: (value) => value === 1 || value === 1n || value === true || value === '1',
  // A CHECK (json_valid, the rollout range) or JSON a JSON function cannot parse.
  isDataError: (error) => {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_TRIGGER' || (code === 'SQLITE_ERROR' && /malformed JSON/i.test(String(message)));
  },
};

export { quote as quoteSqliteIdentifier };
