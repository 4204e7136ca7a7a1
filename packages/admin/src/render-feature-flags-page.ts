import { type FlagMetricsSummary, PLAN_METADATA_KEY, SYSTEM_FLAGS, cleanupReadiness, currentPercentage, rolloutGuidance, rolloutStatus } from '@app/flags';
import { type FlagChange, type StoredFlag, storedPlanOf } from '@app/migrate';
import { type FlagsViewer, csrfField, expectedFields, flagAnchor, flagPath } from './flag-form-fields.js';
import { type Markup, markup } from './markup.js';
import { renderFlagTelemetry } from './render-flag-telemetry.js';
import { renderPlanPanel } from './render-plan-panel.js';
import { textWithTimes } from './time-markup.js';

/** One flag and its recent history, as the page shows it. */
export interface FlagWithHistory {
  flag: StoredFlag;
  /** Its changes, newest first. */
  history: readonly FlagChange[];
  /** Its telemetry of the last 24 hours, when the store keeps telemetry. */
  telemetry?: FlagMetricsSummary | undefined;
}

/** A message above the page: a success notice, or an error (with the status the page is sent with). */
export interface FlagsPageMessages {
  notice?: string | undefined;
  error?: string | undefined;
  /** The create form's values after a refused creation, so the admin can correct them. */
  createName?: string | undefined;
  createDescription?: string | undefined;
}

const SYSTEM_NAMES = new Set<string>(SYSTEM_FLAGS.map((flag) => flag.name));
const STOPS = [0, 10, 50, 100] as const;

const planIn = (metadata: unknown): { state: string; stage: number; stages: unknown[] } | undefined => {
  const plan = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)[PLAN_METADATA_KEY] : undefined;
  return typeof plan === 'object' && plan !== null && Array.isArray((plan as { stages?: unknown }).stages) ? (plan as { state: string; stage: number; stages: unknown[] }) : undefined;
};

/** A recorded value in words. */
function shownValue(field: FlagChange['field'], value: unknown): string {
  if (field === 'metadata') {
    const plan = planIn(value);
    return plan === undefined ? 'no plan' : `plan ${String(plan.state).replace('_', ' ')}, stage ${Number(plan.stage) + 1} of ${plan.stages.length}`;
  }
  if (value === null) return field === 'flag' ? '(none)' : '(empty)';
  if (field === 'rollout_percentage') return `${String(value)} %`;
  if (field === 'enabled') return value === true ? 'enabled' : 'disabled';
  if (field === 'flag') {
    const snapshot = value as { enabled: boolean; rollout_percentage: number };
    return rolloutStatus(snapshot).label;
  }
  return String(value);
}

/** Why a plan changed, as it recorded it (who, when, a guardrail's numbers). */
const planDecision = (metadata: unknown): string | undefined => {
  const decision = (planIn(metadata) as { decision?: unknown } | undefined)?.decision;
  return typeof decision === 'string' ? decision : undefined;
};

function describeChange(change: FlagChange): string {
  if (change.field === 'flag') return change.from === null ? 'created' : change.to === null ? 'deleted' : 'changed';
  if (change.field === 'metadata') return planIn(change.from) !== undefined || planIn(change.to) !== undefined ? 'rollout plan' : 'metadata';
  return change.field === 'rollout_percentage' ? 'rollout' : change.field;
}

