// The admin dashboard as a Supabase Edge Function (Deno). Deploy steps: ../../README.md.
// Signed-in Supabase users whose app_metadata.role is "admin" run the migration; "support" reads.
import { createAdminHandler, createJwtAuthorizer } from 'npm:@app/admin@^0.1.0';
import { createPostgresStore } from 'npm:@app/adapter-postgres@^0.1.0';
import pg from 'npm:pg@^8.16.0';

const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (value === undefined || value === '') throw new Error(`The function needs the secret ${name}`);
  return value;
};

const projectUrl = env('SUPABASE_URL'); // https://<project-ref>.supabase.co, set by Supabase
// The URL browsers (and Supabase Auth, in its tokens' `iss`) use. Hosted it is SUPABASE_URL; under
// `supabase functions serve` the function sees http://kong:8000 while browsers use http://127.0.0.1:54321.
const publicUrl = Deno.env.get('ADMIN_PUBLIC_URL') || projectUrl;
// One connection per isolate: each request's work is one time-boxed slice.
const pool = new pg.Pool({ connectionString: env('SUPABASE_DB_URL'), max: 1 });

const handler = createAdminHandler({
  store: createPostgresStore({ client: pool }),
  // The function sees /admin/…; browsers use /functions/v1/admin/….
  basePath: '/admin',
  publicBasePath: '/functions/v1/admin',
  allowedOrigins: [new URL(publicUrl).origin],
  authorize: createJwtAuthorizer({
    // Supabase Auth's signing keys; for a project still on the legacy shared secret use
    // `secret: env('JWT_SECRET')` instead (see the README).
    jwksUrl: `${projectUrl}/auth/v1/.well-known/jwks.json`,
    issuer: `${publicUrl}/auth/v1`,
    audience: 'authenticated',
    roleClaim: 'app_metadata.role',
    adminValues: ['admin'],
    viewerValues: ['support'],
  }),
  // The same secret for every isolate, so a session works on all of them.
  sessionSecret: env('ADMIN_SESSION_SECRET'),
  // Well under the Edge Functions' request limit; the page asks for the next slice.
  sliceMs: 20_000,
});

Deno.serve(handler);
