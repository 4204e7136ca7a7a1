import type { MigrationReport, MigrationReportItem } from '@app/campaign-migrator';
import { type CampaignMigrationRun, type EventMigrationReport, MAX_WORKERS, type MigrationVerification, type RunCheckpoint } from '@app/migrate';
import { type Markup, markup } from './markup.js';
import { timeMarkup } from './time-markup.js';
import { type MigrationState, type ShardedEventRuns, decisiveShardedRun } from './read-migration-state.js';

/** Results of the action the request performed, shown in their panel. */
export interface MigrationPageResults {
  campaignPlan?: MigrationReport;
  campaignRun?: CampaignMigrationRun;
  eventDryRun?: EventMigrationReport;
  verification?: MigrationVerification;
  /** An action's failure, shown at the top of the page. */
  error?: string;
  /** An action's success, shown at the top of the page. */
  notice?: string;
}

/** What the page needs to know about the caller and the app. */
export interface MigrationPageViewer {
  href(path: string): string;
  /** Admins see the action buttons; viewers only read. */
  isAdmin: boolean;
  csrf: string;
}

type StepState = 'done' | 'current' | 'todo';
const STEP_LABEL: Record<StepState, string> = { done: 'Done', current: 'Next', todo: 'To do' };
const count = (value: number) => value.toLocaleString('en-US');

const csrfField = (viewer: MigrationPageViewer) => markup`<input type="hidden" name="_csrf" value="${viewer.csrf}">`;

function actionForm(viewer: MigrationPageViewer, path: string, label: string, attributes: Markup | '' = ''): Markup | '' {
  if (!viewer.isAdmin) return '';
  return markup`<form method="post" action="${viewer.href(path)}" class="inline">${csrfField(viewer)}<button type="submit"${attributes}>${label}</button></form>`;
}

function checklist(state: MigrationState): Markup {
  const plan = state.plan;
  const ambiguous = plan?.summary.outcomes.ambiguous ?? 0;
  const campaignsLeft = plan?.summary.writes ?? 0;
  const progress = state.eventProgress;
  const sharded = decisiveShardedRun(state.shardedRuns);
  const applied = state.campaignCheckpoint !== null || (progress?.status ?? null) !== null || sharded !== undefined;
  // Events run over shards from the command line are done when every shard of a count completed.
  const shardsDone = sharded !== undefined && sharded.completed === sharded.count;
  const eventsDone = (progress !== null && progress.status === 'completed') || shardsDone;
  const campaignsDone = state.campaignCheckpoint?.status === 'completed' || (plan !== null && campaignsLeft === 0 && ambiguous === 0);
  const applyDone = eventsDone && campaignsDone;
  // The rows left are the failed ones, whichever run failed them last.
  const failed = Math.max(progress?.failed ?? 0, sharded?.failed ?? 0);
  const nothingLeft = state.events !== null && progress !== null && state.events.remaining <= failed && campaignsLeft === 0;
  const steps: { title: string; state: StepState; detail: string }[] = [
    { title: 'Run a dry run', state: applied ? 'done' : 'current', detail: 'Dry runs read and plan; they write nothing, not even a record that they ran.' },
    { title: 'Download and review the report', state: applied ? 'done' : 'current', detail: 'JSON, Markdown or CSV, from the campaigns panel.' },
    {
      title: 'Resolve ambiguous campaigns',
      state: plan === null ? 'todo' : ambiguous === 0 ? 'done' : 'current',
      detail: plan === null ? 'After the schema is ready.' : ambiguous === 0 ? 'No campaign needs a decision.' : `${count(ambiguous)} campaign(s) need a decision.`,
    },
    {
      title: 'Apply',
      state: applyDone ? 'done' : applied ? 'current' : 'todo',
      detail: `Campaigns: ${state.campaignCheckpoint?.status ?? 'not applied'}; events: ${eventsApplyState(state)}.`,
    },
    {
      title: 'Verify',
      state: nothingLeft && applyDone ? 'done' : applyDone ? 'current' : 'todo',
      detail: state.events === null ? '' : `${count(state.events.migrated)} of ${count(state.events.total)} events migrated; ${count(state.campaigns?.migrated ?? 0)} of ${count(state.campaigns?.total ?? 0)} campaigns.`,
    },
  ];
  return markup`<section aria-labelledby="checklist-title" class="panel">
<h2 id="checklist-title">Checklist</h2>
<ol class="checklist">${steps.map(
    (step) => markup`<li class="step step-${step.state}"><span class="step-state">${STEP_LABEL[step.state]}</span> <strong>${step.title}</strong> <span class="muted">${step.detail}</span></li>`,
  )}</ol>
</section>`;
}

