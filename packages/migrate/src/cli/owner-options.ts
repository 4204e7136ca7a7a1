import type { MigrateConfig } from '../migrate-config.js';

/** The campaign runner's owner options, as `campaigns` and `verify` take them. */
export interface OwnerOptions {
  ownerKey?: string;
  integrationOwnerKey?: string;
  singleOwner?: true;
}

/**
 * The owner options of `--owner-key` and `--single-owner`, else of the `--config` file's
 * `ownerKey` and `integrationOwnerKey` (`null` there: no owner column, one owner, as
 * `--single-owner`). The flags win over the file.
 */
export function ownerOptionsOf(flags: { 'owner-key'?: string | undefined; 'single-owner'?: boolean | undefined }, config: MigrateConfig | undefined): OwnerOptions {
  if (flags['single-owner'] === true) return { singleOwner: true };
  const ownerKey = flags['owner-key'] ?? config?.ownerKey;
  const integrationOwnerKey = config?.integrationOwnerKey;
  if (ownerKey === null || integrationOwnerKey === null) return { singleOwner: true };
  return {
    ...(ownerKey === undefined ? {} : { ownerKey }),
    ...(integrationOwnerKey === undefined ? {} : { integrationOwnerKey }),
  };
}
