/**
 * What one database's SQL looks like, for the statements {@link createSqlStore} builds. A dialect
 * is a handful of fragments: identifier quoting, placeholders, the database clock, and JSON
 * access. Statements themselves (keyset reads, batch writes, leases, counts) are written once, in
 * the store. The optional members default to what MySQL and SQLite need.
 */
export interface SqlDialect {
  /** `mysql`, `mariadb`, `sqlite`…: the store's `kind`. */
  readonly name: string;
  /** Quotes a table or column name (`` `name` `` on MySQL, `"name"` on SQLite). */
  quoteIdentifier(name: string): string;
  /** The placeholder of the `position`-th parameter (from 1): `$1` on PostgreSQL; `?` when absent. */
  placeholder?(position: number): string;
  /** `FOR UPDATE` where the database locks rows for the transaction, `''` where the transaction already excludes other writers (SQLite). */
  readonly forUpdate: string;
  /** The database clock as integer milliseconds since the epoch (lease expiry). */
  readonly nowMs: string;
  /**
   * The database clock in the type of `lease_expires_at`, where that column is not epoch
   * milliseconds (PostgreSQL's is a `timestamptz`); {@link nowMs} when absent.
   */
  readonly leaseNow?: string;
  /** The lease expiry `ms` (a parameter) milliseconds from now, in the type of `lease_expires_at`; `nowMs + ms` when absent. */
  leaseExpiresIn?(ms: string): string;
  /** The database clock as a value for a timestamp column (`updated_at` of a flag). */
  readonly nowTimestamp: string;
  /**
   * `INSERT IGNORE INTO` (MySQL) or `INSERT OR IGNORE INTO` (SQLite): an insert that skips
   * existing keys. A database that says so after the values (PostgreSQL) has `INSERT INTO` here
   * and {@link insertIgnoreSuffix}.
   */
  readonly insertIgnoreInto: string;
  /** What follows the values of an insert that skips existing keys (`ON CONFLICT DO NOTHING`); nothing when absent. */
  readonly insertIgnoreSuffix?: string;
  /**
   * How an insert adds to the row of a key that exists (flag telemetry): `'on conflict'` writes
   * `INSERT INTO t AS target … ON CONFLICT (key) DO UPDATE SET c = target.c + excluded.c`
   * (PostgreSQL, SQLite); MySQL's `ON DUPLICATE KEY UPDATE c = c + VALUES(c)` when absent.
   */
  readonly upsert?: 'on conflict';
  /**
   * A time (ISO 8601 text of `Date#toISOString`, UTC) as a parameter for a timestamp column the
   * store writes and compares (`window_start`); the ISO text itself when absent (PostgreSQL's
   * `timestamptz`, SQLite's text). MySQL's `DATETIME` takes `2026-03-02 09:00:00.000`.
   */
  timeParameter?(iso: string): string;
  /** The key column as text (`CAST(x AS CHAR)`), so big integer and UUID keys leave the database exact. */
  keyAsText(expression: string): string;
  /**
   * A condition: the JSON value at `path` (`['normalized', 'meta.normalizer']`) of `column` has this
   * JSON type. The store calls it only on a value {@link jsonValid} accepts.
   */
  jsonTypeIs(column: string, path: readonly string[], type: 'object' | 'string' | 'number' | 'array' | 'null'): string;
  /**
   * A condition: `column` (not NULL) holds JSON the dialect's JSON functions read. Where a JSON
   * column may be text (SQLite; MariaDB's JSON is LONGTEXT, and a team's own column may have no
   * `json_valid` CHECK), one row of text that is not JSON must not fail every statement (SQLite's
   * JSON functions raise) nor read as something it is not (MariaDB's return NULL): the store tests
   * this first, in a `CASE`, whose branches are evaluated in order. Absent where the column type
   * holds only valid JSON (PostgreSQL's jsonb).
   */
  jsonValid?(column: string): string;
  /**
   * The SQL scalar at `path` (text unquoted, numbers as numbers). `type` is the JSON type the
   * caller has checked with {@link jsonTypeIs} and compares the scalar as: a database whose JSON
   * text extraction is untyped (PostgreSQL's `#>>`) casts numbers, so `2.0` equals `2`.
   */
  jsonScalar(column: string, path: readonly string[], type?: 'string' | 'number'): string;
  /** The JSON array length of `column` (when it is an array). */
  jsonArrayLength(column: string): string;
  /** `event` (a JSON text parameter) with its `payload` member set to the JSON in `payloadColumn`, byte for byte as stored. */
  withPayload(event: string, payloadColumn: string): string;
  /**
   * A condition: the `payload` member of the JSON in `canonicalColumn` is the same JSON as
   * `eventDataColumn`, compared by the database as stored (exact numbers; key order too where the
   * column keeps it), so verification sees damage a driver's parsing would hide. Never true when
   * there is no payload.
   */
  samePayload(canonicalColumn: string, eventDataColumn: string): string;
  /**
   * A whole row of table alias `alias` as one JSON object (PostgreSQL's `to_jsonb(alias)`), for
   * campaigns and integrations: every driver then returns the same types. When absent, rows are
   * read with `alias.*` and their JSON columns decoded by column.
   */
  rowAsJson?(alias: string): string;
  /**
   * Turns the value {@link rowAsJson} returned into the row; {@link decodeJson} when absent. A
   * dialect that reads rows as JSON text decodes them here, keeping integer columns past 2^53 exact.
   */
  decodeRowJson?(value: unknown): Record<string, unknown>;
  /** Turns a value the driver returned for a JSON column into JSON (drivers differ: parsed objects, text). */
  decodeJson(value: unknown): unknown;
  /**
   * `event_data` as JSON text, for a driver that parses JSON columns itself and would hand a
   * legacy text column over as a string (node-postgres, PGlite): read as text whatever the column
   * type, and decoded as JSON text (`decodeJsonText`), so a text column holding JSON reads as JSON and
   * one holding anything else reaches the normalizer as a string it reports. When absent, the
   * column is read as it is and decoded with {@link decodeJson}.
   */
  jsonText?(column: string): string;
  /** Turns a value the driver returned for a boolean column into a boolean (`1`/`0` on MySQL and SQLite). */
  decodeBoolean(value: unknown): boolean;
  /**
   * Whether a driver error says the database refused the data of the statement (a value the
   * column type cannot hold, malformed JSON, a CHECK), rather than failed: the store then throws
   * `DataRejectedError` and the runners find the row by writing smaller parts. Never for errors a
   * retry of other rows would hit too (connection, permissions, syntax).
   */
  isDataError?(error: unknown): boolean;
}

/** A JSON path of object member names as `$."a"."b"`, quoted so dots inside a name (`meta.normalizer`) stay one member. */
export function jsonMemberPath(path: readonly string[]): string {
  return `$${path.map((member) => `."${member.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join('')}`;
}