/** The events' apply state in words: the whole-table run's, else the latest sharded run's. */
function eventsApplyState(state: MigrationState): string {
  const progress = state.eventProgress;
  if (progress !== null && progress.status !== null) return `${progress.status} (${count(progress.processed)} of ${count(progress.total)})`;
  const sharded = decisiveShardedRun(state.shardedRuns);
  if (sharded === undefined) return 'not applied';
  return `${sharded.completed === sharded.count ? 'completed' : 'incomplete'} over ${count(sharded.count)} shards (${count(sharded.completed)} of ${count(sharded.count)} completed, ${count(sharded.processed)} processed)`;
}

/** A shard's run state in words, as `app-migrate status` says it. */
const shardState = (shard: ShardedEventRuns['shards'][number]) =>
  shard.limited === true ? 'stopped at its limit' : shard.status === 'aborted' ? 'stopped before the end' : shard.status;

/** How to continue an unfinished sharded run: its workers, or, past what `--workers` takes, each unfinished shard. */
function continueCommand(runs: ShardedEventRuns): Markup {
  if (runs.count <= MAX_WORKERS) return markup`<code>app-migrate events --apply --resume --workers ${runs.count}</code>`;
  const done = new Set(runs.shards.filter((shard) => shard.status === 'completed').map((shard) => shard.runKey));
  const unfinished = Array.from({ length: runs.count }, (_, i) => i + 1).filter((index) => !done.has(`events#${index}/${runs.count}`));
  const shown = unfinished.slice(0, 5);
  return markup`<code>app-migrate events --apply --resume --shard i/${runs.count}</code> for each unfinished shard (${shown.map((index) => `${index}/${runs.count}`).join(', ')}${unfinished.length > shown.length ? ` and ${count(unfinished.length - shown.length)} more` : ''})`;
}

/**
 * The sharded runs of one count (started from the command line with `--workers n` or
 * `--shard i/n`): one row per shard (those that never ran too), its failures, and, while rows are
 * left to migrate, how to continue them.
 */
function shardedRunsPanel(runs: ShardedEventRuns, rowsLeft: boolean): Markup {
  const unfinished = runs.completed < runs.count;
  const byKey = new Map(runs.shards.map((shard) => [shard.runKey, shard]));
  const failures = runs.shards.flatMap((shard) => shard.failures).slice(0, 100);
  const rows = Array.from({ length: runs.count }, (_, i) => {
    const runKey = `events#${i + 1}/${runs.count}`;
    const shard = byKey.get(runKey);
    return shard === undefined
      ? markup`<tr><td><code>${runKey}</code></td><td>not run</td><td>0</td><td>0</td><td>0</td><td></td></tr>`
      : markup`<tr><td><code>${runKey}</code></td><td>${shardState(shard)}</td><td>${count(shard.counts.processed ?? 0)}</td><td>${count(shard.counts.written ?? 0)}</td><td>${count(shard.counts.failed ?? 0)}</td><td>${timeMarkup(shard.updatedAt)}</td></tr>`;
  });
  return markup`<h3>Sharded run: ${count(runs.count)} shards</h3>
<p>${count(runs.completed)} of ${count(runs.count)} shards completed: ${count(runs.processed)} processed, ${count(runs.written)} written, ${count(runs.failed)} failed (last update ${timeMarkup(runs.updatedAt)}).${
    unfinished && rowsLeft ? markup` Each shard keeps its own checkpoint: continue them from the command line with ${continueCommand(runs)}. Apply here runs over the whole table and skips the rows already migrated.` : ''
  }</p>
<table><caption>Shards of the ${count(runs.count)}-shard run</caption>
<thead><tr><th scope="col">Run</th><th scope="col">State</th><th scope="col">Processed</th><th scope="col">Written</th><th scope="col">Failed</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows}</tbody></table>
${failures.length === 0 ? '' : failureTable(`Failed rows of the ${count(runs.count)}-shard run`, failures, '')}`;
}

function describeCandidate(candidate: MigrationReportItem['candidates'][number]): string {
  return candidate.type === 'native' ? `native (${candidate.provider})` : `integration ${candidate.integration_id} (${candidate.provider}${candidate.name === null ? '' : `, ${candidate.name}`})`;
}

