import type { DatabaseHealth, FlagStore, MigrationStore, ThrottleOptions } from '@app/migrate';
import type { AdminAuthorizer, AdminIdentity } from './admin-identity.js';
import type { AdminSection } from './admin-route.js';

/**
 * Local-only mode, for `app-migrate serve` on a developer's machine: no authorizer; instead one
 * token, accepted once on the sign-in page, makes the first browser to present it an admin. Every
 * request whose host is not a loopback name (`localhost`, `127.0.0.1`, `[::1]`) is refused, which
 * also defeats DNS rebinding.
 */
export interface LocalOnlyOptions {
  /** The one-time sign-in token (print it to the terminal); at least 16 characters. */
  oneTimeToken: string;
}

/** Options of {@link createAdminHandler}. */
export interface AdminHandlerOptions {
  /**
   * The database, through any adapter of `@app/migrate` (PGlite, PostgreSQL, MySQL/MariaDB,
   * SQLite): its store implements both ports, the migrations' and the feature flags'.
   */
  store: MigrationStore & FlagStore;
  /**
   * Who is calling ({@link createBearerTokenAuthorizer}, {@link createJwtAuthorizer}, or your own).
   * Required unless `localOnly` is given: without either the handler refuses to be created.
   */
  authorize?: AdminAuthorizer;
  /** Local-only mode instead of `authorize`; see {@link LocalOnlyOptions}. */
  localOnly?: LocalOnlyOptions;
  /** Where the app is mounted, as the handler sees request URLs (`/admin`); the root by default. */
  basePath?: string;
  /**
   * The base path browsers see, when a gateway adds a prefix the handler does not see: a Supabase
   * Edge Function named `admin` gets `/admin/…` while browsers use `/functions/v1/admin/…`. Links,
   * redirects and the cookie path use it; `basePath` by default.
   */
  publicBasePath?: string;
  /**
   * Signs session cookies; at least 32 characters. Give the same secret to every instance (edge
   * isolates, several servers) so a session works on all of them; a random one per handler by default.
   */
  sessionSecret?: string;
  /**
   * How long a browser session lasts, in seconds; 8 hours by default. Never longer than the
   * credentials it was made from: a session made from a JWT ends at its `exp` (see
   * {@link AdminIdentity.expires}), and every request asks `authorize` again, so a token it no
   * longer accepts ends the session at once.
   */
  sessionTtlSeconds?: number;
  /**
   * The origins a state-changing request may come from, like `https://admin.example.com`; the
   * request URL's own origin by default. Set it when a proxy changes the URL the handler sees.
   */
  allowedOrigins?: readonly string[];
  /** The time box of one request's migration work (one slice), in milliseconds; 5,000 by default. */
  sliceMs?: number;
  /** Rows per batch of the runners; the runner's default (1,000) by default. */
  batchSize?: number;
  /** The page title; `Admin` by default. */
  title?: string;
  /**
   * More pages, after the migration dashboard, each with its routes and navigation entry. Their
   * routes get the same authentication, role and CSRF checks.
   */
  sections?: readonly AdminSection[];
  /** The clock; `() => new Date()` by default. */
  now?: () => Date;
  /**
   * Throttle the events backfill and the campaigns Apply on the replicas' lag, as `app-migrate
   * events --max-replication-lag` does: before each batch a slice reads the database's health and
   * waits while a replica is past a limit; the wait ends with the slice (`sliceMs`), and the page
   * says what it waits for (a campaigns Apply that stops so offers to continue with the same
   * resolutions). `health` is the store by default (the PostgreSQL store, and the MySQL store
   * given `replicas`); a store that cannot read it is an `AdminConfigError`. Off by default.
   */
  throttle?: AdminThrottleOptions;
}

/** {@link AdminHandlerOptions.throttle}: the runner's `ThrottleOptions`, with the store as `health` by default. */
export interface AdminThrottleOptions extends Omit<ThrottleOptions, 'health' | 'pauseMs'> {
  /** Where the replicas' lag is read; the store by default. */
  health?: DatabaseHealth | undefined;
  /** The wait between two readings while paused, in ms; the runner's 5,000 by default (a slice's end cuts it short). */
  pauseMs?: number | undefined;
}
