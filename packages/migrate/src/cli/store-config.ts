import { InvalidOptionError } from '../errors.js';
import { type MigrateConfig, MigrateConfigSchema, describeConfigIssues } from '../migrate-config.js';
import type { CliIo } from './cli-io.js';
import type { DatabaseTarget } from './database-target.js';
import { readJsonOption } from './option-values.js';

/** The environment variable naming the config file when `--config` is not given. */
export const CONFIG_ENV = 'APP_MIGRATE_CONFIG';

/** A validated config file and where it came from, for messages. */
export interface LoadedConfig {
  config: MigrateConfig;
  /** `--config`, or {@link CONFIG_ENV} when the file came from the environment. */
  option: string;
  /** The file as given. */
  file: string;
}

/**
 * The options the adapters take from a config file. Declared here, not imported: the adapters are
 * optional peers, and each ignores the fields that are not its own (the config was checked against
 * `--db` before).
 */
export interface ConfiguredStoreOptions {
  schema?: string;
  tables?: Record<string, string>;
  columns?: Record<string, Record<string, string | null>>;
  seedSystemFlags?: boolean;
  flagAccess?: { readerRoles?: string[]; adminRoles?: string[]; adminCondition?: string };
  ddlLockTimeoutMs?: number;
  canonicalEventCompression?: 'lz4' | 'pglz';
  ddlLockTimeoutSeconds?: number;
  schemaLockTimeoutSeconds?: number;
  busyTimeoutMs?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

type Adapter = 'postgres' | 'mysql' | 'sqlite';

const ADAPTER_NAME: Record<Adapter, string> = {
  postgres: 'PostgreSQL (and the embedded PGlite)',
  mysql: 'MySQL/MariaDB',
  sqlite: 'SQLite',
};

// A `Record` over every field, so a new field cannot be added without deciding where it applies.
// A field for another database is refused: ignoring `flagAccess` on MySQL would leave a reader
// believing the flags' row-level security was set up.
const APPLIES_TO: Record<keyof MigrateConfig, readonly Adapter[]> = {
  ownerKey: ['postgres', 'mysql', 'sqlite'],
  integrationOwnerKey: ['postgres', 'mysql', 'sqlite'],
  names: ['postgres', 'mysql', 'sqlite'],
  seedSystemFlags: ['postgres', 'mysql', 'sqlite'],
  // SQLite's `schema` is an attached database, and the CLI attaches none.
  schema: ['postgres', 'mysql'],
  flagAccess: ['postgres'],
  ddlLockTimeoutMs: ['postgres'],
  canonicalEventCompression: ['postgres'],
  ddlLockTimeoutSeconds: ['mysql'],
  schemaLockTimeoutSeconds: ['mysql'],
  busyTimeoutMs: ['sqlite'],
  connectTimeoutMs: ['postgres', 'mysql'],
  statementTimeoutMs: ['postgres', 'mysql'],
  canonicalPayload: ['postgres', 'mysql', 'sqlite'],
  batchLockTimeoutMs: ['postgres', 'mysql', 'sqlite'],
  // SQLite runs a statement to its end inside the call: nothing can bound it.
  batchStatementTimeoutMs: ['postgres', 'mysql'],
  timeoutThrottle: ['postgres', 'mysql', 'sqlite'],
  replicas: ['mysql'],
};

const DATABASE_OF: Record<DatabaseTarget['kind'], string> = {
  postgres: 'a PostgreSQL server',
  pglite: 'an embedded PGlite database',
  mysql: 'a MySQL/MariaDB server',
  sqlite: 'a SQLite file',
};

/**
 * Reads and validates the config file of `--config`, or else of `APP_MIGRATE_CONFIG` in
 * `io.env`; `undefined` when neither names one.
 *
 * @throws InvalidOptionError `INVALID_OPTION` naming the option and the file: unreadable, not JSON,
 *   or not a {@link MigrateConfig} (with the JSON path of every bad field).
 */
export async function loadConfig(file: string | undefined, io: CliIo): Promise<LoadedConfig | undefined> {
  const option = file === undefined ? CONFIG_ENV : '--config';
  const path = file ?? io.env?.[CONFIG_ENV];
  // An empty variable is how shells unset one for a single command (APP_MIGRATE_CONFIG= app-migrate …).
  if (path === undefined || (file === undefined && path === '')) return undefined;
  if (path.trim() === '') throw new InvalidOptionError(option, 'names no file');
  const json = await readJsonOption(option, path);
  const parsed = MigrateConfigSchema.safeParse(json);
  if (!parsed.success) throw new InvalidOptionError(option, `${path} is not a valid config: ${describeConfigIssues(parsed.error).join('; ')}`);
  return { config: parsed.data, option, file: path };
}

/**
 * The adapter options of a config for the database `target` names: `names` as the adapters'
 * `tables` and `columns`, every other field as it is.
 *
 * @throws InvalidOptionError `INVALID_OPTION` for a field of another database's adapter.
 */
export function storeOptionsOf(loaded: LoadedConfig | undefined, target: DatabaseTarget): ConfiguredStoreOptions {
  if (loaded === undefined) return {};
  const adapter: Adapter = target.kind === 'pglite' ? 'postgres' : target.kind;
  // The owner columns, the canonical payload, the batch timeouts and the timeout throttle are the runners' options, not the store's; the replicas' URLs become connections when the store opens.
  const {
    names,
    ownerKey: _owner,
    integrationOwnerKey: _integrationOwner,
    canonicalPayload: _payload,
    batchLockTimeoutMs: _batchLock,
    batchStatementTimeoutMs: _batchStatement,
    timeoutThrottle: _timeoutThrottle,
    replicas: _replicas,
    ...rest
  } = loaded.config;
  for (const [field, value] of Object.entries(loaded.config)) {
    const appliesTo = APPLIES_TO[field as keyof MigrateConfig];
    if (value === undefined || appliesTo.includes(adapter)) continue;
    throw new InvalidOptionError(
      loaded.option,
      `${loaded.file}: $.${field} applies to ${appliesTo.map((a) => ADAPTER_NAME[a]).join(' and ')} only, and --db names ${DATABASE_OF[target.kind]}; ` +
        'remove it, or keep one config file per database',
    );
  }
  const tables: Record<string, string> = {};
  const columns: Record<string, Record<string, string | null>> = {};
  for (const [key, entry] of Object.entries(names ?? {})) {
    const { table, ...named } = entry as { table?: string } & Record<string, string | null>;
    if (table !== undefined) tables[key] = table;
    if (Object.keys(named).length > 0) columns[key] = named;
  }
  return {
    ...rest,
    ...(Object.keys(tables).length > 0 ? { tables } : {}),
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
  };
}
