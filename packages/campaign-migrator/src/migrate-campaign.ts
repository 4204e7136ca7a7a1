import type { AmbiguityReason } from './ambiguity-reason.js';
import type { CampaignMigrationResult, MigrationCandidate } from './campaign-migration-result.js';
import type { CampaignRow } from './campaign-row-schema.js';
import { type IndexedIntegration, type IntegrationIndex, indexIntegrations, isUsableFor, unusableReason, type UsableIntegration } from './integration-index.js';
import { type MigrationOptions, type ResolvedMigrationOptions, resolveMigrationOptions } from './migration-options.js';
import { NATIVE_PROVIDER_ID, nativeDataSource } from './native-source.js';
import { type CampaignReading, campaignLabel, invalidCampaign, readCampaign, withDataSources } from './read-campaign.js';
import { readRowId } from './row-id.js';
import { unreadableWhy } from './unreadable.js';

const UNUSABLE_WORDS = {
  missing: 'does not exist',
  deleted: 'is deleted',
  inactive: 'is inactive',
  other_owner: 'belongs to another owner',
  unowned: 'has no owner (an integration without one never serves an owned campaign)',
  unknown_provider: 'has a provider name that is not in the alias table',
} as const;

/** A candidate naming one integration. */
export function integrationCandidate(integration: UsableIntegration): MigrationCandidate {
  return { type: 'integration', integration_id: integration.id, provider: integration.provider, name: integration.name };
}

const NATIVE_CANDIDATE: MigrationCandidate = { type: 'native', provider: NATIVE_PROVIDER_ID };

function ownerWords(reading: CampaignReading, options: ResolvedMigrationOptions): string {
  return reading.owner === null ? 'the single owner (singleOwner)' : `${options.ownerKey} ${JSON.stringify(reading.owner)}`;
}

/**
 * The native result (exported for resolutions). Filters: `native_config` when set, else
 * `integration_settings` only when `data_source` itself names the native provider. Otherwise they
 * are an integration's filters (Shopify event names…) that mean nothing to the native source, so
 * it gets `{}`.
 */
export function nativeResult(reading: CampaignReading, why: string): CampaignMigrationResult {
  const filters = reading.nativeConfig ?? (reading.provider === NATIVE_PROVIDER_ID ? reading.filters : {});
  const dataSources = [nativeDataSource(filters)];
  return {
    outcome: 'native',
    campaignId: reading.id,
    campaign: withDataSources(reading.row, dataSources),
    dataSources,
    message: `${campaignLabel(reading.id)}: ${why}; mapped to the native ${NATIVE_PROVIDER_ID} source`,
  };
}

/** The migrated result for one chosen integration (exported for resolutions). */
export function migratedResult(reading: CampaignReading, integration: UsableIntegration, why: string): CampaignMigrationResult {
  const dataSources = [{ integration_id: integration.id, provider: integration.provider, filters: reading.filters }];
  return {
    outcome: 'migrated',
    campaignId: reading.id,
    campaign: withDataSources(reading.row, dataSources),
    dataSources,
    message: `${campaignLabel(reading.id)}: ${why}; mapped to ${integration.provider} integration ${JSON.stringify(integration.key)}`,
  };
}

/** What a reviewer may be offered: a usable integration, or the native source. */
type Offer = IndexedIntegration | typeof NATIVE;
const NATIVE = 'native';

/**
 * How many integrations an ambiguous campaign lists as candidates; `candidatesTotal` counts them
 * all. An owner with a thousand integrations of a provider would otherwise put a thousand
 * candidates into every one of its campaigns' report items: the report would grow with
 * campaigns × integrations (past what `JSON.stringify` can hold) instead of with campaigns.
 */
export const MAX_LISTED_CANDIDATES = 20;

/**
 * The candidates of an ambiguous result: each offer once, at most {@link MAX_LISTED_CANDIDATES}
 * integrations (in order) and native when offered, and how many there are in all. Linear, with
 * no set: the lists it gets hold each integration once, except a choice put in front of them.
 */
