import {
  type PlanTransition,
  PLAN_METADATA_KEY,
  type RolloutPlan,
  RolloutPlanSchema,
  advancePlan,
  currentPercentage,
  pausePlan,
  resumePlan,
  rollBackPlan,
  settlePlan,
} from '@app/flags';
import type { FlagPatch, FlagStore, FlagWrite, FlagWriteResult, StoredFlag } from './flag-store.js';
import { flagVersion } from './flag-version.js';

/** A change of a flag's rollout plan (`app-migrate flags plan …`, the library, the guardrail check). */
export type FlagPlanAction =
  | { kind: 'start'; plan: RolloutPlan }
  | { kind: 'pause' | 'resume' | 'advance' | 'rollback' | 'sync' | 'remove' }
  | { kind: 'decide'; plan: RolloutPlan };

/**
 * The outcome of {@link changeFlagPlan}: the store's write result, or why the plan was not changed
 * (`no_plan`: the flag has none; `refused`: the plan's state does not allow it, `message` says why;
 * `invalid_plan`: the stored plan does not pass `RolloutPlanSchema`; `version_conflict`: the flag
 * changed after the writer saw it at `expectedVersion`, `flag` is what it is now).
 */
export type FlagPlanResult =
  | FlagWriteResult
  | { ok: false; reason: 'no_plan' | 'refused' | 'invalid_plan'; name: string; message: string }
  | { ok: false; reason: 'version_conflict'; name: string; message: string; expectedVersion: string; flag: StoredFlag };

/** Who changes a plan, and (optimistic concurrency) which version of the flag they decided on. */
export interface FlagPlanWrite extends Omit<FlagWrite, 'expected'> {
  /**
   * The flag's version the writer decided on (`flagVersion` of the flag as read: `flags plan show`
   * prints it, the admin page sends it back). When the flag has changed since (another admin,
   * the CLI, a guardrail check), nothing is written and the result is a `version_conflict` with the
   * flag as it is now, so two people editing one plan cannot overwrite each other. Without it the
   * plan changes from the flag as `changeFlagPlan` reads it (still refused if it changes during the write).
   */
  expectedVersion?: string;
}


/** The plan a stored flag carries: absent, invalid (with the reason) or valid. */
export function storedPlanOf(flag: StoredFlag): { plan: RolloutPlan } | { plan: null; invalid?: string } {
  const raw = flag.metadata?.[PLAN_METADATA_KEY];
  if (raw === undefined) return { plan: null };
  const parsed = RolloutPlanSchema.safeParse(raw);
  if (parsed.success) return { plan: parsed.data };
  const issue = parsed.error.issues[0];
  return { plan: null, invalid: `${[PLAN_METADATA_KEY, ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'}` };
}

const WORDS: Record<FlagPlanAction['kind'], string> = {
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  advance: 'advanced',
  rollback: 'rolled back',
  sync: 'followed the clock',
  remove: 'removed',
  decide: 'guardrail check',
};

/** The write that carries `plan` at `now`: the plan in metadata and the row's enabled/percentage in step with it. */
function patchFor(flag: StoredFlag, plan: RolloutPlan | null, now: Date): FlagPatch {
  const metadata = { ...(flag.metadata ?? {}) };
  if (plan === null) {
    delete metadata[PLAN_METADATA_KEY];
    return { metadata };
  }
  metadata[PLAN_METADATA_KEY] = plan;
  // A rollback writes the seed's procedure too (0 %, then disabled), so readers that know nothing
  // of plans stop exposing the feature as well; otherwise the row follows the plan's percentage.
  if (plan.state === 'rolled_back') return { metadata, rollout_percentage: 0, enabled: false };
  return { metadata, rollout_percentage: currentPercentage(plan, now), enabled: true };
}

/**
 * Changes a flag's rollout plan through the {@link FlagStore} port at `now` (the clock is an
 * argument): start one (`createRolloutPlan`), pause, resume, advance, roll back, remove it, `sync`
 * the row with the clock (marks a finished plan `done` and writes the plan's current percentage
 * to `rollout_percentage`, so readers that know nothing of plans follow it), or store a guardrail
 * check's `decide`d plan. Each write also sets `enabled` and `rollout_percentage` to what the plan
 * gives now (a rollback: 0 % and disabled), with the values read as `expected`, so a concurrent
 * change is a conflict; the store records every changed field in the flag's history, the plan's
 * `decision` (who and why, a guardrail's numbers) included. A write that changes nothing records nothing.
 */
export async function changeFlagPlan(store: FlagStore, name: string, action: FlagPlanAction, write: FlagPlanWrite, now: Date): Promise<FlagPlanResult> {
  const { expectedVersion, ...flagWrite } = write;
  const flag = await store.getFlag(name);
  if (flag === null) return { ok: false, reason: 'not_found', name };
  if (expectedVersion !== undefined && flagVersion(flag) !== expectedVersion) {
    return {
      ok: false,
      reason: 'version_conflict',
      name,
      expectedVersion,
      flag,
      message: `"${name}" changed after version ${expectedVersion} (now ${flagVersion(flag)}): read its plan again and decide on what it is now`,
    };
  }
  const stored = storedPlanOf(flag);
  let plan: RolloutPlan | null;
  if (action.kind === 'start') plan = action.plan;
  else if (stored.plan === null) {
    const invalid = 'invalid' in stored ? stored.invalid : undefined;
    if (invalid !== undefined && action.kind !== 'remove') return { ok: false, reason: 'invalid_plan', name, message: `the stored plan is invalid (${invalid}); remove it or start a new one` };
    if (invalid === undefined) return { ok: false, reason: 'no_plan', name, message: `"${name}" has no rollout plan (start one with flags plan start)` };
    plan = null;
  } else if (action.kind === 'remove') plan = null;
  else if (action.kind === 'decide') plan = action.plan;
  else if (action.kind === 'sync') plan = settlePlan(stored.plan, now);
  else {
    const transitions: Record<'pause' | 'resume' | 'advance' | 'rollback', (p: RolloutPlan, n: Date) => PlanTransition> = {
      pause: pausePlan,
      resume: resumePlan,
      advance: advancePlan,
      rollback: rollBackPlan,
    };
    const transition = transitions[action.kind](stored.plan, now);
    if (!transition.ok) return { ok: false, reason: 'refused', name, message: transition.message };
    plan = transition.plan;
  }
  if (plan !== null && action.kind !== 'decide' && !(action.kind === 'sync' && plan === stored.plan)) {
    plan = { ...plan, decision: `${WORDS[action.kind]} by ${flagWrite.actor} at ${now.toISOString()}` };
  }
  const patch = patchFor(flag, plan, now);
  const expected: FlagPatch = { metadata: flag.metadata, enabled: flag.enabled, rollout_percentage: flag.rollout_percentage };
  return store.updateFlag(name, patch, { ...flagWrite, expected });
}
