import { formatReportCsv, formatReportMarkdown } from '@app/campaign-migrator';
import {
  EVENT_REPORT_SCHEMA_VERSION,
  type EventMigrationReport,
  MAX_STORED_FAILURES,
  MigrationError,
  recordedResolutions,
  runCampaignMigration,
  runEventMigration,
  verifyMigration,
} from '@app/migrate';
import type { AdminRequestContext, AdminRoute, AdminSection } from './admin-route.js';
import { campaignApplyReport } from './campaign-apply-report.js';
import { type MigrationPageResults, renderMigrationPage } from './render-migration-page.js';
import { readEventProgress, readMigrationState } from './read-migration-state.js';
import { resolutionsFromForm } from './resolutions-from-form.js';

async function showPage(context: AdminRequestContext, results: MigrationPageResults = {}, status = 200): Promise<Response> {
  const state = await readMigrationState(context.store);
  const viewer = { href: context.href, isAdmin: context.session?.role === 'admin', csrf: context.session?.csrf ?? '' };
  return context.page('Migration', renderMigrationPage(state, results, viewer), status);
}

/** An expected failure of an action (a lease held elsewhere, a missing schema, bad resolutions) as a message; anything else is rethrown. */
function expectedFailure(error: unknown): string {
  if (error instanceof MigrationError || (typeof (error as { code?: unknown } | null)?.code === 'string' && error instanceof Error)) return error.message;
  throw error;
}

const holderOf = (context: AdminRequestContext) => `admin:${context.session?.id ?? 'unknown'}:${globalThis.crypto.randomUUID()}`;

const download = (body: string, type: string, file: string) =>
  new Response(body, { headers: { 'content-type': `${type}; charset=utf-8`, 'content-disposition': `attachment; filename="${file}"` } });

const REPORT_FORMATS = [
  { extension: 'json', type: 'application/json', format: (report: Parameters<typeof formatReportCsv>[0]) => `${JSON.stringify(report, null, 2)}\n` },
  { extension: 'md', type: 'text/markdown', format: formatReportMarkdown },
  { extension: 'csv', type: 'text/csv', format: formatReportCsv },
] as const;

/** The events report (the runner's JSON report format) of the applied run, from its checkpoint. */
async function eventReport(context: AdminRequestContext): Promise<EventMigrationReport | null> {
  const checkpoint = await context.store.readCheckpoint('events');
  if (checkpoint === null) return null;
  const progress = await readEventProgress(context.store);
  const counts = checkpoint.counts;
  const providers: Record<string, number> = {};
  for (const [key, value] of Object.entries(counts)) if (key.startsWith('provider:')) providers[key.slice('provider:'.length)] = value;
  return {
    format: 'event-migration-report',
    schemaVersion: EVENT_REPORT_SCHEMA_VERSION,
    mode: 'apply',
    runKey: checkpoint.runKey,
    // A run paused between slices is `limited`: resuming it continues from the checkpoint.
    status: checkpoint.status === 'running' ? 'limited' : checkpoint.status,
    resumedFrom: null,
    batchSize: context.batchSize,
    counts: {
      selected: progress.total,
      processed: counts.processed ?? 0,
      written: counts.written ?? 0,
      wouldWrite: 0,
      failed: counts.failed ?? 0,
      fallback: counts.fallback ?? 0,
    },
    providers,
    failures: checkpoint.failures,
    failuresTruncated: (counts.failed ?? 0) > MAX_STORED_FAILURES,
    startedAt: checkpoint.startedAt,
    finishedAt: checkpoint.updatedAt,
    durationMs: Math.max(0, Date.parse(checkpoint.updatedAt) - Date.parse(checkpoint.startedAt)),
  };
}

/** The events dry run, time-boxed like a slice: the runner's JSON report, `limited` when the time box ended it. */
const eventDryRun = (context: AdminRequestContext) =>
  runEventMigration({ store: context.store, batchSize: context.batchSize, maxDurationMs: context.sliceMs, now: context.now });

/** What a slice request answers, and what the page's script shows. */
export interface EventSliceAnswer {
  state: 'running' | 'completed' | 'aborted' | 'locked' | 'failed' | 'idle';
  processed: number;
  total: number;
  written: number;
  failed: number;
  failures: { id: string | null; code: string; reason: string }[];
  message?: string;
  /** The slice ended waiting for the database (a replica past the throttle's limit): why. The run goes on. */
  waitingFor?: string;
}

async function runSlice(context: AdminRequestContext): Promise<EventSliceAnswer> {
  const { store } = context;
  const checkpoint = await store.readCheckpoint('events');
  // A finished run starts again only on an explicit Apply; a script's follow-up slice never restarts it.
  const start = context.form.get('start') === '1';
  let message: string | undefined;
  let waitingFor: string | undefined;
  let failed = false;
  let locked = false;
  if (checkpoint?.status !== 'completed' || start) {
    try {
      const report = await runEventMigration({
        store,
        apply: true,
        resume: checkpoint !== null && checkpoint.status !== 'completed',
        batchSize: context.batchSize,
        maxDurationMs: context.sliceMs,
        holder: holderOf(context),
        now: context.now,
        throttle: context.throttle,
      });
      // The slice ended waiting for the replicas: the run goes on (the script asks again), and the page says why it waits.
      waitingFor = report.throttle?.pausedAtEnd;
    } catch (error) {
      message = expectedFailure(error);
      failed = true;
      locked = (error as { code?: unknown }).code === 'RUN_LOCKED';
    }
  }
  const progress = await readEventProgress(store);
  return {
    state: locked ? 'locked' : failed ? 'failed' : progress.status === null ? 'idle' : progress.status,
    processed: progress.processed,
    total: progress.total,
    written: progress.written,
    failed: progress.failed,
    failures: progress.failures.slice(0, 100),
    ...(message === undefined ? {} : { message }),
    ...(waitingFor === undefined ? {} : { waitingFor, message: `Waiting for the database: ${waitingFor}.` }),
  };
}

