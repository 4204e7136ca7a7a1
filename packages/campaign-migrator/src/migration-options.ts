/** The owner column used when none is given. */
export const DEFAULT_OWNER_KEY = 'user_id';

/** The `status` values (trimmed, case-folded) that make an integration active. */
export const DEFAULT_ACTIVE_STATUSES: readonly string[] = ['active', 'connected'];

/** How rows are read. Every field is optional; the defaults suit the legacy schema. */
export interface MigrationOptions {
  /**
   * Column holding the campaign's owner (user, workspace or website id). Default `user_id`. A
   * campaign with no value there (missing, null or blank) is `ambiguous` with `NO_OWNER`, and an
   * integration with none never serves an owned campaign.
   */
  ownerKey?: string;
  /** Column holding the integration's owner. Default: the same as `ownerKey`. */
  integrationOwnerKey?: string;
  /**
   * `true` when every row belongs to one owner (a single-tenant install, the seed example): owner
   * columns are ignored, so any campaign may match any integration. Without it, rows are never
   * matched across owners, and a campaign without an owner is `NO_OWNER`. Default `false`.
   */
  singleOwner?: boolean;
  /** `status` values that count as active (compared trimmed and lower-cased). Default `active`, `connected`. */
  activeStatuses?: readonly string[];
  /**
   * What to do when a campaign has both an integration source and a non-empty `native_config`:
   * `ambiguous` (default) flags it with `CONFLICTING_SOURCES`; `prefer_data_source` ignores
   * `native_config` (it is still kept on the row).
   */
  conflictingSources?: 'ambiguous' | 'prefer_data_source';
  /**
   * How messages name the owner options, for a tool that sets them otherwise: a CLI passes
   * `{ ownerKey: '--owner-key', singleOwner: '--single-owner' }`. By default messages name these
   * options (`the ownerKey option`, `singleOwner: true`).
   */
  optionNames?: { ownerKey?: string; singleOwner?: string };
}

/** {@link MigrationOptions} with every default filled in. */
export interface ResolvedMigrationOptions {
  ownerKey: string;
  integrationOwnerKey: string;
  singleOwner: boolean;
  activeStatuses: ReadonlySet<string>;
  conflictingSources: 'ambiguous' | 'prefer_data_source';
  optionNames: { ownerKey: string; singleOwner: string };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Fills defaults, ignoring option values of the wrong type (options may come from a JSON config). */
export function resolveMigrationOptions(options: MigrationOptions | undefined): ResolvedMigrationOptions {
  const ownerKey = nonEmptyString(options?.ownerKey) ?? DEFAULT_OWNER_KEY;
  const statuses = Array.isArray(options?.activeStatuses) ? options.activeStatuses : DEFAULT_ACTIVE_STATUSES;
  return {
    ownerKey,
    integrationOwnerKey: nonEmptyString(options?.integrationOwnerKey) ?? ownerKey,
    // Only a literal `true` opts out of owner scoping: a truthy string from a config file must not.
    singleOwner: options?.singleOwner === true,
    activeStatuses: new Set(statuses.filter((s): s is string => typeof s === 'string').map(foldStatus)),
    conflictingSources: options?.conflictingSources === 'prefer_data_source' ? 'prefer_data_source' : 'ambiguous',
    optionNames: {
      ownerKey: nonEmptyString(options?.optionNames?.ownerKey) ?? 'the ownerKey option',
      singleOwner: nonEmptyString(options?.optionNames?.singleOwner) ?? 'singleOwner: true',
    },
  };
}

/** Status comparison key: `" Active "` and `active` are the same status. */
export function foldStatus(status: string): string {
  return status.trim().toLowerCase();
}
