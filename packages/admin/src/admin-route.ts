import type { FlagStore, MigrationStore, ThrottleOptions } from '@app/migrate';
import type { Markup } from './markup.js';
import type { AdminSession } from './session-codec.js';

/**
 * Who may call a route:
 * - `public`: anyone (the sign-in page and the static files);
 * - `viewer`: any signed-in caller;
 * - `admin`: only admins.
 *
 * Whatever a route declares, the dispatcher refuses a state-changing method (anything but GET and
 * HEAD) without a valid CSRF token and an allowed `Origin`; and on every non-public route it
 * requires a session. A route cannot opt out of either.
 */
export type RouteAccess = 'public' | 'viewer' | 'admin';

/** What a route handler gets: the request, its caller, and the app's helpers. */
export interface AdminRequestContext {
  request: Request;
  url: URL;
  /** Path parameters (`/flags/:name` → `{ name }`). */
  params: Record<string, string>;
  /** The caller; `null` only on public routes. */
  session: AdminSession | null;
  /** The form of a POST (`application/x-www-form-urlencoded` or `multipart/form-data`), already read; empty otherwise. */
  form: URLSearchParams;
  store: MigrationStore & FlagStore;
  /** The app's own URL for `path` (which starts with `/`): the base path prefixed. */
  href(path: string): string;
  /** A full page in the app's layout (header, navigation, sign-out), status 200 unless given. */
  page(title: string, body: Markup, status?: number): Response;
  /** The time box of one request's work, in milliseconds. */
  readonly sliceMs: number;
  /** Rows per batch of the runners. */
  readonly batchSize: number;
  /** The events backfill's throttle, checked when the app was created; absent when off. */
  readonly throttle?: ThrottleOptions | undefined;
  now(): Date;
}

/** One route of the app. */
export interface AdminRoute {
  method: 'GET' | 'POST';
  /** Relative to the base path, in Hono's syntax (`/migration`, `/flags/:name`). */
  path: string;
  access: RouteAccess;
  handle(context: AdminRequestContext): Promise<Response> | Response;
}

/** A page of the app and its routes: one entry of the navigation. */
export interface AdminSection {
  /** The page's path (`/migration`); the navigation links to it. */
  path: string;
  /** The navigation label. */
  label: string;
  routes: readonly AdminRoute[];
}

/** A route as {@link AdminHandler.routes} lists it. */
export interface AdminRouteInfo {
  method: AdminRoute['method'];
  /** Relative to the base path. */
  path: string;
  access: RouteAccess;
  /** Whether the dispatcher requires CSRF protection (every method but GET). */
  stateChanging: boolean;
}
