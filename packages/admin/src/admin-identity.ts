/**
 * What a caller may do. A `viewer` reads status and downloads reports; an `admin` also runs,
 * applies, resolves and changes flags.
 */
export type AdminRole = 'admin' | 'viewer';

/** Who is calling, as an {@link AdminAuthorizer} established it. */
export interface AdminIdentity {
  /** Shown in the page header and recorded as the runner's lease holder. */
  id: string;
  role: AdminRole;
  /**
   * When the credentials stop being valid, in seconds since the epoch (a JWT's `exp`); a browser
   * session made from them ends then at the latest. Absent: they do not expire by themselves.
   */
  expires?: number;
}

/**
 * Decides who sent a request from its credentials (the built-in ones read
 * `Authorization: Bearer …`): the caller's identity, or `null` to refuse it. It should not throw
 * for bad credentials; a throw is answered like `null`. A browser session asks it again, with the
 * credentials it was made from, on every request: refusing them ends the session.
 */
export type AdminAuthorizer = (request: Request) => Promise<AdminIdentity | null> | AdminIdentity | null;
