import type { ResolvedMigrationOptions } from './migration-options.js';
import { readOwnProperty } from './own-property.js';

/**
 * An owner id as exact text, so `42`, `42n` and `"42"` (a bigint column read by one driver as a
 * number, by another as a bigint or a string) are the same owner. A missing, null or blank owner
 * is `null`, "no owner": never a scope rows share, since rows without an owner would otherwise
 * match each other across tenants (the symptom of an `ownerKey` naming the wrong column). So is
 * an integer number past 2^53, whose digits may be rounded (`OwnerIdSchema` refuses such rows
 * first): two tenants must never share a rounded token.
 */
export function ownerToken(owner: unknown): string | null {
  if (typeof owner === 'bigint') return owner.toString();
  if (typeof owner === 'number') return Number.isInteger(owner) && !Number.isSafeInteger(owner) ? null : String(owner);
  return typeof owner === 'string' && owner.trim() !== '' ? owner : null;
}

/** The owner of a campaign row; `null` when it has none, and for every row under `singleOwner`. */
export function campaignOwner(row: unknown, options: ResolvedMigrationOptions): string | null {
  return options.singleOwner ? null : ownerToken(readOwnProperty(row, options.ownerKey));
}

/** The owner of an integration row; `null` when it has none, and for every row under `singleOwner`. */
export function integrationOwner(row: unknown, options: ResolvedMigrationOptions): string | null {
  return options.singleOwner ? null : ownerToken(readOwnProperty(row, options.integrationOwnerKey));
}