const campaignName = (item: MigrationReportItem) => {
  const name = (item.before as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '';
};

function resultCards(report: MigrationReport): Markup {
  const outcomes = report.summary.outcomes;
  const cards: [string, number][] = [
    ['Migrated', outcomes.migrated],
    ['Already migrated', outcomes.already_migrated],
    ['Native', outcomes.native],
    ['Ambiguous', outcomes.ambiguous],
    ['Invalid', outcomes.invalid],
    ['Skipped', outcomes.skipped],
  ];
  return markup`<ul class="cards">${cards.map(([label, value]) => markup`<li class="card"><span class="card-value">${count(value)}</span> <span class="card-label">${label}</span></li>`)}</ul>`;
}

/**
 * The ambiguous campaigns with a resolution to pick for each, and the Apply form. `continuing`:
 * the last Apply stopped before the end, and this form continues it (its recorded resolutions
 * carry over, so the campaigns they decided and it did not write yet keep their decision).
 */
function ambiguousTable(report: MigrationReport, viewer: MigrationPageViewer, continuing = false): Markup | '' {
  const items = report.items.filter((item) => item.outcome === 'ambiguous' && item.campaignId !== null);
  const invalid = report.items.filter((item) => item.outcome === 'invalid');
  const invalidList =
    invalid.length === 0
      ? ''
      : markup`<h4>Invalid campaigns</h4><ul class="invalid">${invalid.map((item) => markup`<li><code>${item.campaignId ?? '(no id)'}</code>: ${item.message}</li>`)}</ul>`;
  const rows = items.map((item) => {
    const id = item.campaignId!;
    const choices = markup`<option value="">Decide later (not written)</option><option value="skip">Skip (leave as is)</option>${item.candidates.map(
      (candidate) =>
        markup`<option value="${candidate.type === 'native' ? 'native' : `integration:${candidate.integration_id}`}">${describeCandidate(candidate)}</option>`,
    )}`;
    return markup`<tr>
<th scope="row"><code>${id}</code></th>
<td>${campaignName(item)}</td>
<td>${item.reasons.join(', ')}</td>
<td>${item.candidates.length === 0 ? 'none' : item.candidates.map(describeCandidate).join('; ')}</td>
${viewer.isAdmin ? markup`<td><select name="resolution:${id}" aria-label="Resolution for campaign ${id}">${choices}</select></td>` : ''}
</tr>`;
  });
  const table =
    items.length === 0
      ? markup`<p>No ambiguous campaign.</p>`
      : markup`<table><caption>Ambiguous campaigns: pick a resolution for each</caption>
<thead><tr><th scope="col">Campaign</th><th scope="col">Name</th><th scope="col">Reason</th><th scope="col">Candidates</th>${viewer.isAdmin ? markup`<th scope="col">Resolution</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table>`;
  if (!viewer.isAdmin) return markup`${table}${invalidList}`;
  return markup`<form method="post" action="${viewer.href('/migration/campaigns/apply')}" class="apply-campaigns">
${csrfField(viewer)}${continuing ? markup`<input type="hidden" name="continue" value="1">` : ''}
${table}
<p>Applying writes <code>data_sources_v2</code> of every campaign the plan migrates, with these resolutions (the format of <code>app-migrate campaigns --resolutions</code>).</p>
<button type="submit" class="danger">${continuing ? 'Continue apply' : 'Apply campaign migration'}</button>
</form>${invalidList}`;
}

/** The campaigns the Apply requests this one continues wrote, when there were any. */
const alsoContinued = (run: CampaignMigrationRun) => (run.totalWritten === run.written ? '' : ` (${count(run.totalWritten)} with the requests it continues)`);

/** The last campaigns Apply stopped before the end (a throttled request): it is continued, not started over. */
const stoppedEarly = (checkpoint: RunCheckpoint | null) => checkpoint?.status === 'running' && checkpoint.limited === true;

/** Why a campaigns Apply stopped before the end (waiting for the replicas), and what it wrote. */
function stoppedCampaigns(run: CampaignMigrationRun): Markup {
  const why =
    run.status === 'aborted'
      ? 'Stopped'
      : run.throttle?.pausedAtEnd === undefined
        ? 'Stopped at the time one request may take'
        : `Paused: waiting for the database: ${run.throttle.pausedAtEnd}`;
  return markup`<p class="notice" role="status">${why}. Wrote <code>data_sources_v2</code> of ${count(run.written)} campaign(s) so far${alsoContinued(run)}; the rest is not written yet: Continue apply goes on with the same resolutions.</p>`;
}

function campaignsPanel(state: MigrationState, results: MigrationPageResults, viewer: MigrationPageViewer): Markup {
  const status = state.campaigns;
  const checkpoint = state.campaignCheckpoint;
  const run = results.campaignRun;
  const plan = results.campaignPlan ?? run?.report;
  return markup`<section aria-labelledby="campaigns-title" class="panel" id="campaigns">
<h2 id="campaigns-title">Campaigns</h2>
${status === null ? '' : markup`<p>${count(status.migrated)} of ${count(status.total)} campaigns have <code>data_sources_v2</code>; ${count(status.remaining)} remaining.${checkpoint === null ? '' : markup` Last apply: ${stoppedEarly(checkpoint) ? 'stopped before the end' : checkpoint.status}, ${count(checkpoint.counts.written ?? 0)} written (${timeMarkup(checkpoint.updatedAt)}).`}</p>`}
<div class="actions">
${actionForm(viewer, '/migration/campaigns/dry-run', 'Dry run campaigns')}
<span>${checkpoint === null ? 'Dry run report:' : 'Apply report:'}</span>
<a href="${viewer.href('/migration/campaigns/report.json')}" download>JSON</a>
<a href="${viewer.href('/migration/campaigns/report.md')}" download>Markdown</a>
<a href="${viewer.href('/migration/campaigns/report.csv')}" download>CSV</a>
</div>
${run === undefined ? '' : run.status === 'completed' ? markup`<p class="notice" role="status">Applied: wrote <code>data_sources_v2</code> of ${count(run.written)} campaign(s)${alsoContinued(run)}; ${count(run.report.summary.outcomes.skipped)} skipped, ${count(run.report.summary.outcomes.ambiguous)} still ambiguous.</p>` : stoppedCampaigns(run)}
${plan === undefined ? (stoppedEarly(checkpoint) && viewer.isAdmin ? markup`<p>The last apply stopped before the end (it waited too long for the replicas); Continue apply goes on with its resolutions.</p>${actionForm(viewer, '/migration/campaigns/apply', 'Continue apply', markup` name="continue" value="1"`)}` : '') : markup`<h3>${run === undefined ? 'Dry run' : run.status === 'completed' ? 'Result' : 'Plan (not all written yet)'}</h3>${resultCards(plan)}${plan.resolutionErrors.length === 0 ? '' : markup`<ul class="error">${plan.resolutionErrors.map((error) => markup`<li>${error.message}</li>`)}</ul>`}${ambiguousTable(plan, viewer, stoppedEarly(checkpoint))}`}
</section>`;
}

function eventsPanel(state: MigrationState, results: MigrationPageResults, viewer: MigrationPageViewer): Markup {
  const progress = state.eventProgress;
  const dry = results.eventDryRun;
  if (progress === null || state.events === null) return markup``;
  const resumable = progress.status === 'running' || progress.status === 'aborted';
  const controls = viewer.isAdmin
    ? markup`<div class="actions">
${actionForm(viewer, '/migration/events/dry-run', 'Dry run events')}
<form method="post" action="${viewer.href('/migration/events/slice')}" class="inline" data-events-start>${csrfField(viewer)}<input type="hidden" name="start" value="1"><button type="submit" class="danger">${resumable ? 'Resume apply' : 'Apply events'}</button></form>
<button type="button" data-events-pause hidden>Pause</button>
</div>`
    : '';
  const failures = progress.failures.slice(0, 100);
  // Rows left beyond the ones that fail every time: only then is continuing a sharded run worth saying.
  const rowsLeft = state.events.remaining > Math.max(progress.failed, decisiveShardedRun(state.shardedRuns)?.failed ?? 0);
  return markup`<section aria-labelledby="events-title" class="panel" id="events" data-events-panel data-slice-url="${viewer.href('/migration/events/slice')}" data-status="${progress.status ?? 'none'}">
<h2 id="events-title">Events</h2>
<p>${count(state.events.migrated)} of ${count(state.events.total)} events have a canonical event; ${count(state.events.remaining)} remaining.</p>
${controls}
<label for="events-progress">Apply progress</label>
<progress id="events-progress" max="${Math.max(progress.total, 1)}" value="${progress.processed}" data-events-bar>${count(progress.processed)} of ${count(progress.total)}</progress>
<p aria-live="polite" data-events-text>${progress.status === null ? (state.shardedRuns.length === 0 ? 'Not applied yet.' : 'No run over the whole table yet; the sharded runs are below.') : `${progress.status}: ${count(progress.processed)} of ${count(progress.total)} processed, ${count(progress.written)} written, ${count(progress.failed)} failed.`}</p>
<p><span>Reports (JSON):</span>
<a href="${viewer.href('/migration/events/dry-run-report.json')}" download>Dry run report</a>
<a href="${viewer.href('/migration/events/report.json')}" download data-events-report${progress.status === null ? markup` hidden` : ''}>Apply report</a></p>
${dry === undefined ? '' : markup`<h3>Dry run</h3><ul class="cards">
<li class="card"><span class="card-value">${count(dry.counts.processed)}</span> <span class="card-label">Processed${dry.status === 'completed' ? '' : ` (time box: first ${count(dry.counts.processed)} of ${count(dry.counts.selected)})`}</span></li>
<li class="card"><span class="card-value">${count(dry.counts.wouldWrite)}</span> <span class="card-label">Would be written</span></li>
<li class="card"><span class="card-value">${count(dry.counts.failed)}</span> <span class="card-label">Would fail</span></li>
<li class="card"><span class="card-value">${count(dry.counts.fallback)}</span> <span class="card-label">Fallback normalizer</span></li>
</ul>${dry.failures.length === 0 ? '' : failureTable('Rows the dry run could not normalize', dry.failures.slice(0, 100), '')}`}
${failureTable('Failed rows', failures, 'data-events-failures')}
${state.shardedRuns.map((runs) => shardedRunsPanel(runs, rowsLeft))}
</section>`;
}

function failureTable(caption: string, failures: readonly { id: string | null; code: string; reason: string }[], marker: string): Markup {
  return markup`<table ${marker === '' ? '' : markup`data-events-failures`}${failures.length === 0 ? markup` hidden` : ''}><caption>${caption}</caption>
<thead><tr><th scope="col">Event id</th><th scope="col">Code</th><th scope="col">Reason</th></tr></thead>
<tbody>${failures.map((failure) => markup`<tr><td><code>${failure.id ?? '(no id)'}</code></td><td>${failure.code}</td><td>${failure.reason}</td></tr>`)}</tbody></table>`;
}

function verifyPanel(state: MigrationState, results: MigrationPageResults, viewer: MigrationPageViewer): Markup {
  const verification = results.verification;
  if (state.events === null || state.campaigns === null) return markup``;
  return markup`<section aria-labelledby="verify-title" class="panel" id="verify">
<h2 id="verify-title">Verify</h2>
<p>Events: ${count(state.events.migrated)} migrated, ${count(state.events.remaining)} remaining. Campaigns: ${count(state.campaigns.migrated)} migrated, ${count(state.campaigns.remaining)} remaining.</p>
<div class="actions">${actionForm(viewer, '/migration/verify', 'Verify')}</div>
${verification === undefined ? '' : markup`<div role="status"><ul class="cards">
<li class="card"><span class="card-value">${count(verification.events.migrated)}</span> <span class="card-label">Events migrated</span></li>
<li class="card"><span class="card-value">${count(verification.events.remaining)}</span> <span class="card-label">Remaining</span></li>
<li class="card"><span class="card-value">${count(verification.events.failed)}</span> <span class="card-label">Failed</span></li>
<li class="card"><span class="card-value">${count(verification.sampled)}</span> <span class="card-label">Payloads sampled</span></li>
<li class="card"><span class="card-value">${count(verification.mismatches.length)}</span> <span class="card-label">Payload mismatches</span></li>
</ul>
<p class="${verification.ok ? 'notice' : 'error'}"><strong>${verification.ok ? 'OK' : 'Not OK'}</strong>: ${verification.ok ? 'nothing is left but the failed rows, and every sampled payload equals its original event_data.' : 'rows remain to migrate, or sampled payloads differ.'}</p>
${verification.mismatches.length === 0 ? '' : markup`<ul>${verification.mismatches.slice(0, 50).map((mismatch) => markup`<li><code>${mismatch.id}</code>: ${mismatch.problem}</li>`)}</ul>`}</div>`}
</section>`;
}

/** The migration dashboard: checklist, campaigns, events and verify panels. */
export function renderMigrationPage(state: MigrationState, results: MigrationPageResults, viewer: MigrationPageViewer): Markup {
  const schemaPanel = state.schema.ready
    ? ''
    : markup`<section class="panel" aria-labelledby="schema-title"><h2 id="schema-title">Schema not ready</h2>
<p>The database lacks what the migrations need: ${state.schema.missing.join(', ')}. Nothing can run until it is created (<code>app-migrate init</code> does the same).</p>
${actionForm(viewer, '/migration/init', 'Create the migration schema')}</section>`;
  return markup`${results.error === undefined ? '' : markup`<p class="error" role="alert">${results.error}</p>`}
${results.notice === undefined ? '' : markup`<p class="notice" role="status">${results.notice}</p>`}
${schemaPanel}
${checklist(state)}
${state.schema.ready ? markup`${campaignsPanel(state, results, viewer)}${eventsPanel(state, results, viewer)}${verifyPanel(state, results, viewer)}` : ''}`;
}
