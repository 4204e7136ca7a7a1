import type { AdminAuthorizer, AdminIdentity, AdminRole } from './admin-identity.js';
import { bearerTokenOf } from './bearer-token-of.js';
import { timingSafeEqual } from './timing-safe-equal.js';

/** One accepted static token and who it stands for. */
export interface StaticToken {
  /** The secret; at least 16 characters (generate it: `openssl rand -hex 32`). */
  token: string;
  role: AdminRole;
  /** Names the caller in the page and in leases; `admin` or `viewer` (the role) by default. */
  id?: string;
}

/** The shortest static token accepted: shorter ones are guessable. */
export const MIN_STATIC_TOKEN_LENGTH = 16;

/**
 * An authorizer that accepts fixed bearer tokens (`Authorization: Bearer <token>`, or the token
 * typed on the sign-in page), compared in constant time. Every token is compared, so the time
 * taken does not tell which one nearly matched.
 *
 * @throws TypeError when no token is given or one is shorter than {@link MIN_STATIC_TOKEN_LENGTH}.
 */
export function createBearerTokenAuthorizer(tokens: readonly StaticToken[]): AdminAuthorizer {
  if (tokens.length === 0) throw new TypeError('createBearerTokenAuthorizer: give at least one token');
  tokens.forEach((entry, index) => {
    if (typeof entry.token !== 'string' || entry.token.length < MIN_STATIC_TOKEN_LENGTH) {
      throw new TypeError(`createBearerTokenAuthorizer: tokens[${index}].token must be a string of at least ${MIN_STATIC_TOKEN_LENGTH} characters`);
    }
    if (entry.role !== 'admin' && entry.role !== 'viewer') throw new TypeError(`createBearerTokenAuthorizer: tokens[${index}].role must be "admin" or "viewer"`);
  });
  const accepted = tokens.map((entry) => ({ token: entry.token, identity: { id: entry.id ?? entry.role, role: entry.role } satisfies AdminIdentity }));
  return async (request) => {
    const given = bearerTokenOf(request);
    if (given === null) return null;
    let found: AdminIdentity | null = null;
    for (const entry of accepted) if ((await timingSafeEqual(given, entry.token)) && found === null) found = entry.identity;
    return found;
  };
}
