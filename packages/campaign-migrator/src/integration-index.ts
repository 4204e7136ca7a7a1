import { type ProviderId, resolveProviderId } from '@app/canonical-events/providers';
import { checkShape } from './check-shape.js';
import { isDeletedAt } from './deleted-at.js';
import { OwnerIdSchema } from './field-schemas.js';
import { IntegrationRowSchema } from './integration-row-schema.js';
import { foldStatus, type ResolvedMigrationOptions } from './migration-options.js';
import { integrationOwner } from './owner-scope.js';
import { isPlainObject, readOwnProperty } from './own-property.js';
import { unreadableWhy } from './unreadable.js';

/** An integration row that cannot be used for matching, with the reason. Listed in the report. */
export interface IntegrationIssue {
  /** Position of the row in the integrations list. */
  index: number;
  /** The row's id as text, when it has a readable one. */
  integrationId: string | null;
  /** The column that is wrong, or `(row)`. */
  field: string;
  /** What is wrong, in words. */
  why: string;
}

/** An integration as the matcher sees it. */
export interface IndexedIntegration {
  /** The id as text: the lookup key. */
  key: string;
  /** The id as stored. */
  id: string | number;
  /** Canonical provider, or `null` when its name is not in the alias table. */
  provider: ProviderId | null;
  /** Owner id as text, or `null` when the row has none (or under `singleOwner`). */
  owner: string | null;
  deleted: boolean;
  active: boolean;
  name: string | null;
}

/** An integration that can serve campaigns of its owner: its provider is known. */
export type UsableIntegration = IndexedIntegration & { provider: ProviderId };

/** Why a referenced integration cannot serve a campaign. */
export type UnusableReason = 'deleted' | 'inactive' | 'other_owner' | 'unowned' | 'unknown_provider';

/** Integrations indexed once per plan, so each campaign is matched without rescanning the list. */
export interface IntegrationIndex {
  byId: ReadonlyMap<string, IndexedIntegration>;
  issues: readonly IntegrationIssue[];
  /** Usable integrations of an owner, in id order. */
  usableByOwner: ReadonlyMap<string | null, readonly UsableIntegration[]>;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isFlagOff(value: unknown): boolean {
  return value === false || value === 0;
}

/**
 * Why `integration` cannot serve a campaign of `owner`, or `undefined` when it can. A `null`
 * owner is not compared: it comes only from `singleOwner` data (every owner is `null` then) or
 * from a reviewer's resolution of a `NO_OWNER` campaign, where the reviewer's choice settles whose
 * campaign it is; an unowned campaign is never matched automatically.
 */
export function unusableReason(integration: IndexedIntegration, owner: string | null): UnusableReason | undefined {
  if (integration.deleted) return 'deleted';
  if (owner !== null && integration.owner !== owner) return integration.owner === null ? 'unowned' : 'other_owner';
  if (!integration.active) return 'inactive';
  if (integration.provider === null) return 'unknown_provider';
  return undefined;
}

/** Narrows `integration` when it can serve a campaign of `owner`. */
export function isUsableFor(integration: IndexedIntegration, owner: string | null): integration is UsableIntegration {
  return unusableReason(integration, owner) === undefined;
}

/** Indexes integration rows; rows that cannot be read become {@link IntegrationIssue}s, never throws. */
export function indexIntegrations(integrations: unknown, options: ResolvedMigrationOptions): IntegrationIndex {
  const rows: readonly unknown[] = Array.isArray(integrations) ? integrations : [];
  const byId = new Map<string, IndexedIntegration>();
  const issues: IntegrationIssue[] = [];
  rows.forEach((row, index) => {
    try {
      indexRow(row, index);
    } catch (error) {
      // Only exotic rows (a throwing getter or proxy) get here; they are reported, not thrown.
      issues.push({ index, integrationId: null, field: '(row)', why: unreadableWhy(error) });
    }
  });

  function indexRow(row: unknown, index: number): void {
    const id = readOwnProperty(row, 'id');
    const integrationId = typeof id === 'string' || typeof id === 'number' ? String(id) : null;
    const report = (field: string, why: string): void => {
      issues.push({ index, integrationId, field, why });
    };
    if (!isPlainObject(row)) return report('(row)', 'must be an object');
    const problem =
      checkShape(IntegrationRowSchema, row) ??
      (options.singleOwner ? undefined : checkShape(OwnerIdSchema.nullish(), readOwnProperty(row, options.integrationOwnerKey), options.integrationOwnerKey));
    if (problem !== undefined) return report(problem.field, problem.why);
    const key = String(id);
    if (byId.has(key)) return report('id', `duplicate id "${key}"; the first row with this id is used`);

    const providerName = readOwnProperty(row, 'provider');
    const typeName = readOwnProperty(row, 'integration_type');
    const fromProvider = resolveProviderId(providerName);
    const fromType = resolveProviderId(typeName);
    let provider: ProviderId | null = fromProvider ?? (providerName == null ? (fromType ?? null) : null);
    if (providerName == null && typeName == null) {
      report('provider', 'neither provider nor integration_type is set');
    } else if (provider === null) {
      const name = providerName ?? typeName;
      report(providerName == null ? 'integration_type' : 'provider', `unknown provider "${String(name)}" (not in the @app/canonical-events alias table)`);
    } else if (fromType !== undefined && fromType !== provider) {
      report('integration_type', `provider "${String(providerName)}" and integration_type "${String(typeName)}" name different providers`);
      provider = null;
    }

    const status = readOwnProperty(row, 'status');
    const active =
      (typeof status !== 'string' || options.activeStatuses.has(foldStatus(status))) &&
      !isFlagOff(readOwnProperty(row, 'active')) &&
      !isFlagOff(readOwnProperty(row, 'is_active')) &&
      !isFlagOff(readOwnProperty(row, 'enabled'));
    const name = readOwnProperty(row, 'name');
    byId.set(key, {
      key,
      id: id as string | number,
      provider,
      owner: integrationOwner(row, options),
      deleted: isDeletedAt(readOwnProperty(row, 'deleted_at')),
      active,
      name: typeof name === 'string' ? name : null,
    });
  }

  const usableByOwner = new Map<string | null, UsableIntegration[]>();
  for (const integration of [...byId.values()].sort((a, b) => compareKeys(a.key, b.key))) {
    if (!isUsableFor(integration, integration.owner)) continue;
    const list = usableByOwner.get(integration.owner);
    if (list === undefined) usableByOwner.set(integration.owner, [integration]);
    else list.push(integration);
  }
  return { byId, issues, usableByOwner };
}
