import { DEFAULT_PLAN_STAGES, type Guardrail, type PlanStage, type RolloutPlan, currentPercentage, formatDuration, parseHold, planPosition } from '@app/flags';
import { type StoredFlag, storedPlanOf } from '@app/migrate';
import { type FlagsViewer, csrfField, expectedFields, flagAnchor, flagPath } from './flag-form-fields.js';
import { type Markup, markup } from './markup.js';
import { textWithTimes, timeMarkup } from './time-markup.js';

/** The plan changes the page offers, each a POST to `/feature-flags/<name>/plan/<action>`. */
export const PLAN_ACTIONS = ['start', 'pause', 'resume', 'advance', 'rollback'] as const;
/** One of {@link PLAN_ACTIONS}. */
export type PlanAction = (typeof PLAN_ACTIONS)[number];

const STATE_LABELS: Record<RolloutPlan['state'], string> = { running: 'Running', paused: 'Paused', rolled_back: 'Rolled back', done: 'Done' };

const when = timeMarkup;

const stageText = (stage: PlanStage) => {
  const hold = parseHold(stage.hold);
  return `${stage.percentage} %${hold === undefined ? ', until advanced' : ` for ${formatDuration(hold)}`}`;
};

/** The seed's plan in words: `10 % for 24 h → 50 % for 48 h → 100 % for 7 d`. */
const DEFAULT_PLAN_TEXT = DEFAULT_PLAN_STAGES.map(stageText).join(' → ');

const rate = (value: number) => `${(value * 100).toFixed(1)} %`;

function guardrailText(guardrail: Guardrail): string {
  const measured = guardrail.comparedTo === 'off' ? `${guardrail.metric} rate with the feature on minus off` : `${guardrail.metric} rate`;
  const judged = guardrail.minSamples === undefined || guardrail.minSamples === 0 ? '' : ` (judged from ${guardrail.minSamples} evaluations)`;
  return `${measured} above ${rate(guardrail.threshold)}: ${guardrail.action === 'rollback' ? 'roll back' : 'pause'}${judged}`;
}

/** What comes next for the plan, in words, from its position at `now`. */
function nextStep(plan: RolloutPlan, now: Date): Markup {
  const position = planPosition(plan, now);
  const last = plan.stages.length - 1;
  switch (plan.state) {
    case 'paused':
      return markup`Paused since ${when(plan.pausedAt!)}: resuming continues the stage for the rest of its hold.`;
    case 'rolled_back':
      return markup`Rolled back at ${when(plan.stageStartedAt)}: 0 %, disabled. Resuming restarts the plan at ${plan.stages[0]!.percentage} %.`;
    case 'done':
      return markup`Done: ${plan.stages[last]!.percentage} % reached and held.`;
    case 'running':
      if (!position.started) return markup`Starts at ${when(plan.startAt)}.`;
      if (position.complete) return markup`The last stage has been held: the next check marks the plan done.`;
      if (position.holdEndsAt === null) return markup`This stage waits to be advanced.`;
      if (position.holdEndsAt <= now.getTime()) return markup`Hold over: the next guardrail check advances it.`;
      if (position.stage === last) return markup`Held until ${when(position.holdEndsAt)} (in ${formatDuration(position.holdEndsAt - now.getTime())}), then done.`;
      return markup`Next stage, ${plan.stages[position.stage + 1]!.percentage} %, at ${when(position.holdEndsAt)} (in ${formatDuration(position.holdEndsAt - now.getTime())})${plan.guardrails?.length ? ', once the guardrails clear it' : ''}.`;
  }
}

/** One plan button: a form posting to the action with the CSRF token and what the admin saw. */
function planButton(flag: StoredFlag, viewer: FlagsViewer, action: PlanAction, text: string, label: string, danger = false): Markup {
  return markup`<form method="post" action="${viewer.href(`${flagPath(flag.name)}/plan/${action}`)}">
  ${csrfField(viewer)}${expectedFields(flag)}
  <button type="submit"${danger ? markup` class="danger"` : action === 'pause' ? markup` class="secondary"` : ''} aria-label="${label}">${text}</button>
</form>`;
}

