import type { SqlDialect } from '@app/sql-store';
import { parseRowJson } from './parse-row-json.js';
import { quoteIdentifier, quoteLiteral } from './quote-identifier.js';

/** A JSON path as a `text[]` literal (`'{"normalized","meta.normalizer"}'`), each member quoted so commas and dots stay inside it. */
const pathLiteral = (path: readonly string[]) => quoteLiteral(`{${path.map((member) => `"${member.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`);

/** An unescaped `\u0000` in JSON text (not `\\u0000`, an escaped backslash before `u0000`): what jsonb cannot hold. */
const NUL_ESCAPE = quoteLiteral('(^|[^\\\\])(\\\\\\\\)*\\\\u0000');

const at = (column: string, path: readonly string[]) => (path.length === 0 ? column : `(${column} #> ${pathLiteral(path)})`);

/**
 * The PostgreSQL dialect: `$n` placeholders, `jsonb` operators, and a lease column that is a
 * `timestamptz` on the database clock. Every guard a cast or function needs is inside the fragment
 * (PostgreSQL does not promise to evaluate `a AND b` left to right), and payloads compare as
 * `jsonb`, which compares numbers exactly.
 */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdentifier,
  placeholder: (position) => `$${position}`,
  forUpdate: 'FOR UPDATE',
  nowMs: '(extract(epoch FROM now()) * 1000)::bigint',
  leaseNow: 'now()',
  leaseExpiresIn: (ms) => `now() + ${ms}::float8 * interval '1 millisecond'`,
  nowTimestamp: 'now()',
  insertIgnoreInto: 'INSERT INTO',
  upsert: 'on conflict',
  insertIgnoreSuffix: 'ON CONFLICT DO NOTHING',
  keyAsText: (expression) => `${expression}::text`,
  jsonTypeIs: (column, path, type) => `jsonb_typeof(${at(column, path)}) = '${type}'`,
  // `#>>` extracts text: a number is cast (only when it is one), so the comparison is numeric.
  jsonScalar: (column, path, type) =>
    type === 'number'
      ? `(CASE WHEN jsonb_typeof(${at(column, path)}) = 'number' THEN (${column} #>> ${pathLiteral(path)})::numeric END)`
      : `(${column} #>> ${pathLiteral(path)})`,
  jsonArrayLength: (column) => `(CASE WHEN jsonb_typeof(${column}) = 'array' THEN jsonb_array_length(${column}) END)`,
  // event_data may be a legacy json or text column: cast, as the comparison below does.
  withPayload: (event, payloadColumn) => `jsonb_set(${event}::jsonb, '{payload}', ${payloadColumn}::jsonb)`,
  // A legacy json event_data holding "\u0000" cannot be cast to jsonb, and one such row would fail
  // the whole sample of verify: it is a payload that differs (jsonb could never have held it).
  samePayload: (canonicalColumn, eventDataColumn) =>
    `(CASE WHEN ${eventDataColumn}::text ~ ${NUL_ESCAPE} THEN false ELSE coalesce((${canonicalColumn} -> 'payload') = ${eventDataColumn}::jsonb, false) END)`,
  // Text, not jsonb (to_jsonb) nor json the driver parses: a legacy json column keeps "\u0000" as
  // written, which jsonb cannot hold, so one such row would fail the whole read. Read as text, the
  // row reaches the runner as the events do, and the database refuses it, row by row, only where
  // it is written. parseRowJson keeps integer columns past 2^53 exact (owners of other tenants).
  rowAsJson: (alias) => `row_to_json(${alias})::text`,
  decodeRowJson: (value) => parseRowJson(String(value)),
  // node-postgres and PGlite parse json and jsonb themselves.
  decodeJson: (value) => value ?? null,
  // ...but hand a legacy text event_data over as a string: read as text, it decodes whatever the column type.
  jsonText: (column) => `${column}::text`,
  decodeBoolean: (value) => value === true || value === 't',
  // SQLSTATE class 22, data exception (22P05: a NUL character jsonb cannot hold, 22P02, 22003…), and CHECK violations.
  isDataError: (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && (code.startsWith('22') || code === '23514');
  },
};
