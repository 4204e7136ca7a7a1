import { z } from 'zod';

// Names are quoted by the adapters, so any text is a valid identifier except the empty one and
// NUL, which no database accepts and the adapters refuse with a TypeError.
const Identifier = z
  .string()
  .min(1, 'must be a non-empty name')
  .refine((name) => !name.includes('\0'), 'must not contain NUL characters');

const NonNegativeInteger = z.number().int().nonnegative();
const ReplicaUrl = z
  .string()
  .regex(/^(mysql|mariadb):\/\/./, 'must be a mysql:// or mariadb:// URL of the replica')
  .refine((url) => URL.canParse(url), 'must be a URL mysql2 can read (mysql://user:password@host:port)');

/**
 * A table of the schema and the columns the stores read or write by name (every other column
 * is read as it is). Each name defaults to the product's; the optional legacy columns
 * (`events.eventType`, `events.createdAt`) may be `null` when the table has none.
 */
const TableNames = {
  events: z
    .strictObject({
      table: Identifier,
      id: Identifier,
      integrationType: Identifier,
      /** `null`: the table has no event type column (the product's own has none). */
      eventType: Identifier.nullable(),
      eventData: Identifier,
      /** `null`: the table has no creation time column. */
      createdAt: Identifier.nullable(),
      canonicalEvent: Identifier,
    })
    .partial(),
  campaigns: z.strictObject({ table: Identifier, id: Identifier, dataSourcesV2: Identifier }).partial(),
  integrations: z.strictObject({ table: Identifier, id: Identifier }).partial(),
  /** The runs table (checkpoints and leases), `migration_runs` by default. */
  runs: z.strictObject({ table: Identifier }).partial(),
  featureFlags: z.strictObject({ table: Identifier }).partial(),
  /** The history of flag changes, `feature_flag_changes` by default. */
  flagChanges: z.strictObject({ table: Identifier }).partial(),
  /** Flag telemetry (counts per window, flag, metric, variant and reason), `feature_flag_metrics` by default. */
  flagMetrics: z.strictObject({ table: Identifier }).partial(),
};

/**
 * The `app-migrate --config <file.json>` file (or `APP_MIGRATE_CONFIG`): the adapter options for a
 * database whose schema differs from the product's. Every field is optional; an unknown one is an
 * error, so a misspelt name cannot be ignored silently.
 *
 * - `ownerKey`, `integrationOwnerKey` are the campaign migration's (and verify's) owner columns;
 *   `canonicalPayload` is the event migration's.
 * - `schema`, `names`, `seedSystemFlags` apply to every database (`schema`: the PostgreSQL schema or
 *   the MySQL database of every table; not for SQLite).
 * - `flagAccess`, `ddlLockTimeoutMs`, `canonicalEventCompression`: PostgreSQL and PGlite only.
 * - `ddlLockTimeoutSeconds`, `schemaLockTimeoutSeconds`: MySQL and MariaDB only.
 * - `busyTimeoutMs`: SQLite only.
 * - `connectTimeoutMs`, `statementTimeoutMs`: PostgreSQL and MySQL/MariaDB servers (the embedded
 *   PGlite ignores them).
 * - `batchLockTimeoutMs` (every database), `batchStatementTimeoutMs` (PostgreSQL, MariaDB): the
 *   limits of each batch `events --apply` and `campaigns --apply` write, apart from the connection's;
 *   `timeoutThrottle` (every database): what `events --apply` does when a batch times out.
 *
 * An option given for another database than `--db` names is refused rather than ignored. Each
 * means what the adapter option of the same name means (see the adapters' TSDoc); `names` maps
 * to their `tables` and `columns`.
 *
 * @example
 * ```json
 * {
 *   "names": {
 *     "events": { "table": "legacy_events", "id": "event_id", "eventData": "payload" },
 *     "runs": { "table": "app_migration_runs" }
 *   },
 *   "flagAccess": { "readerRoles": ["anon", "authenticated"], "adminRoles": ["service_role"] }
 * }
 * ```
 */
