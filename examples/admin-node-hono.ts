/**
 * The admin dashboard mounted in a Node server built with Hono, next to the app's own routes.
 *
 *   ADMIN_TOKEN=$(openssl rand -hex 32) ADMIN_SESSION_SECRET=$(openssl rand -hex 32) \
 *     pnpm tsx examples/admin-node-hono.ts            # over the demo database (.demo/db, `pnpm demo`)
 *   DATABASE_URL=postgres://… (same) pnpm tsx examples/admin-node-hono.ts
 *
 * Then open http://127.0.0.1:3000/admin/login and paste ADMIN_TOKEN (VIEWER_TOKEN, if set, signs
 * in read-only). Behind TLS, set ADMIN_ORIGIN=https://your.host so the CSRF origin check and the
 * Secure cookie match what browsers see.
 */
import { createPostgresStore } from '@app/adapter-postgres';
import { type StaticToken, createAdminHandler, createBearerTokenAuthorizer } from '@app/admin';
import { existsSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';

const { ADMIN_TOKEN, VIEWER_TOKEN, ADMIN_SESSION_SECRET, DATABASE_URL, ADMIN_ORIGIN, PORT } = process.env;
if (ADMIN_TOKEN === undefined) {
  console.error('Set ADMIN_TOKEN (at least 16 characters), e.g. ADMIN_TOKEN=$(openssl rand -hex 32)');
  process.exit(2);
}

const DEMO_DATABASE = '.demo/db';
if (DATABASE_URL === undefined && !existsSync(DEMO_DATABASE)) {
  console.error(`No database: run \`pnpm demo\` first (it creates ${DEMO_DATABASE}), or set DATABASE_URL=postgres://…`);
  process.exit(2);
}

const client = DATABASE_URL === undefined ? await PGlite.create(DEMO_DATABASE) : new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const tokens: StaticToken[] = [{ token: ADMIN_TOKEN, role: 'admin', id: 'admin' }];
if (VIEWER_TOKEN !== undefined) tokens.push({ token: VIEWER_TOKEN, role: 'viewer', id: 'viewer' });

const admin = createAdminHandler({
  store: createPostgresStore({ client }),
  basePath: '/admin',
  authorize: createBearerTokenAuthorizer(tokens),
  ...(ADMIN_SESSION_SECRET === undefined ? {} : { sessionSecret: ADMIN_SESSION_SECRET }),
  ...(ADMIN_ORIGIN === undefined ? {} : { allowedOrigins: [ADMIN_ORIGIN] }),
});

const app = new Hono();
app.get('/', (c) => c.text('Your app. The admin dashboard is at /admin.'));
// The handler takes the whole request (it routes under its basePath itself), so no prefix is stripped.
app.all('/admin', (c) => admin(c.req.raw));
app.all('/admin/*', (c) => admin(c.req.raw));

const port = Number(PORT ?? 3000);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`Admin dashboard: http://127.0.0.1:${port}/admin/login`));