/** The audit log as a table: when, flag, what, from → to, who, and (admins) a one-click revert. */
export function renderChangesTable(changes: readonly FlagChange[], viewer: FlagsViewer, caption: string, showFlag: boolean): Markup {
  if (changes.length === 0) return markup`<p class="muted">No recorded changes yet.</p>`;
  const rows = changes.map(
    (change) => markup`<tr id="change-${change.id}">
<td>#${change.id}</td>
<td><time datetime="${change.changedAt}">${change.changedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time></td>
${showFlag ? markup`<td><a href="${viewer.href(flagPath(change.flagName))}">${change.flagName}</a></td>` : ''}
<td>${describeChange(change)}${change.revertsChangeId === null ? '' : markup` <span class="muted">(reverts #${change.revertsChangeId})</span>`}${change.field === 'metadata' && planDecision(change.to) !== undefined ? markup`<br><span class="muted">${textWithTimes(planDecision(change.to)!)}</span>` : ''}</td>
<td>${shownValue(change.field, change.from)} → ${shownValue(change.field, change.to)}</td>
<td>${change.actor}</td>
${
  viewer.isAdmin
    ? markup`<td><form method="post" action="${viewer.href(`/feature-flags/changes/${change.id}/revert`)}">${csrfField(viewer)}<button type="submit" class="secondary" aria-label="Revert change #${change.id} (${describeChange(change)} of ${change.flagName})">Revert</button></form></td>`
    : ''
}
</tr>`,
  );
  return markup`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Change</th><th scope="col">When</th>${showFlag ? markup`<th scope="col">Flag</th>` : ''}<th scope="col">What</th><th scope="col">From → to</th><th scope="col">Who</th>${viewer.isAdmin ? markup`<th scope="col">Undo</th>` : ''}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** The admin's controls of one flag: toggle, rollout slider with the plan's stops, rollback, description, delete. */
function flagControls(flag: StoredFlag, viewer: FlagsViewer, planPercentage: number | undefined): Markup {
  const id = flagAnchor(flag.name);
  const action = viewer.href(`${flagPath(flag.name)}/update`);
  return markup`<div class="flag-forms">
<form method="post" action="${action}">
  ${csrfField(viewer)}${expectedFields(flag)}
  <input type="hidden" name="enabled" value="${String(!flag.enabled)}">
  <button type="submit" class="${flag.enabled ? 'secondary' : ''}" aria-label="${flag.enabled ? 'Disable' : 'Enable'} ${flag.name}">${flag.enabled ? 'Disable' : 'Enable'}</button>
</form>
<form method="post" action="${action}" class="rollout">
  ${csrfField(viewer)}${expectedFields(flag)}
  <label for="${id}-rollout">Rollout</label>
  <input type="range" id="${id}-rollout" name="rollout_percentage" min="0" max="100" step="1" value="${String(flag.rollout_percentage)}" list="rollout-stops" data-rollout data-output="${id}-rollout-value" aria-valuetext="${flag.rollout_percentage} %" aria-describedby="${id}-rollout-help">
  <output id="${id}-rollout-value" for="${id}-rollout">${flag.rollout_percentage} %</output>
  <button type="submit">Apply rollout</button>
  <span class="stops" role="group" aria-label="Set ${flag.name} to a stage of the plan">${STOPS.map(
    (stop) => markup`<button type="submit" name="stop" value="${String(stop)}" class="secondary"${stop === flag.rollout_percentage ? markup` aria-current="true"` : ''}>${stop} %</button>`,
  )}</span>
  <span id="${id}-rollout-help" class="muted">Page Up / Page Down: next stage (0, 10, 50, 100 %); arrows: 1 %.${
    // Without this the slider shows the row's percentage beside a plan that gives another one.
    planPercentage === undefined ? '' : ` The rollout plan decides while it is stored (now ${planPercentage} %): this sets the stored percentage, which evaluation ignores until the plan is removed.`
  }</span>
</form>
<form method="post" action="${viewer.href(`${flagPath(flag.name)}/rollback`)}">
  ${csrfField(viewer)}${expectedFields(flag)}
  <button type="submit" class="danger" aria-label="Roll back ${flag.name}: 0 %, then disabled">Roll back</button>
</form>
</div>
<form method="post" action="${action}" class="describe">
  ${csrfField(viewer)}${expectedFields(flag)}
  <label for="${id}-description">Description</label>
  <textarea id="${id}-description" name="description" maxlength="1000">${flag.description ?? ''}</textarea>
  <button type="submit" class="secondary">Save description</button>
</form>
<form method="post" action="${viewer.href(`${flagPath(flag.name)}/delete`)}">
  ${csrfField(viewer)}${expectedFields(flag)}
  <button type="submit" class="secondary" aria-label="Delete flag ${flag.name}">Delete flag</button>
</form>`;
}

/** One flag's panel: name, marks, badge, description, guidance, controls (admins), and (on its own page) its audit log. */
export function renderFlagPanel(item: FlagWithHistory, viewer: FlagsViewer, now: Date, withHistory: boolean): Markup {
  const { flag, history } = item;
  const plan = storedPlanOf(flag).plan;
  // A valid plan decides the percentage by the clock (servers and widgets follow it, not the row):
  // the badge shows what it gives now, and the plan's panel takes the place of the manual guidance.
  const planPercentage = plan === null ? undefined : currentPercentage(plan, now);
  const status = rolloutStatus(planPercentage === undefined ? flag : { enabled: flag.enabled, rollout_percentage: planPercentage });
  const guidance = rolloutGuidance(flag, history, now, flag.updated_at);
  const cleanup = cleanupReadiness(flag, history, now, flag.updated_at);
  const id = flagAnchor(flag.name);
  return markup`<section class="panel flag" id="${id}" tabindex="-1" aria-labelledby="${id}-name">
<div class="flag-head">
  <h2 id="${id}-name">${flag.name}</h2>
  <span class="badge badge-${status.kind}">${status.label}</span>
  ${SYSTEM_NAMES.has(flag.name) ? markup`<span class="tag">System flag</span>` : ''}
  ${cleanup.ready ? markup`<span class="tag tag-cleanup">Ready for cleanup</span>` : ''}
</div>
${viewer.isAdmin ? '' : markup`<p>${flag.description ?? markup`<span class="muted">No description.</span>`}</p>`}
${plan === null ? markup`<p class="guidance">${guidance.message}</p>` : ''}
${cleanup.ready ? markup`<p class="muted">${cleanup.state === 'on' ? 'Fully on' : 'Off'} and unchanged for 14 days: remove the flag checks from the code, then delete the flag.</p>` : ''}
${renderPlanPanel(flag, viewer, now)}
${item.telemetry === undefined ? '' : renderFlagTelemetry(item.telemetry)}
${viewer.isAdmin ? flagControls(flag, viewer, planPercentage) : ''}
${withHistory ? renderChangesTable(history, viewer, `Audit log of ${flag.name}`, false) : markup`<p><a href="${viewer.href(flagPath(flag.name))}">Audit log of ${flag.name}</a></p>`}
</section>`;
}

const messages = (results: FlagsPageMessages) => markup`${results.error === undefined ? '' : markup`<p class="error" role="alert">${results.error}</p>`}
${results.notice === undefined ? '' : markup`<p class="notice" role="status">${results.notice}</p>`}`;

const stopsList = markup`<datalist id="rollout-stops">${STOPS.map((stop) => markup`<option value="${String(stop)}"></option>`)}</datalist>`;

const assets = (viewer: FlagsViewer) => markup`<link rel="stylesheet" href="${viewer.href('/assets/feature-flags.css')}">
<script src="${viewer.href('/assets/feature-flags.js')}" defer></script>`;

/** The feature-flags page: every flag, the create form (admins), and the overall audit log. */
export function renderFeatureFlagsPage(flags: readonly FlagWithHistory[], recent: readonly FlagChange[], viewer: FlagsViewer, now: Date, results: FlagsPageMessages = {}): Markup {
  const create = viewer.isAdmin
    ? markup`<section class="panel" aria-labelledby="create-flag">
<h2 id="create-flag">Create a flag</h2>
<form method="post" action="${viewer.href('/feature-flags')}" class="create">
  ${csrfField(viewer)}
  <label for="new-flag-name">Name</label>
  <input id="new-flag-name" name="name" required maxlength="100" pattern="[A-Za-z0-9][A-Za-z0-9_.:\\-]*" aria-describedby="new-flag-name-help" value="${results.createName ?? ''}">
  <span id="new-flag-name-help" class="muted">A letter or digit, then letters, digits, _ . - or : (at most 100). New flags start disabled at 0 %.</span>
  <label for="new-flag-description">Description</label>
  <textarea id="new-flag-description" name="description" maxlength="1000">${results.createDescription ?? ''}</textarea>
  <button type="submit">Create flag</button>
</form>
</section>`
    : markup`<p class="muted">You can view flags; changing them needs the admin role.</p>`;
  return markup`${assets(viewer)}${messages(results)}
<p>Roll out in stages: 10 % for 24 hours, 50 % for 48 hours, then 100 % for a week before cleanup. Rollback sets 0 %, then disables.</p>
${stopsList}
<ul class="flags">${flags.map((item) => markup`<li>${renderFlagPanel(item, viewer, now, false)}</li>`)}</ul>
${create}
<section class="panel" aria-labelledby="audit-log">
<h2 id="audit-log">Audit log</h2>
${renderChangesTable(recent, viewer, 'Recent changes of every flag, newest first', true)}
</section>`;
}

/** One flag's page: its panel with its whole recent audit log. */
export function renderFlagPage(item: FlagWithHistory, viewer: FlagsViewer, now: Date, results: FlagsPageMessages = {}): Markup {
  return markup`${assets(viewer)}${messages(results)}
<p><a href="${viewer.href('/feature-flags')}">All feature flags</a></p>
${stopsList}
${renderFlagPanel(item, viewer, now, true)}`;
}

/** What a confirmation asks about. */
export interface FlagConfirmation {
  /** The question (`Lower checkout.new-flow from 50 % to 10 %?`). */
  question: string;
  warnings: readonly string[];
  /** Where the confirmed form posts, relative to the base path. */
  action: string;
  /** The fields of the original form, sent again with `confirm=yes`. */
  fields: URLSearchParams;
  confirmLabel: string;
  /** Where Cancel leads, relative to the base path. */
  cancel: string;
}

/** The explicit confirmation of a change that lowers a rollout, skips a stage, rolls back, deletes or reverts. */
export function renderFlagConfirmation(confirmation: FlagConfirmation, viewer: FlagsViewer): Markup {
  const hidden = [...confirmation.fields].filter(([name]) => name !== '_csrf' && name !== 'confirm');
  return markup`<section class="panel" aria-labelledby="confirm-question">
<h2 id="confirm-question">${confirmation.question}</h2>
<div class="warning" role="alert"><ul>${confirmation.warnings.map((warning) => markup`<li>${warning}</li>`)}</ul></div>
<form method="post" action="${viewer.href(confirmation.action)}" class="actions">
  ${csrfField(viewer)}
  ${hidden.map(([name, value]) => markup`<input type="hidden" name="${name}" value="${value}">`)}
  <input type="hidden" name="confirm" value="yes">
  <button type="submit" class="danger">${confirmation.confirmLabel}</button>
  <a href="${viewer.href(confirmation.cancel)}">Cancel</a>
</form>
</section>`;
}
