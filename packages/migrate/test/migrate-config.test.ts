import { describe, expect, expectTypeOf, it } from 'vitest';
import { type MigrateConfig, MigrateConfigSchema } from '../src/index.js';

const issuesOf = (value: unknown) => {
  const parsed = MigrateConfigSchema.safeParse(value);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((issue) => ({ code: issue.code, path: issue.path, ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}) }));
};

describe('MigrateConfigSchema', () => {
  it('accepts every field, and the empty config', () => {
    const config = {
      schema: 'legacy',
      names: {
        events: { table: 'legacy_events', id: 'event_id', integrationType: 'source', eventType: 'kind', eventData: 'payload', createdAt: 'occurred_at', canonicalEvent: 'canonical' },
        campaigns: { table: 'legacy_campaigns', id: 'campaign_id', dataSourcesV2: 'sources_v2' },
        integrations: { table: 'legacy_integrations', id: 'integration_id' },
        runs: { table: 'app_migration_runs' },
        featureFlags: { table: 'app_feature_flags' },
      },
      seedSystemFlags: false,
      flagAccess: { readerRoles: ['anon', 'authenticated'], adminRoles: ['service_role'], adminCondition: 'true' },
      ddlLockTimeoutMs: 0,
      canonicalEventCompression: 'lz4',
      ddlLockTimeoutSeconds: 5,
      schemaLockTimeoutSeconds: 0,
      busyTimeoutMs: 10_000,
      replicas: ['mysql://monitor:secret@replica-1:3306', { name: 'replica-eu', url: 'mariadb://monitor@10.0.0.7' }],
    };
    expect(MigrateConfigSchema.parse(config)).toEqual(config);
    expect(MigrateConfigSchema.parse({})).toEqual({});
    expect(MigrateConfigSchema.parse({ names: { events: { table: 'legacy_events' } } })).toEqual({ names: { events: { table: 'legacy_events' } } });
  });

  it('refuses unknown fields at every level, so a misspelt name is never ignored', () => {
    expect(issuesOf({ name: {} })).toEqual([{ code: 'unrecognized_keys', path: [], keys: ['name'] }]);
    expect(issuesOf({ names: { event: {} } })).toEqual([{ code: 'unrecognized_keys', path: ['names'], keys: ['event'] }]);
    expect(issuesOf({ names: { events: { tabel: 'x' } } })).toEqual([{ code: 'unrecognized_keys', path: ['names', 'events'], keys: ['tabel'] }]);
    expect(issuesOf({ names: { runs: { id: 'x' } } })).toEqual([{ code: 'unrecognized_keys', path: ['names', 'runs'], keys: ['id'] }]);
    expect(issuesOf({ flagAccess: { readers: ['anon'] } })).toEqual([{ code: 'unrecognized_keys', path: ['flagAccess'], keys: ['readers'] }]);
  });

  it('refuses bad values with the path of the field', () => {
    expect(issuesOf({ names: { events: { table: '' } } })).toMatchObject([{ path: ['names', 'events', 'table'] }]);
    expect(issuesOf({ names: { campaigns: { id: 'a\0b' } } })).toMatchObject([{ path: ['names', 'campaigns', 'id'] }]);
    expect(issuesOf({ names: { events: { id: 7 } } })).toMatchObject([{ code: 'invalid_type', path: ['names', 'events', 'id'] }]);
    expect(issuesOf({ flagAccess: { readerRoles: [] } })).toMatchObject([{ path: ['flagAccess', 'readerRoles'] }]);
    expect(issuesOf({ flagAccess: { adminRoles: ['ok', 3] } })).toMatchObject([{ path: ['flagAccess', 'adminRoles', 1] }]);
    expect(issuesOf({ flagAccess: { adminCondition: '  ' } })).toMatchObject([{ path: ['flagAccess', 'adminCondition'] }]);
    expect(issuesOf({ ddlLockTimeoutMs: -1 })).toMatchObject([{ path: ['ddlLockTimeoutMs'] }]);
    expect(issuesOf({ ddlLockTimeoutSeconds: 0 })).toMatchObject([{ path: ['ddlLockTimeoutSeconds'] }]);
    expect(issuesOf({ busyTimeoutMs: 1.5 })).toMatchObject([{ path: ['busyTimeoutMs'] }]);
    expect(issuesOf({ canonicalEventCompression: 'zstd' })).toMatchObject([{ path: ['canonicalEventCompression'] }]);
    expect(issuesOf({ seedSystemFlags: 'no' })).toMatchObject([{ path: ['seedSystemFlags'] }]);
    expect(issuesOf([])).toMatchObject([{ code: 'invalid_type', path: [] }]);
    expect(issuesOf({ replicas: [] })).toMatchObject([{ path: ['replicas'] }]);
    expect(issuesOf({ replicas: ['postgres://standby'] })).toMatchObject([{ path: ['replicas', 0] }]);
    expect(issuesOf({ replicas: ['mysql://monitor@replica 1'] })).toMatchObject([{ path: ['replicas', 0] }]);
    expect(issuesOf({ replicas: ['mysql://ok', { name: ' ', url: 'mysql://r2' }] })).toMatchObject([{ path: ['replicas', 1, 'name'] }]);
  });

  it('has the type derived from it', () => {
    expectTypeOf<MigrateConfig['names']>().toEqualTypeOf<
      | {
          events?: { table?: string; id?: string; integrationType?: string; eventType?: string | null; eventData?: string; createdAt?: string | null; canonicalEvent?: string };
          campaigns?: { table?: string; id?: string; dataSourcesV2?: string };
          integrations?: { table?: string; id?: string };
          runs?: { table?: string };
          featureFlags?: { table?: string };
          flagChanges?: { table?: string };
          flagMetrics?: { table?: string };
        }
      | undefined
    >();
    expectTypeOf<MigrateConfig['canonicalEventCompression']>().toEqualTypeOf<'lz4' | 'pglz' | undefined>();
  });
});
