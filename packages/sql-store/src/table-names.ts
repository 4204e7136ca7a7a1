/** Table names, for teams whose schema differs from the product's. */
export interface TableNames {
  events: string;
  campaigns: string;
  integrations: string;
  /** Checkpoints and leases of the runs (created by the adapter). */
  runs: string;
  featureFlags: string;
  /** The history of every flag change (created by the adapter). */
  flagChanges: string;
  /** Flag telemetry: counts per window, flag, metric, variant and reason (created by the adapter). */
  flagMetrics: string;
}

/**
 * Column names the store reads or writes by name; every other column is read as it is. The
 * optional legacy columns, `eventType` and `createdAt`, may be `null`: the table has none (the
 * product's own events table has no `event_type`), and every event is read without it.
 */
export interface ColumnNames {
  events?: {
    id?: string;
    integrationType?: string;
    eventType?: string | null;
    eventData?: string;
    createdAt?: string | null;
    canonicalEvent?: string;
  };
  campaigns?: { id?: string; dataSourcesV2?: string };
  integrations?: { id?: string };
}

/** Where the tables are and what they are called: the naming options every adapter accepts. */
export interface NamingOptions {
  /** The schema (PostgreSQL) or database (MySQL) of every table; the connection's default when absent. */
  schema?: string;
  tables?: Partial<TableNames>;
  columns?: ColumnNames;
}

/** Every name the SQL uses, already quoted for one dialect. */
export interface ResolvedNames {
  schema: string | null;
  /** Qualified, quoted table names. */
  events: string;
  campaigns: string;
  integrations: string;
  runs: string;
  featureFlags: string;
  flagChanges: string;
  flagMetrics: string;
  /** Unquoted table names, for constraint and policy names. */
  raw: TableNames;
  /** Quoted column names (`eventType` and `createdAt` keep the default name when declared absent, for DDL). */
  event: { id: string; integrationType: string; eventType: string; eventData: string; createdAt: string; canonicalEvent: string };
  /** The optional legacy columns declared absent (`null`): read as SQL `NULL`, never looked for. */
  declaredAbsent: { eventType: boolean; createdAt: boolean };
  campaign: { id: string; dataSourcesV2: string };
  integration: { id: string };
  /** Unquoted column names that leave the store under a different key. */
  rawColumns: {
    campaignId: string;
    campaignDataSourcesV2: string;
    integrationId: string;
    eventId: string;
    eventIntegrationType: string;
    eventType: string;
    eventData: string;
    eventCreatedAt: string;
    canonicalEvent: string;
  };
}

/** The product's names. */
export const DEFAULT_TABLE_NAMES: Readonly<TableNames> = Object.freeze({
  events: 'events',
  campaigns: 'campaigns',
  integrations: 'integrations',
  runs: 'migration_runs',
  featureFlags: 'feature_flags',
  flagChanges: 'feature_flag_changes',
  flagMetrics: 'feature_flag_metrics',
});

/** Resolves every name from the options and quotes it with the dialect's `quote`. */
export function resolveNames(options: NamingOptions, quote: (name: string) => string): ResolvedNames {
  const raw: TableNames = { ...DEFAULT_TABLE_NAMES, ...options.tables };
  const schema = options.schema === undefined ? null : quote(options.schema);
  const table = (name: string) => (schema === null ? quote(name) : `${schema}.${quote(name)}`);
  const e = options.columns?.events ?? {};
  const c = options.columns?.campaigns ?? {};
  const i = options.columns?.integrations ?? {};
  return {
    schema,
    events: table(raw.events),
    campaigns: table(raw.campaigns),
    integrations: table(raw.integrations),
    runs: table(raw.runs),
    featureFlags: table(raw.featureFlags),
    flagChanges: table(raw.flagChanges),
    flagMetrics: table(raw.flagMetrics),
    raw,
    event: {
      id: quote(e.id ?? 'id'),
      integrationType: quote(e.integrationType ?? 'integration_type'),
      eventType: quote(e.eventType ?? 'event_type'),
      eventData: quote(e.eventData ?? 'event_data'),
      createdAt: quote(e.createdAt ?? 'created_at'),
      canonicalEvent: quote(e.canonicalEvent ?? 'canonical_event'),
    },
    declaredAbsent: { eventType: e.eventType === null, createdAt: e.createdAt === null },
    campaign: { id: quote(c.id ?? 'id'), dataSourcesV2: quote(c.dataSourcesV2 ?? 'data_sources_v2') },
    integration: { id: quote(i.id ?? 'id') },
    rawColumns: {
      campaignId: c.id ?? 'id',
      campaignDataSourcesV2: c.dataSourcesV2 ?? 'data_sources_v2',
      integrationId: i.id ?? 'id',
      eventId: e.id ?? 'id',
      eventIntegrationType: e.integrationType ?? 'integration_type',
      eventType: e.eventType ?? 'event_type',
      eventData: e.eventData ?? 'event_data',
      eventCreatedAt: e.createdAt ?? 'created_at',
      canonicalEvent: e.canonicalEvent ?? 'canonical_event',
    },
  };
}