function offered(offers: readonly Offer[]): { candidates: MigrationCandidate[]; candidatesTotal: number } {
  const head = offers[0];
  const candidates: MigrationCandidate[] = [];
  let total = 0;
  let native = false;
  offers.forEach((offer, position) => {
    if (offer === NATIVE) {
      if (!native) total++;
      native = true;
    } else if (position === 0 || offer !== head) {
      total++;
      if (candidates.length < MAX_LISTED_CANDIDATES) candidates.push(integrationCandidate(offer as UsableIntegration));
    }
  });
  if (native) candidates.push(NATIVE_CANDIDATE);
  return { candidates, candidatesTotal: total };
}

/** A decision and the reading it was made from (`null` when the row could not be read as a campaign). */
export interface CampaignDecisionWithReading {
  result: CampaignMigrationResult;
  reading: CampaignReading | null;
}

/** Decides one campaign against an already built integration index, keeping the reading. Never throws. */
export function decideCampaignRow(campaign: unknown, index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignDecisionWithReading {
  try {
    const reading = readCampaign(campaign, options);
    if ('outcome' in reading) return { result: reading, reading: null };
    return { result: decideCampaign(reading, index, options), reading };
  } catch (error) {
    // Only exotic inputs get here (a getter or proxy that throws); the result stays a value.
    return { result: invalidCampaign(readRowId(campaign), '(row)', unreadableWhy(error)), reading: null };
  }
}

/** Decides one campaign against an already built integration index. Never throws. */
export function migrateCampaignWithIndex(campaign: unknown, index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignMigrationResult {
  return decideCampaignRow(campaign, index, options).result;
}

function noOwnerResult(reading: CampaignReading, index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignMigrationResult {
  // No integration list is offered: without an owner every tenant's integrations would qualify.
  // Only the row's own reference is, when it points to a live integration, for the reviewer to confirm.
  const target = reading.reference === null ? undefined : index.byId.get(reading.reference);
  const referenced = target !== undefined && isUsableFor(target, reading.owner) ? [target] : [];
  return {
    outcome: 'ambiguous',
    campaignId: reading.id,
    reasons: ['NO_OWNER'],
    ...offered([...referenced, NATIVE]),
    message:
      `${campaignLabel(reading.id)}: has no owner (${options.ownerKey} is missing, null or empty), so no integration is matched; ` +
      `check that ${options.optionNames.ownerKey} names the column holding the owner (user_id, workspace_id…), or pass ${options.optionNames.singleOwner} if every row belongs to one owner`,
  };
}

function decideCampaign(reading: CampaignReading, index: IntegrationIndex, options: ResolvedMigrationOptions): CampaignMigrationResult {
  const label = campaignLabel(reading.id);
  if (reading.alreadyMigrated) {
    return {
      outcome: 'already_migrated',
      campaignId: reading.id,
      campaign: reading.row as CampaignRow,
      message: `${label}: already has data_sources_v2; nothing to do`,
    };
  }
  if (reading.owner === null && !options.singleOwner) return noOwnerResult(reading, index, options);
  const usable = index.usableByOwner.get(reading.owner) ?? [];
  const owner = ownerWords(reading, options);

  if (reading.dataSource === null && reading.reference === null) {
    if (reading.nativeConfig !== null) return nativeResult(reading, 'runs on native_config');
    return {
      outcome: 'ambiguous',
      campaignId: reading.id,
      reasons: ['NO_SOURCE'],
      ...offered([...usable, NATIVE]),
      message: `${label}: has neither data_source nor native_config`,
    };
  }

  const reasons: AmbiguityReason[] = [];
  const why: string[] = [];
  let candidates: Offer[] = [];
  let choice: UsableIntegration | 'native' | undefined;
  let chosenBecause = '';
  const provider = reading.provider ?? undefined;

  if (reading.dataSource !== null && provider === undefined) {
    reasons.push('UNKNOWN_PROVIDER');
    why.push(`data_source ${JSON.stringify(reading.dataSource)} is not a known provider name`);
    candidates = [...usable, NATIVE];
  } else if (reading.reference !== null) {
    const target = index.byId.get(reading.reference);
    const sameProvider = usable.filter((integration) => provider === undefined || integration.provider === provider);
    if (target === undefined || !isUsableFor(target, reading.owner)) {
      const unusable = target === undefined ? 'missing' : (unusableReason(target, reading.owner) ?? 'missing');
      reasons.push('ORPHANED_INTEGRATION');
      why.push(`integration_settings.integration_id ${JSON.stringify(reading.reference)} ${UNUSABLE_WORDS[unusable]}`);
      candidates = [...sameProvider, NATIVE];
    } else if (provider !== undefined && target.provider !== provider) {
      reasons.push('INTEGRATION_PROVIDER_MISMATCH');
      why.push(`integration_settings.integration_id ${JSON.stringify(reading.reference)} is a ${target.provider} integration but data_source is ${JSON.stringify(reading.dataSource)}`);
      candidates = [target, ...sameProvider];
    } else {
      choice = target;
      chosenBecause = 'integration_settings.integration_id names a usable integration';
    }
  } else {
    const matches = usable.filter((integration) => integration.provider === provider);
    const [only] = matches;
    if (matches.length === 1 && only !== undefined) {
      choice = only;
      chosenBecause = `the only usable ${String(provider)} integration of ${owner}`;
    } else if (matches.length === 0 && provider === NATIVE_PROVIDER_ID) {
      choice = 'native';
      chosenBecause = `data_source ${JSON.stringify(reading.dataSource)} names the native source`;
    } else if (matches.length === 0) {
      reasons.push('NO_MATCHING_INTEGRATION');
      why.push(`${owner} has no usable ${String(provider)} integration`);
      candidates = [...usable, NATIVE];
    } else {
      reasons.push('MULTIPLE_MATCHING_INTEGRATIONS');
      why.push(`${owner} has ${matches.length} usable ${String(provider)} integrations`);
      candidates = matches;
    }
  }

  if (reading.nativeConfig !== null && choice !== 'native') {
    if (options.conflictingSources === 'ambiguous') {
      reasons.push('CONFLICTING_SOURCES');
      why.push('both an integration source and native_config are set');
      if (choice !== undefined) candidates = [choice, ...candidates];
    }
    if (reasons.length > 0) candidates = [...candidates, NATIVE];
  } else if (reasons.length > 0 && provider === NATIVE_PROVIDER_ID) {
    candidates = [...candidates, NATIVE];
  }

  if (reasons.length > 0) {
    return {
      outcome: 'ambiguous',
      campaignId: reading.id,
      reasons,
      ...offered(candidates),
      message: `${label}: ${why.join('; ')}`,
    };
  }
  if (choice === 'native') return nativeResult(reading, chosenBecause);
  if (choice === undefined) return invalidCampaign(reading.id, '(row)', 'could not be decided'); // unreachable by construction
  return migratedResult(reading, choice, chosenBecause);
}

/**
 * Maps one legacy campaign to `data_sources_v2`. Pure and total: any input gives a result (never
 * a throw), inputs are never modified, and a campaign that already has `data_sources_v2` comes
 * back unchanged as `already_migrated`. The returned row keeps every original column as it was.
 * Integrations are only matched within the campaign's owner (`ownerKey`): a campaign without one
 * is `ambiguous` with `NO_OWNER`, unless `singleOwner: true` says the data has a single owner.
 *
 * @example
 * ```ts
 * const result = migrateCampaign(
 *   { id: 'campaign-1', user_id: 'u1', data_source: 'shopify', integration_settings: { events: ['order.created'] } },
 *   [{ id: 'int-123', user_id: 'u1', provider: 'shopify', status: 'active' }],
 * );
 * if (result.outcome === 'migrated') result.campaign.data_sources_v2;
 * // [{ integration_id: 'int-123', provider: 'shopify', filters: { events: ['order.created'] } }]
 * ```
 */
export function migrateCampaign(campaign: unknown, integrations: readonly unknown[], options?: MigrationOptions): CampaignMigrationResult {
  const resolved = resolveMigrationOptions(options);
  return migrateCampaignWithIndex(campaign, indexIntegrations(integrations, resolved), resolved);
}
