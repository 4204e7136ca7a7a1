import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';
import type { AdminAuthorizer, AdminRole } from './admin-identity.js';
import { bearerTokenOf } from './bearer-token-of.js';

/** Options of {@link createJwtAuthorizer}: exactly one of `secret` and `jwksUrl`. */
export interface JwtAuthorizerOptions {
  /** The HS256 secret (Supabase: the project's JWT secret). */
  secret?: string;
  /** Where the signing keys are published (Supabase: `https://<project>.supabase.co/auth/v1/.well-known/jwks.json`). */
  jwksUrl?: string | URL;
  /**
   * Where the role is in the token's claims, as a dot path: `app_metadata.role` by default (in
   * Supabase only the service role can write `app_metadata`, unlike `user_metadata`).
   */
  roleClaim?: string;
  /** The claim values that make an admin; `['admin']` by default. */
  adminValues?: readonly string[];
  /**
   * The claim values that make a viewer; none by default, so a signed-in user without an admin
   * value is refused rather than shown the page.
   */
  viewerValues?: readonly string[];
  /** Required `iss`. */
  issuer?: string;
  /** Required `aud` (Supabase: `authenticated`). */
  audience?: string;
  /** The claim naming the caller; `email`, then `sub`. */
  idClaim?: string;
  /** The clock the expiry (`exp`, `nbf`) is checked against; `() => new Date()` by default. */
  now?: () => Date;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function roleOf(claim: unknown, admins: readonly string[], viewers: readonly string[]): AdminRole | null {
  const values = Array.isArray(claim) ? claim : [claim];
  if (values.some((value) => typeof value === 'string' && admins.includes(value))) return 'admin';
  if (values.some((value) => typeof value === 'string' && viewers.includes(value))) return 'viewer';
  return null;
}

/**
 * An authorizer for JWTs (Supabase Auth or any issuer): verifies the signature with `jose`
 * (HS256 with `secret`, or the keys at `jwksUrl`), the expiry, and `issuer`/`audience` when
 * given, then reads the role claim at `roleClaim`. A token without an admin or viewer value there
 * is refused, and so is a token without `exp`. The identity carries the token's `exp` as
 * `expires`, so a browser session made from the token ends with it.
 *
 * @throws TypeError unless exactly one of `secret` and `jwksUrl` is given.
 */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): AdminAuthorizer {
  if ((options.secret === undefined) === (options.jwksUrl === undefined)) throw new TypeError('createJwtAuthorizer: give exactly one of secret and jwksUrl');
  if (options.secret !== undefined && options.secret.length < 16) throw new TypeError('createJwtAuthorizer: secret must be at least 16 characters');
  const key: Uint8Array | JWTVerifyGetKey =
    options.secret !== undefined ? new TextEncoder().encode(options.secret) : createRemoteJWKSet(new URL(options.jwksUrl!));
  const roleClaim = options.roleClaim ?? 'app_metadata.role';
  const admins = options.adminValues ?? ['admin'];
  const viewers = options.viewerValues ?? [];
  const verifyOptions = {
    // A token without an expiry would make a session that never ends with it.
    requiredClaims: ['exp'],
    ...(options.secret !== undefined ? { algorithms: ['HS256'] } : {}),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  const now = options.now ?? (() => new Date());
  return async (request) => {
    const token = bearerTokenOf(request);
    if (token === null) return null;
    let payload: JWTPayload;
    try {
      const checks = { ...verifyOptions, currentDate: now() };
      payload = (typeof key === 'function' ? await jwtVerify(token, key, checks) : await jwtVerify(token, key, checks)).payload;
    } catch {
      return null;
    }
    const role = roleOf(claimAt(payload, roleClaim), admins, viewers);
    if (role === null) return null;
    const id = claimAt(payload, options.idClaim ?? 'email') ?? payload.sub;
    return { id: typeof id === 'string' && id !== '' ? id : 'jwt-user', role, ...(typeof payload.exp === 'number' ? { expires: payload.exp } : {}) };
  };
}