/** The buttons a plan in its state offers (admins only). */
function planButtons(flag: StoredFlag, plan: RolloutPlan | null, viewer: FlagsViewer, now: Date): Markup {
  const name = flag.name;
  const start = planButton(flag, viewer, 'start', plan === null ? 'Start plan' : 'Start a new plan', `${plan === null ? 'Start plan' : 'Start a new plan'} for ${name}: ${DEFAULT_PLAN_TEXT}`);
  if (plan === null) return markup`<div class="flag-forms plan-forms">${start}<span class="muted">${DEFAULT_PLAN_TEXT} (the seed's plan).</span></div>`;
  const position = planPosition(plan, now);
  const canAdvance = (plan.state === 'running' || plan.state === 'paused') && (!position.started || position.stage < plan.stages.length - 1);
  const rollback = planButton(flag, viewer, 'rollback', 'Roll back plan', `Roll back plan of ${name}: 0 %, then disabled`, true);
  const advance = canAdvance ? planButton(flag, viewer, 'advance', 'Advance now', `Advance now: the plan of ${name} to its next stage`) : '';
  const buttons =
    plan.state === 'running'
      ? [planButton(flag, viewer, 'pause', 'Pause', `Pause the plan of ${name}`), advance, rollback]
      : plan.state === 'paused'
        ? [planButton(flag, viewer, 'resume', 'Resume', `Resume the plan of ${name}`), advance, rollback]
        : plan.state === 'rolled_back'
          ? [planButton(flag, viewer, 'resume', 'Resume from the first stage', `Resume from the first stage: the plan of ${name}`)]
          : [rollback];
  return markup`<div class="flag-forms plan-forms">${buttons}</div>`;
}

/**
 * A flag's scheduled rollout plan, as Unleash release plans and GrowthBook scheduled rollouts show
 * theirs: its state, the percentage it gives at `now` (the server's clock, an argument), its stages
 * with the current one marked, when the next stage comes, its guardrails and its last decision; for
 * admins the buttons its state allows (start from the seed's plan, pause, resume, advance now,
 * roll back).
 */
export function renderPlanPanel(flag: StoredFlag, viewer: FlagsViewer, now: Date): Markup {
  const id = `${flagAnchor(flag.name)}-plan`;
  const stored = storedPlanOf(flag);
  const plan = stored.plan;
  const controls = viewer.isAdmin ? planButtons(flag, plan, viewer, now) : '';
  if (plan === null) {
    const invalid = 'invalid' in stored ? stored.invalid : undefined;
    return markup`<section class="plan" aria-labelledby="${id}">
<h3 id="${id}">Rollout plan</h3>
${invalid === undefined ? markup`<p class="muted">No scheduled plan: the rollout moves only when someone moves it.</p>` : markup`<p class="error">The stored plan is invalid (${invalid}), so it is ignored; starting a new plan replaces it.</p>`}
${controls}
</section>`;
  }
  const position = planPosition(plan, now);
  const percentage = currentPercentage(plan, now);
  const current = position.started && plan.state !== 'rolled_back' ? position.stage : -1;
  const stages = plan.stages.map(
    (stage, index) =>
      markup`<li${index === current ? markup` aria-current="step" class="current"` : index < current ? markup` class="passed"` : ''}>${stageText(stage)}${index === current ? markup` <strong>(current)</strong>` : ''}</li>`,
  );
  const guardrails = plan.guardrails ?? [];
  return markup`<section class="plan" aria-labelledby="${id}">
<h3 id="${id}">Rollout plan</h3>
<p class="plan-summary"><span class="badge plan-${plan.state.replace('_', '-')}">${STATE_LABELS[plan.state]}</span> Now <strong>${percentage} %</strong>${current >= 0 ? `, stage ${current + 1} of ${plan.stages.length}` : ''}. ${nextStep(plan, now)}</p>
<ol class="plan-stages" aria-label="Stages of the plan of ${flag.name}">${stages}</ol>
${guardrails.length === 0 ? markup`<p class="muted">No guardrails.</p>` : markup`<p>Guardrails:</p><ul class="plan-guardrails">${guardrails.map((guardrail) => markup`<li>${guardrailText(guardrail)}</li>`)}</ul>`}
<p class="plan-decision">Last decision: ${plan.decision === undefined ? markup`<span class="muted">none recorded</span>` : textWithTimes(plan.decision)}</p>
${controls}
</section>`;
}
