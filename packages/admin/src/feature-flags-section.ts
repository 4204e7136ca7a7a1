import { SYSTEM_FLAGS, type FlagMetricsSummary, type FlagState, summarizeFlagMetrics, advancePlan, createRolloutPlan, currentPercentage, rolloutStatus, rolloutWarnings } from '@app/flags';
import {
  type FlagChange,
  type FlagPatch,
  type FlagPlanAction,
  type FlagWriteResult,
  type StoredFlag,
  applyFlagRevert,
  changeFlagPlan,
  flagRevertOf,
  isFlagMetricsStore,
  flagVersion,
  storedPlanOf,
} from '@app/migrate';
import type { AdminRequestContext, AdminRoute, AdminSection } from './admin-route.js';
import { FEATURE_FLAGS_SCRIPT_SOURCE } from './feature-flags-script.js';
import { FEATURE_FLAGS_STYLESHEET } from './feature-flags-stylesheet.js';
import { type FlagsViewer, flagAnchor, flagPath } from './flag-form-fields.js';
import { type FlagFormRequest, readFlagForm } from './flag-form.js';
import { planFingerprint } from './plan-fingerprint.js';
import { type FlagConfirmation, type FlagsPageMessages, renderFeatureFlagsPage, renderFlagConfirmation, renderFlagPage } from './render-feature-flags-page.js';
import { TELEMETRY_WINDOW_MS } from './render-flag-telemetry.js';
import { PLAN_ACTIONS, type PlanAction } from './render-plan-panel.js';

const SYSTEM_NAMES = new Set<string>(SYSTEM_FLAGS.map((flag) => flag.name));
const OFF: FlagState = { enabled: false, rollout_percentage: 0 };
/** How many changes the page shows per flag (guidance reads the newest) and overall. */
const HISTORY_SHOWN = 50;

const viewerOf = (context: AdminRequestContext): FlagsViewer => ({ href: context.href, isAdmin: context.session?.role === 'admin', csrf: context.session?.csrf ?? '' });
const actorOf = (context: AdminRequestContext) => context.session?.id ?? 'unknown admin';

/**
 * Each named flag's telemetry of the last {@link TELEMETRY_WINDOW_MS}, from one read of the store
 * (a map without entries when the store keeps no telemetry), or the reason it could not be read:
 * the flags stay usable when their telemetry is not (a database not yet upgraded by `init`).
 */
