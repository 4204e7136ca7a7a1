// The library example of @app/migrate's README, here so that it typechecks (`pnpm typecheck`);
// packages/migrate/test/readme-library.test.ts keeps the README's copy identical to the region below.
import type { PostgresClient } from '@app/adapter-postgres';

declare const pool: PostgresClient;
declare const resolutions: unknown;

// #region readme
import { createPostgresStore } from '@app/adapter-postgres';
import { formatReportMarkdown } from '@app/campaign-migrator';
import { runCampaignMigration, runEventMigration, verifyMigration } from '@app/migrate';

const store = createPostgresStore({ client: pool });
await store.ensureSchema(); // what `app-migrate init` does; the runners never change the schema
const events = await runEventMigration({ store, apply: true, batchSize: 1000, onProgress: console.log });
console.log(`${events.counts.written} written, ${events.counts.failed} failed`);
// A run: { mode, status, report, written, rejected, totalWritten, resumedFrom }; the report is the campaign-migrator's.
const run = await runCampaignMigration({ store, apply: true, resolutions });
console.log(formatReportMarkdown(run.report));
const verification = await verifyMigration(store, { resolutions });
if (!verification.ok) for (const problem of verification.campaigns.problems) console.log(problem.message);
// #endregion
