import { DEFAULT_PLAN_STAGES, type Guardrail, type PlanStage, type RolloutPlan, createRolloutPlan, formatDuration, planPosition, RolloutPlanSchema, rolloutStatus } from '@app/flags';
import { assertSchemaReady } from '../assert-schema-ready.js';
import { flagVersion } from '../flag-version.js';
import { type FlagPlanAction, type FlagPlanResult, changeFlagPlan, storedPlanOf } from '../change-flag-plan.js';
import { FlagConflictError, InvalidOptionError } from '../errors.js';
import type { FlagChange, FlagWriteResult } from '../flag-store.js';
import { type CliIo, say } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { openStore } from './open-store.js';
import { unwrapFlagWrite } from './unwrap-flag-write.js';

/** Options of `app-migrate flags plan`. */
export interface FlagsPlanOptions {
  db?: string | undefined;
  config?: string | undefined;
  stages?: string | undefined;
  start?: string | undefined;
  guardrail?: string[] | undefined;
  'expect-version'?: string | undefined;
}

const PLAN_ACTIONS = ['show', 'start', 'pause', 'resume', 'advance', 'rollback', 'sync', 'remove'] as const;
type PlanVerb = (typeof PLAN_ACTIONS)[number];

/** `--stages 10:24h,50:48h,100:1w` (a stage without `:hold` waits to be advanced). */
export function stagesOption(value: string): PlanStage[] {
  return value.split(',').map((part) => {
    const match = /^\s*(\d{1,3})\s*%?\s*(?::\s*(\S+))?\s*$/.exec(part);
    if (match === null) throw new InvalidOptionError('--stages', `expected percentage:hold pairs such as 10:24h,50:48h,100:1w, got "${part}"`);
    return match[2] === undefined ? { percentage: Number(match[1]) } : { percentage: Number(match[1]), hold: match[2] };
  });
}

