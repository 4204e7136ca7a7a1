/**
 * `@app/admin`: the admin app — the migration dashboard, and the shell other admin pages
 * (feature flags) live in — as one standard fetch handler, {@link createAdminHandler}, over the
 * `MigrationStore` of `@app/migrate`. Deny by default: it refuses to be created without an
 * authorizer; viewers read, admins act; every state change checks the role, the `Origin` and a
 * CSRF token.
 *
 * @packageDocumentation
 */
export type { AdminAuthorizer, AdminIdentity, AdminRole } from './admin-identity.js';
export { AdminConfigError } from './admin-config-error.js';
export type { AdminHandlerOptions, AdminThrottleOptions, LocalOnlyOptions } from './admin-handler-options.js';
export type { AdminRequestContext, AdminRoute, AdminRouteInfo, AdminSection, RouteAccess } from './admin-route.js';
export { type AdminHandler, createAdminHandler } from './create-admin-handler.js';
export { MIN_STATIC_TOKEN_LENGTH, type StaticToken, createBearerTokenAuthorizer } from './create-bearer-token-authorizer.js';
export { type JwtAuthorizerOptions, createJwtAuthorizer } from './create-jwt-authorizer.js';
export { type Markup, markup } from './markup.js';
export type { EventSliceAnswer } from './migration-section.js';
export type { AdminSession } from './session-codec.js';
export { SECURITY_HEADERS } from './security-headers.js';