async function telemetryOf(context: AdminRequestContext, names: readonly string[], flagName?: string): Promise<{ summaries: Map<string, FlagMetricsSummary>; error?: string }> {
  const summaries = new Map<string, FlagMetricsSummary>();
  if (!isFlagMetricsStore(context.store)) return { summaries };
  const now = context.now().getTime();
  try {
    const totals = await context.store.readFlagMetrics({ ...(flagName === undefined ? {} : { flagName }), since: new Date(now - TELEMETRY_WINDOW_MS).toISOString(), until: new Date(now + 1).toISOString() });
    for (const name of names) summaries.set(name, summarizeFlagMetrics(totals, name));
    return { summaries };
  } catch (error) {
    return { summaries, error: `Telemetry could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const withError = (results: FlagsPageMessages, error: string | undefined): FlagsPageMessages =>
  error === undefined ? results : { ...results, error: results.error === undefined ? error : `${results.error} ${error}` };

async function showPage(context: AdminRequestContext, results: FlagsPageMessages = {}, status = 200): Promise<Response> {
  const flags = await context.store.listFlags();
  // A row the store could not read is named above the list rather than hiding every flag.
  results = withError(results, flags.errors.length === 0 ? undefined : flags.errors.map((error) => error.message).join(' '));
  const telemetry = await telemetryOf(context, flags.map((flag) => flag.name));
  results = withError(results, telemetry.error);
  const withHistory = await Promise.all(
    flags.map(async (flag) => ({ flag, history: await context.store.readFlagHistory({ name: flag.name, limit: HISTORY_SHOWN }), telemetry: telemetry.summaries.get(flag.name) })),
  );
  const recent = await context.store.readFlagHistory({ limit: HISTORY_SHOWN });
  const notice = results.notice ?? (context.url.searchParams.has('saved') ? `Saved: ${context.url.searchParams.get('saved')}.` : undefined);
  return context.page('Feature flags', renderFeatureFlagsPage(withHistory, recent, viewerOf(context), context.now(), { ...results, notice }), status);
}

async function showFlag(context: AdminRequestContext, name: string, results: FlagsPageMessages = {}, status = 200): Promise<Response> {
  const flag = await context.store.getFlag(name);
  if (flag === null) return showPage(context, { error: `No feature flag is named "${name}"; it may have been deleted.` }, 404);
  const history = await context.store.readFlagHistory({ name, limit: HISTORY_SHOWN });
  const telemetry = await telemetryOf(context, [flag.name], flag.name);
  results = withError(results, telemetry.error);
  const notice = results.notice ?? (context.url.searchParams.has('saved') ? `Saved: ${context.url.searchParams.get('saved')}.` : undefined);
  return context.page(`Feature flag ${flag.name}`, renderFlagPage({ flag, history, telemetry: telemetry.summaries.get(flag.name) }, viewerOf(context), context.now(), { ...results, notice }), status);
}

/** After a change, the page again (Post/Redirect/Get), scrolled and focused to the flag. */
function savedRedirect(context: AdminRequestContext, what: string, name: string | null): Response {
  const target = `${context.href('/feature-flags')}?saved=${encodeURIComponent(what)}${name === null ? '' : `#${flagAnchor(name)}`}`;
  return new Response(null, { status: 303, headers: { location: target } });
}

/** A refused write as the page with an error naming why, and the status that says it. */
function refused(context: AdminRequestContext, result: Exclude<FlagWriteResult, { ok: true }>, createForm?: { name: string; description: string }): Promise<Response> {
  switch (result.reason) {
    case 'not_found':
      return showPage(context, { error: `No feature flag is named "${result.name}"; it may have been deleted meanwhile.` }, 404);
    case 'exists':
      return showPage(context, { error: `A feature flag named "${result.name}" exists already.`, createName: createForm?.name, createDescription: createForm?.description }, 409);
    case 'invalid':
      return showPage(context, { error: result.error.message, createName: createForm?.name, createDescription: createForm?.description }, 400);
    case 'conflict':
      return showPage(
        context,
        {
          error:
            result.flag === null
              ? 'The flag was deleted meanwhile. Nothing was saved.'
              : `${result.flag.name} was changed by someone else meanwhile (${result.fields.map((field) => (field === 'metadata' ? 'rollout plan' : field)).join(', ')}); it is now ${rolloutStatus(result.flag).label}. Nothing was saved: check the flag below and try again.`,
        },
        409,
      );
  }
}

function confirm(context: AdminRequestContext, confirmation: Omit<FlagConfirmation, 'fields'>): Response {
  return context.page('Confirm the change', renderFlagConfirmation({ ...confirmation, fields: context.form }, viewerOf(context)));
}

const stateOf = (flag: FlagState, patch: FlagPatch): FlagState => ({
  enabled: patch.enabled ?? flag.enabled,
  rollout_percentage: patch.rollout_percentage ?? flag.rollout_percentage,
});

/** A flag form's request, and the flag it acts on, still as the admin saw it. */
interface FlagAction {
  request: Extract<FlagFormRequest, { ok: true }>;
  flag: StoredFlag;
}

/** The confirmation a change of `flag` needs, or `null` when it needs none. */
type ConfirmationOf = (flag: StoredFlag, request: FlagAction['request']) => Omit<FlagConfirmation, 'fields'> | null;

/**
 * The prelude of every form acting on one flag (update, rollback, delete, the plan's buttons):
 * reads the form (400 naming a bad field), loads the flag named in the path and checks it is
 * still what the page showed — its row's fields and its rollout plan — (404, or 409 naming what
 * changed), then, unless the form says `confirm=yes`, shows the confirmation `confirmationOf`
 * asks for. The response to send, or the request and the flag to act on.
 */
async function flagAction(context: AdminRequestContext, confirmationOf: ConfirmationOf): Promise<FlagAction | Response> {
  const request = readFlagForm(context.form);
  if (!request.ok) return showPage(context, { error: request.error }, 400);
  const name = context.params.name ?? '';
  const flag = await context.store.getFlag(name);
  if (flag === null) return refused(context, { ok: false, reason: 'not_found', name });
  const stale: ('enabled' | 'rollout_percentage' | 'description' | 'metadata')[] = (['enabled', 'rollout_percentage', 'description'] as const).filter(
    (field) => request.expected[field] !== undefined && request.expected[field] !== flag[field],
  );
  if (request.expectedPlan !== undefined && request.expectedPlan !== planFingerprint(flag)) stale.push('metadata');
  if (stale.length > 0) return refused(context, { ok: false, reason: 'conflict', flag, fields: stale });
  const confirmation = request.confirmed ? null : confirmationOf(flag, request);
  if (confirmation !== null) return confirm(context, confirmation);
  return { request, flag };
}

const PLAN_WORDS: Record<PlanAction, string> = { start: 'plan started', pause: 'plan paused', resume: 'plan resumed', advance: 'plan advanced', rollback: 'plan rolled back' };

/** The confirmation a plan change needs: always for advance and rollback; for a start that lowers exposure or jumps a stage. */
function planConfirmation(action: PlanAction, flag: StoredFlag, now: Date): Omit<FlagConfirmation, 'fields'> | null {
  const cancel = `/feature-flags#${flagAnchor(flag.name)}`;
  const path = `${flagPath(flag.name)}/plan/${action}`;
  const plan = storedPlanOf(flag).plan;
  if (action === 'rollback') {
    return {
      question: `Roll back the rollout plan of ${flag.name}?`,
      warnings: [
        `Sets the rollout to 0 %, then disables the flag (now ${rolloutStatus(flag).label}). Resuming restarts the plan from its first stage.`,
        ...rolloutWarnings(flag, OFF).map((warning) => warning.message),
      ],
      action: path,
      confirmLabel: `Yes, roll back ${flag.name}`,
      cancel,
    };
  }
  if (action === 'advance' && plan !== null) {
    const next = advancePlan(plan, now);
    // A refused advance (last stage, finished plan) is refused with its reason by the write itself.
    if (!next.ok) return null;
    const to = currentPercentage(next.plan, now);
    return {
      question: `Advance the rollout plan of ${flag.name} to ${to} % now?`,
      warnings: [
        `Moves to the next stage (${currentPercentage(plan, now)} % → ${to} %) before the current stage's hold is over: its monitoring is cut short.`,
        ...rolloutWarnings({ enabled: flag.enabled, rollout_percentage: currentPercentage(plan, now) }, { enabled: true, rollout_percentage: to }).map((warning) => warning.message),
      ],
      action: path,
      confirmLabel: `Yes, advance ${flag.name} to ${to} %`,
      cancel,
    };
  }
  if (action === 'start') {
    const to: FlagState = { enabled: true, rollout_percentage: currentPercentage(createRolloutPlan(now), now) };
    const warnings = rolloutWarnings(flag, to).map((warning) => warning.message);
    if (plan !== null) warnings.unshift(`Replaces the current plan (${plan.state.replace('_', ' ')}).`);
    if (warnings.length === 0) return null;
    return { question: `Start a new rollout plan for ${flag.name} at ${to.rollout_percentage} %?`, warnings, action: path, confirmLabel: `Yes, start the plan of ${flag.name}`, cancel };
  }
  return null;
}

/** `POST /feature-flags/<name>/plan/<action>`: the plan change through `changeFlagPlan`, as `app-migrate flags plan` makes it. */
function planRoute(action: PlanAction): AdminRoute {
  return {
    method: 'POST',
    path: `/feature-flags/:name/plan/${action}`,
    access: 'admin',
    async handle(context) {
      const now = context.now();
      const prelude = await flagAction(context, (flag) => planConfirmation(action, flag, now));
      if (prelude instanceof Response) return prelude;
      const { flag } = prelude;
      const change: FlagPlanAction = action === 'start' ? { kind: 'start', plan: createRolloutPlan(now) } : { kind: action };
      // The version the prelude checked against the page: a change between that check and this write is refused too.
      const result = await changeFlagPlan(context.store, flag.name, change, { actor: actorOf(context), expectedVersion: flagVersion(flag) }, now);
      if (!result.ok) {
        if (result.reason === 'version_conflict') {
          return showPage(context, { error: `${flag.name} was changed by someone else meanwhile; it is now ${rolloutStatus(result.flag).label}. Nothing was saved: check the flag below and try again.` }, 409);
        }
        // The plan's own refusals (none to change, its state does not allow it, invalid) carry their reason.
        if ('message' in result) return showPage(context, { error: `${flag.name}: ${result.message}. Nothing was changed.` }, 409);
        return refused(context, result);
      }
      return savedRedirect(context, `${flag.name} ${PLAN_WORDS[action]}, now ${rolloutStatus(result.flag!).label}`, flag.name);
    },
  };
}

const routes: AdminRoute[] = [
  { method: 'GET', path: '/assets/feature-flags.js', access: 'public', handle: () => new Response(FEATURE_FLAGS_SCRIPT_SOURCE, { headers: { 'content-type': 'text/javascript; charset=utf-8' } }) },
  { method: 'GET', path: '/assets/feature-flags.css', access: 'public', handle: () => new Response(FEATURE_FLAGS_STYLESHEET, { headers: { 'content-type': 'text/css; charset=utf-8' } }) },
  { method: 'GET', path: '/feature-flags', access: 'viewer', handle: (context) => showPage(context) },
  { method: 'GET', path: '/feature-flags/:name', access: 'viewer', handle: (context) => showFlag(context, context.params.name ?? '') },
  {
    method: 'POST',
    path: '/feature-flags',
    access: 'admin',
    async handle(context) {
      const name = (context.form.get('name') ?? '').trim();
      const description = (context.form.get('description') ?? '').trim();
      const result = await context.store.createFlag({ name, description: description === '' ? null : description }, { actor: actorOf(context) });
      if (!result.ok) return refused(context, result, { name, description });
      return savedRedirect(context, `created ${name}`, name);
    },
  },
  {
    method: 'POST',
    path: '/feature-flags/:name/update',
    access: 'admin',
    async handle(context) {
      const prelude = await flagAction(context, (flag, request) => {
        const warnings = rolloutWarnings(flag, stateOf(flag, request.patch));
        if (warnings.length === 0) return null;
        const to = rolloutStatus(stateOf(flag, request.patch)).label;
        return {
          question: `Change ${flag.name} from ${rolloutStatus(flag).label} to ${to}?`,
          warnings: warnings.map((warning) => warning.message),
          action: `${flagPath(flag.name)}/update`,
          confirmLabel: warnings.some((warning) => warning.kind === 'lowering') ? `Yes, lower ${flag.name} to ${to}` : `Yes, change ${flag.name} to ${to}`,
          cancel: `/feature-flags#${flagAnchor(flag.name)}`,
        };
      });
      if (prelude instanceof Response) return prelude;
      const { flag, request } = prelude;
      const result = await context.store.updateFlag(flag.name, request.patch, { actor: actorOf(context), expected: request.expected });
      if (!result.ok) return refused(context, result);
      return savedRedirect(context, `${flag.name} is ${rolloutStatus(result.flag!).label}`, flag.name);
    },
  },
  {
    method: 'POST',
    path: '/feature-flags/:name/rollback',
    access: 'admin',
    async handle(context) {
      const prelude = await flagAction(context, (flag) => ({
        question: `Roll back ${flag.name}?`,
        warnings: [`Sets the rollout to 0 %, then disables the flag (now ${rolloutStatus(flag).label}).`, ...rolloutWarnings(flag, OFF).map((warning) => warning.message)],
        action: `${flagPath(flag.name)}/rollback`,
        confirmLabel: `Yes, roll back ${flag.name}`,
        cancel: `/feature-flags#${flagAnchor(flag.name)}`,
      }));
      if (prelude instanceof Response) return prelude;
      const { flag, request } = prelude;
      const result = await context.store.updateFlag(flag.name, { rollout_percentage: 0, enabled: false }, { actor: actorOf(context), expected: request.expected });
      if (!result.ok) return refused(context, result);
      return savedRedirect(context, `${flag.name} rolled back`, flag.name);
    },
  },
  {
    method: 'POST',
    path: '/feature-flags/:name/delete',
    access: 'admin',
    async handle(context) {
      const prelude = await flagAction(context, (flag) => ({
        question: `Delete ${flag.name}?`,
        warnings: [
          ...(SYSTEM_NAMES.has(flag.name) ? [`${flag.name} is a system flag: the product's code reads it.`] : []),
          ...rolloutWarnings(flag, OFF).map((warning) => warning.message),
          'The deletion is recorded in the audit log and can be reverted there.',
        ],
        action: `${flagPath(flag.name)}/delete`,
        confirmLabel: `Yes, delete ${flag.name}`,
        cancel: `/feature-flags#${flagAnchor(flag.name)}`,
      }));
      if (prelude instanceof Response) return prelude;
      const { flag, request } = prelude;
      const result = await context.store.deleteFlag(flag.name, { actor: actorOf(context), expected: request.expected });
      if (!result.ok) return refused(context, result);
      return savedRedirect(context, `deleted ${flag.name}`, null);
    },
  },
  ...PLAN_ACTIONS.map(planRoute),
  {
    method: 'POST',
    path: '/feature-flags/changes/:id/revert',
    access: 'admin',
    async handle(context) {
      const id = context.params.id ?? '';
      const change: FlagChange | null = await context.store.readFlagChange(id);
      if (change === null) return showPage(context, { error: `No recorded change has the id ${id}.` }, 404);
      const revert = flagRevertOf(change);
      const current = await context.store.getFlag(change.flagName);
      const before: FlagState = current ?? OFF;
      const after: FlagState =
        revert.action === 'delete' ? OFF : revert.action === 'create' ? { enabled: revert.flag.enabled ?? false, rollout_percentage: revert.flag.rollout_percentage ?? 0 } : stateOf(before, revert.patch);
      const warnings = rolloutWarnings(before, after);
      if (warnings.length > 0 && context.form.get('confirm') !== 'yes') {
        return confirm(context, {
          question: `Revert change #${change.id} of ${change.flagName}?`,
          warnings: warnings.map((warning) => warning.message),
          action: `/feature-flags/changes/${change.id}/revert`,
          confirmLabel: `Yes, revert change #${change.id}`,
          cancel: '/feature-flags#audit-log',
        });
      }
      const result = await applyFlagRevert(context.store, change, { actor: actorOf(context) });
      if (!result.ok) return refused(context, result);
      return savedRedirect(context, `reverted change #${change.id} of ${change.flagName}`, result.flag === null ? null : change.flagName);
    },
  },
];

/**
 * The feature-flags page (`/feature-flags`): every flag with its status badge, system mark,
 * guidance from the rollout plan and "ready for cleanup" mark; for admins the enable/disable
 * toggle, the rollout slider with the plan's stops, rollback, description, create and delete;
 * each flag's scheduled rollout plan (stages, current percentage by the clock, state, next stage,
 * guardrails and last decision) with start, pause, resume, advance now and roll back;
 * and the audit log (per flag on `/feature-flags/<name>`, and overall) with one-click revert.
 * Lowering, jumping a stage, rollback, deletion and a revert that lowers or jumps ask for an
 * explicit confirmation; every write carries what the admin saw, so a concurrent change is shown
 * instead of overwritten.
 */
export const featureFlagsSection: AdminSection = { path: '/feature-flags', label: 'Feature flags', routes };