/** `--guardrail error>0.05:rollback[:min=100][:vs-off]`, the threshold a rate (`0.05`) or a percentage (`5%`). */
export function guardrailOption(value: string): Guardrail {
  const match = /^([^>\s]+)\s*>\s*([\d.]+)(%?):(pause|rollback)((?::(?:min=\d+|vs-off))*)$/.exec(value.trim());
  if (match === null) throw new InvalidOptionError('--guardrail', `expected metric>threshold:pause|rollback[:min=N][:vs-off], such as error>0.05:rollback:min=100, got "${value}"`);
  const threshold = Number(match[2]) / (match[3] === '%' ? 100 : 1);
  if (!Number.isFinite(threshold)) throw new InvalidOptionError('--guardrail', `the threshold of "${value}" is not a number`);
  const guardrail: Guardrail = { metric: match[1]!, threshold, action: match[4] as Guardrail['action'] };
  for (const extra of match[5]!.split(':').filter(Boolean)) {
    if (extra === 'vs-off') guardrail.comparedTo = 'off';
    else guardrail.minSamples = Number(extra.slice('min='.length));
  }
  return guardrail;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;

/** A plan in a few lines: state, stages (the current one marked), guardrails and the last decision. */
export function describePlan(plan: RolloutPlan, now: Date): string[] {
  const position = planPosition(plan, now);
  const stages = plan.stages.map((stage, i) => {
    const text = `${stage.percentage} %${stage.hold === undefined ? '' : ` ${stage.hold}`}`;
    return position.started && i === position.stage && plan.state !== 'rolled_back' ? `[${text}]` : text;
  });
  const state = plan.state.replace('_', ' ');
  const next =
    plan.state !== 'running' || position.complete
      ? ''
      : !position.started
        ? `; starts at ${plan.startAt}`
        : position.holdEndsAt === null
          ? '; waits to be advanced'
          : position.holdEndsAt <= now.getTime()
            ? '; hold over: the next guardrail check advances it'
            : `; next stage in ${formatDuration(position.holdEndsAt - now.getTime())}`;
  const lines = [`plan ${state}, now ${position.percentage} %${position.complete ? ' (complete)' : ''}: ${stages.join(' -> ')}${next}`];
  for (const g of plan.guardrails ?? []) {
    lines.push(`guardrail: ${g.metric} rate${g.comparedTo === 'off' ? ' (on minus off)' : ''} above ${percent(g.threshold)} -> ${g.action}${g.minSamples ? ` (judged from ${g.minSamples} evaluations)` : ''}`);
  }
  if (plan.decision !== undefined) lines.push(`last decision: ${plan.decision}`);
  return lines;
}

/** A plan change's failure as the CLI's error (usage, 2; a concurrent change, 6). */
export function unwrapPlanResult(result: FlagPlanResult): Extract<FlagWriteResult, { ok: true }> {
  if (result.ok) return result;
  switch (result.reason) {
    case 'no_plan':
    case 'refused':
    case 'invalid_plan':
      throw new InvalidOptionError('flags plan', `${result.name}: ${result.message}`);
    case 'version_conflict':
      throw new FlagConflictError(result.name, [`version ${result.expectedVersion} is now ${flagVersion(result.flag)}`], rolloutStatus(result.flag).label);
    default:
      return unwrapFlagWrite(result);
  }
}

const describeRecorded = (change: FlagChange) =>
  `  recorded #${change.id} ${change.field}${change.field === 'metadata' ? '' : ` ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`} by ${change.actor}`;

/**
 * `app-migrate flags plan <show|start|pause|resume|advance|rollback|sync|remove> <name>`: a flag's
 * scheduled rollout plan, changed through the flag store port with an actor (each change in the
 * flag's history). `start` takes `--stages` (the seed's 10:24h,50:48h,100:1w by default),
 * `--start <ISO time>` and any `--guardrail`s. Every change takes `--expect-version` (the version
 * `show` prints): when the flag changed since, nothing is written and the command exits 6.
 */
export async function flagsPlanCommand(positionals: string[], options: FlagsPlanOptions, actorOf: () => string, io: CliIo): Promise<number> {
  const [verb, name, ...extra] = positionals;
  if (!(PLAN_ACTIONS as readonly (string | undefined)[]).includes(verb)) {
    throw new InvalidOptionError('flags plan', `expected one of ${PLAN_ACTIONS.join(', ')} and a flag name, got ${verb === undefined ? 'nothing' : `"${verb}"`}`);
  }
  if (name === undefined || extra.length > 0) throw new InvalidOptionError(`flags plan ${verb}`, name === undefined ? 'expected exactly one flag name' : `unexpected argument "${extra[0]}"`);
  const action = verb as PlanVerb;
  const now = new Date(io.now?.() ?? Date.now());
  if (action !== 'start' && (options.stages !== undefined || options.start !== undefined || (options.guardrail?.length ?? 0) > 0)) {
    throw new InvalidOptionError(`flags plan ${action}`, '--stages, --start and --guardrail belong to flags plan start');
  }
  let planAction: FlagPlanAction | undefined;
  if (action === 'start') {
    const startAt = options.start === undefined ? now : new Date(options.start);
    if (Number.isNaN(startAt.getTime())) throw new InvalidOptionError('--start', `expected an ISO 8601 time, got "${options.start}"`);
    const plan = createRolloutPlan(now, { startAt, stages: options.stages === undefined ? DEFAULT_PLAN_STAGES : stagesOption(options.stages), guardrails: (options.guardrail ?? []).map(guardrailOption) });
    const parsed = RolloutPlanSchema.safeParse(plan);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InvalidOptionError(issue.path[0] === 'stages' ? '--stages' : '--guardrail', `${issue.path.join('.')}: ${issue.message}`);
    }
    planAction = { kind: 'start', plan: parsed.data };
  } else if (action !== 'show') planAction = { kind: action };
  const expectedVersion = options['expect-version'];
  if (action === 'show' && expectedVersion !== undefined) throw new InvalidOptionError('--expect-version', 'belongs to the plan changes, not to flags plan show');
  if (expectedVersion !== undefined && expectedVersion.trim() === '') throw new InvalidOptionError('--expect-version', 'must not be empty (flags plan show prints the version)');
  const actor = action === 'show' ? '' : actorOf();

  const opened = await openStore({ db: options.db, config: options.config }, io);
  try {
    const store = opened.store;
    if (action === 'show') await assertSchemaReady(store);
    else await store.ensureSchema();
    if (planAction !== undefined) {
      const result = unwrapPlanResult(await changeFlagPlan(store, name, planAction, { actor, ...(expectedVersion === undefined ? {} : { expectedVersion }) }, now));
      for (const change of result.changes) say(io, describeRecorded(change));
      if (result.changes.length === 0) say(io, '  nothing to change.');
    }
    const flag = await store.getFlag(name);
    if (flag === null) throw new InvalidOptionError('flag name', `no feature flag is named "${name}"`);
    const stored = storedPlanOf(flag);
    say(io, `${name}: ${flag.enabled ? 'enabled' : 'disabled'}, row at ${flag.rollout_percentage} %`);
    say(io, `  version ${flagVersion(flag)} (pass it as --expect-version so a change made meanwhile is refused)`);
    if (stored.plan !== null) for (const line of describePlan(stored.plan, now)) say(io, `  ${line}`);
    else say(io, 'invalid' in stored && stored.invalid !== undefined ? `  invalid plan: ${stored.invalid}` : '  no rollout plan');
    return EXIT_CODES.OK;
  } finally {
    await opened.close();
  }
}