const routes: AdminRoute[] = [
  { method: 'GET', path: '/migration', access: 'viewer', handle: (context) => showPage(context) },
  {
    method: 'POST',
    path: '/migration/init',
    access: 'admin',
    async handle(context) {
      await context.store.ensureSchema();
      return showPage(context, { notice: 'The migration schema is ready.' });
    },
  },
  {
    method: 'POST',
    path: '/migration/campaigns/dry-run',
    access: 'admin',
    async handle(context) {
      try {
        const run = await runCampaignMigration({ store: context.store, batchSize: context.batchSize });
        return showPage(context, { campaignPlan: run.report });
      } catch (error) {
        return showPage(context, { error: expectedFailure(error) }, 409);
      }
    },
  },
  {
    method: 'POST',
    path: '/migration/campaigns/apply',
    access: 'admin',
    async handle(context) {
      try {
        const chosen = resolutionsFromForm(context.form);
        const checkpoint = await context.store.readCheckpoint('campaigns');
        // Continue apply goes on with a run that stopped before the end (a throttled request):
        // its counts carry over, and so do the resolutions it recorded, beside any chosen now. A
        // stale Continue (the run finished meanwhile, in another tab or the CLI) starts over.
        const continuing = context.form.get('continue') === '1' && checkpoint?.status === 'running' && checkpoint.limited === true;
        const recorded = continuing ? (recordedResolutions(checkpoint) as { resolutions: Record<string, unknown> } | undefined) : undefined;
        const resolutions = { schemaVersion: 1, resolutions: { ...recorded?.resolutions, ...chosen.resolutions } };
        const run = await runCampaignMigration({
          store: context.store,
          apply: true,
          resolutions,
          resume: continuing,
          batchSize: context.batchSize,
          holder: holderOf(context),
          now: context.now,
          // Throttled, a request waits for the replicas no longer than a slice; the page offers to continue.
          ...(context.throttle === undefined ? {} : { throttle: context.throttle, maxWaitMs: context.sliceMs }),
        });
        return showPage(context, { campaignRun: run });
      } catch (error) {
        return showPage(context, { error: expectedFailure(error) }, 409);
      }
    },
  },
  ...REPORT_FORMATS.map(
    ({ extension, type, format }): AdminRoute => ({
      method: 'GET',
      path: `/migration/campaigns/report.${extension}`,
      access: 'viewer',
      async handle(context) {
        // Once applied, the apply's own report (as the events' apply report); before, the dry run's plan.
        const report = (await campaignApplyReport(context.store, context.batchSize)) ?? (await runCampaignMigration({ store: context.store, batchSize: context.batchSize })).report;
        return download(format(report), type, `campaign-migration-report.${extension}`);
      },
    }),
  ),
  {
    method: 'POST',
    path: '/migration/events/dry-run',
    access: 'admin',
    async handle(context) {
      try {
        return showPage(context, { eventDryRun: await eventDryRun(context) });
      } catch (error) {
        return showPage(context, { error: expectedFailure(error) }, 409);
      }
    },
  },
  {
    method: 'POST',
    path: '/migration/events/slice',
    access: 'admin',
    async handle(context) {
      const answer = await runSlice(context);
      const wantsJson = (context.request.headers.get('accept') ?? '').includes('application/json');
      if (wantsJson) return Response.json(answer, { status: answer.state === 'locked' || answer.state === 'failed' ? 409 : 200 });
      // Without the script, each press of the button runs one slice and shows the page again.
      return showPage(context, answer.message === undefined ? { notice: `Events: ${answer.state}, ${answer.processed} of ${answer.total} processed.` } : { error: answer.message });
    },
  },
  {
    method: 'GET',
    path: '/migration/events/dry-run-report.json',
    access: 'viewer',
    async handle(context) {
      // The download plans again: a dry run writes nothing to keep it in.
      try {
        return download(`${JSON.stringify(await eventDryRun(context), null, 2)}\n`, 'application/json', 'event-migration-dry-run-report.json');
      } catch (error) {
        return Response.json({ error: expectedFailure(error) }, { status: 409 });
      }
    },
  },
  {
    method: 'GET',
    path: '/migration/events/report.json',
    access: 'viewer',
    async handle(context) {
      const report = await eventReport(context);
      if (report === null) return Response.json({ error: 'The events migration has not been applied yet: there is no report.' }, { status: 404 });
      return download(`${JSON.stringify(report, null, 2)}\n`, 'application/json', 'event-migration-report.json');
    },
  },
  {
    method: 'POST',
    path: '/migration/verify',
    access: 'admin',
    async handle(context) {
      try {
        return showPage(context, { verification: await verifyMigration(context.store) });
      } catch (error) {
        return showPage(context, { error: expectedFailure(error) }, 409);
      }
    },
  },
];

/** The migration dashboard: the page, its actions, its downloads. */
export const migrationSection: AdminSection = { path: '/migration', label: 'Migration', routes };