export const MigrateConfigSchema = z.strictObject({
  /**
   * The campaigns' owner column (user, workspace or website id), as `--owner-key` gives it; `user_id`
   * by default. `null`: the campaigns have no owner column, every row belongs to one owner (as
   * `--single-owner`).
   */
  ownerKey: Identifier.nullable().optional(),
  /** The integrations' owner column; the campaigns' by default. `null` as for `ownerKey`. */
  integrationOwnerKey: Identifier.nullable().optional(),
  /** The PostgreSQL schema or MySQL database of every table; the connection's default when absent. */
  schema: Identifier.optional(),
  /** Table and column names, where they differ from the product's. */
  names: z.strictObject(TableNames).partial().optional(),
  /** Insert the four system flags (disabled, 0 %) when missing; `true` by default. */
  seedSystemFlags: z.boolean().optional(),
  /** PostgreSQL: the roles of the feature-flag row-level security policies and grants. */
  flagAccess: z
    .strictObject({
      /** Roles that read enabled flags; `["public"]` (everyone) by default. */
      readerRoles: z.array(Identifier).min(1, 'must name at least one role (the default is ["public"])'),
      /** Roles that manage flags; none by default (only the owner and superusers then). */
      adminRoles: z.array(Identifier),
      /** A trusted SQL boolean expression an admin must also satisfy, written into the policy as is. */
      adminCondition: z.string().trim().min(1, 'must be a SQL boolean expression'),
    })
    .partial()
    .optional(),
  /** PostgreSQL: how long a schema change waits for a table lock, in ms; 5000 by default, 0 waits forever. */
  ddlLockTimeoutMs: NonNegativeInteger.optional(),
  /** PostgreSQL 14+: TOAST compression of `canonical_event`; unchanged when absent. */
  canonicalEventCompression: z.enum(['lz4', 'pglz']).optional(),
  /** MySQL/MariaDB: how long a schema change waits for a table's metadata lock, in seconds; 5 by default. */
  ddlLockTimeoutSeconds: z.number().int().positive().optional(),
  /** MySQL/MariaDB: how long `init` waits for another process creating the same schema, in seconds; 30 by default. */
  schemaLockTimeoutSeconds: NonNegativeInteger.optional(),
  /** SQLite: how long a statement waits for another process's write lock, in ms; 5000 by default. */
  busyTimeoutMs: NonNegativeInteger.optional(),
  /** PostgreSQL and MySQL/MariaDB servers: how long to wait for a connection, in ms; 10000 by default, 0 waits forever. */
  connectTimeoutMs: NonNegativeInteger.optional(),
  /** PostgreSQL and MySQL/MariaDB servers: how long one statement may run, in ms; 300000 by default, 0 waits forever. */
  statementTimeoutMs: NonNegativeInteger.optional(),
  /**
   * PostgreSQL, MySQL/MariaDB and SQLite: how long each batch `app-migrate events --apply` (and
   * `campaigns --apply`) writes waits for a lock the application holds, in ms, before the database
   * gives up and the batch is tried again (`batchTimeouts.lockTimeoutMs` of `runEventMigration` and
   * `runCampaignMigration`); the connection's own limit
   * when absent. MariaDB rounds it up to whole seconds; on SQLite it is the batch's busy timeout.
   */
  batchLockTimeoutMs: z.number().int().positive().optional(),
  /**
   * PostgreSQL and MariaDB: how long each batch `app-migrate events --apply` (and `campaigns
   * --apply`) writes may run, in ms, before the database cancels it and the run stops (exit 75;
   * `--resume` continues) (`batchTimeouts.statementTimeoutMs` of `runEventMigration` and
   * `runCampaignMigration`); `statementTimeoutMs` when absent.
   * The embedded PGlite ignores it.
   */
  batchStatementTimeoutMs: z.number().int().positive().optional(),
  /**
   * Every database: with `app-migrate events --apply`, a batch the database ends on its lock or
   * statement timeout makes the run pause `pauseMs`, halve its batches and read the rows again,
   * rather than try the batch again at once or stop; past `maxTimeouts` within `windowMs` it stops
   * (exit 75) (`timeoutThrottle` of `runEventMigration`). `{}` takes the defaults (5000, 5, 600000).
   */
  timeoutThrottle: z
    .strictObject({
      pauseMs: z.number().int().positive(),
      maxTimeouts: NonNegativeInteger,
      windowMs: z.number().int().positive(),
    })
    .partial()
    .optional(),
  /**
   * What `app-migrate events` writes of the payload in `canonical_event` (its
   * `--canonical-payload` when absent there): `copy` (the default) or `omit`, which leaves the
   * payload in `event_data` only (`canonicalPayload` of `runEventMigration`).
   */
  canonicalPayload: z.enum(['copy', 'omit']).optional(),
  /**
   * MySQL/MariaDB: the read replicas whose lag `--max-replication-lag` watches (a primary cannot
   * see it): each a `mysql://` (or `mariadb://`) URL of the replica itself, or `{ name, url }` to
   * choose how messages name it (the URL's host and port by default). The user needs `REPLICATION
   * CLIENT` (or `SLAVE MONITOR` on MariaDB 10.5+) there. Kept in the file, not on the command line,
   * so its passwords stay out of the shell's history and the process list.
   */
  replicas: z
    .array(z.union([ReplicaUrl, z.strictObject({ name: z.string().trim().min(1, 'must not be empty'), url: ReplicaUrl })]))
    .min(1, 'must list at least one replica')
    .optional(),
});

/** The `app-migrate --config` file, as {@link MigrateConfigSchema} validates it. */
export type MigrateConfig = z.infer<typeof MigrateConfigSchema>;

/** A path of a zod issue as a JSON path: `$.names.events.table`, `$.flagAccess.readerRoles[0]`. */
function jsonPath(path: readonly PropertyKey[]): string {
  let text = '$';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

/**
 * Why a value is not a {@link MigrateConfig}: one line per bad field, each starting with its
 * JSON path (`$.names.events.table: …`); an unknown field is named by its own path.
 */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${jsonPath([...issue.path, key])}: unknown field`)
      : [`${jsonPath(issue.path)}: ${issue.message}`],
  );
}
