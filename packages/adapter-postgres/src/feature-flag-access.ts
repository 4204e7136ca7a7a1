/**
 * Who may read and manage `feature_flags` under row-level security. The policies are:
 * readers SELECT only enabled flags; admins (`adminRoles`, when `adminCondition` holds) do
 * everything. The table owner, superusers and roles with BYPASSRLS are not subject to RLS, so with
 * no `adminRoles` only they manage flags.
 */
export interface FeatureFlagAccess {
  /** Roles that read enabled flags; `PUBLIC` (everyone) by default. */
  readerRoles?: readonly string[];
  /** Roles the admin policy applies to (and that get INSERT, UPDATE, DELETE); none by default. */
  adminRoles?: readonly string[];
  /**
   * A trusted SQL boolean expression an admin must also satisfy, e.g. a JWT claim on Supabase;
   * `true` by default (membership in `adminRoles` is enough). Written into the policy as is.
   */
  adminCondition?: string;
}

/**
 * Supabase: `anon` and `authenticated` read enabled flags; an authenticated user whose JWT
 * `app_metadata.role` is `admin` manages them. Needs Supabase's `auth.jwt()`.
 */
export const SUPABASE_FLAG_ACCESS: Readonly<Required<FeatureFlagAccess>> = Object.freeze({
  readerRoles: Object.freeze(['anon', 'authenticated']),
  adminRoles: Object.freeze(['authenticated']),
  adminCondition: "coalesce((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin', false)",
});
