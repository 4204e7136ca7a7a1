import type { FlagMetricsSummary } from '@app/flags';
import { flagAnchor } from './flag-form-fields.js';
import { type Markup, markup } from './markup.js';

/** How far back the feature-flags page sums telemetry: the seed's shortest watch (24 hours at 10 %). */
export const TELEMETRY_WINDOW_MS = 24 * 3_600_000;

const count = (value: number) => value.toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** A metric's rate under one variant, with the counts it comes from, or why there is none. */
const rateCell = (rate: number | null, metricCount: number, evaluations: number) =>
  rate === null ? markup`<td class="muted">no evaluations</td>` : markup`<td>${percent(rate)} <span class="muted">(${count(metricCount)} of ${count(evaluations)})</span></td>`;

/**
 * One flag's telemetry over the last {@link TELEMETRY_WINDOW_MS}: the numbers of the seed's
 * monitoring checklist (adoption, error rate with the feature on against off), or a line saying
 * nothing was recorded (a flag no code evaluates is a candidate for cleanup).
 */
export function renderFlagTelemetry(summary: FlagMetricsSummary): Markup {
  const id = `${flagAnchor(summary.flagName)}-telemetry`;
  const { evaluations } = summary;
  const heading = markup`<h3 id="${id}">Telemetry, last 24 hours</h3>`;
  if (evaluations.total === 0 && summary.metrics.length === 0) {
    return markup`<section class="telemetry" aria-labelledby="${id}">${heading}<p class="muted">No evaluations recorded in the last 24 hours.</p></section>`;
  }
  const errors = summary.evaluationErrors === 0 ? '' : markup` <strong>${count(summary.evaluationErrors)} could not be evaluated</strong> (reason ERROR, served off).`;
  const adoption =
    summary.enabledShare === null
      ? markup`<p>No evaluations recorded.</p>`
      : markup`<p>${count(evaluations.total)} evaluations: <strong>${percent(summary.enabledShare)} on</strong> (${count(evaluations.on)}), ${count(evaluations.off)} off.${errors}</p>`;
  const table =
    summary.metrics.length === 0
      ? markup`<p class="muted">No metric tracked under this flag yet.</p>`
      : markup`<table class="metrics">
<caption>Tracked metrics per evaluation</caption>
<thead><tr><th scope="col">Metric</th><th scope="col">Feature on</th><th scope="col">Feature off</th></tr></thead>
<tbody>${summary.metrics.map(
          (metric) => markup`<tr><th scope="row">${metric.metric}</th>${rateCell(metric.onRate, metric.counts.on, evaluations.on)}${rateCell(metric.offRate, metric.counts.off, evaluations.off)}</tr>`,
        )}</tbody>
</table>`;
  return markup`<section class="telemetry" aria-labelledby="${id}">${heading}${adoption}${table}</section>`;
}
