import { assertReport } from './invalid-report-error.js';
import { AMBIGUITY_REASONS } from './ambiguity-reason.js';
import type { MigrationReport, MigrationReportItem } from './migration-report-schema.js';
import { REPORT_OUTCOMES } from './migration-report-schema.js';
import { describeResolution } from './describe-resolution.js';

/** Escapes text for one Markdown table cell: no pipes, line breaks or raw HTML from row data. */
function cell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.map(cell).join(' | ')} |`),
  ];
}

function campaignName(item: MigrationReportItem): string {
  return item.campaignId ?? `(row ${item.index})`;
}

function candidates(item: MigrationReportItem): string {
  if (item.candidates.length === 0) return 'none: add an integration or choose "native" / "skip"';
  const listed = item.candidates
    .map((c) => (c.type === 'native' ? 'native' : `${String(c.integration_id)} (${c.provider}${c.name === null ? '' : `, ${c.name}`})`))
    .join(', ');
  const more = item.candidatesTotal - item.candidates.length;
  return more > 0 ? `${listed}, and ${more} more` : listed;
}

/**
 * The report as Markdown for the review step: summary tables, then the campaigns that need a
 * decision with their candidates, invalid rows, resolution errors and integration issues.
 *
 * @throws InvalidReportError when `report` is not a report (`MigrationReportSchema`), naming the
 *   first wrong field: the result of `runCampaignMigration` instead of its `.report`, for instance.
 */
export function formatReportMarkdown(report: MigrationReport): string {
  assertReport('formatReportMarkdown', report);
  const { summary } = report;
  const lines: string[] = [
    '# Campaign migration report',
    '',
    `Report schema version ${report.schemaVersion}, ${
      report.singleOwner ? 'owner columns ignored (singleOwner: every campaign may match every integration)' : `owner column \`${cell(report.ownerKey)}\``
    }, ${summary.total} campaigns, ${summary.writes} to write.`,
    '',
    '## Summary',
    '',
    ...table(['Outcome', 'Campaigns'], REPORT_OUTCOMES.map((outcome) => [outcome, String(summary.outcomes[outcome])])),
    '',
    ...table(['Ambiguity reason', 'Campaigns'], AMBIGUITY_REASONS.map((reason) => [reason, String(summary.reasons[reason])])),
  ];
  const ambiguous = report.items.filter((item) => item.outcome === 'ambiguous');
  lines.push('', `## Needs review (${ambiguous.length})`, '');
  if (ambiguous.length === 0) lines.push('No campaign needs a decision.');
  else {
    lines.push(
      'Decide each one in a resolutions file (`{ "schemaVersion": 1, "resolutions": { "<campaign id>": { "integration_id": "<id>" } | "native" | "skip" } }`) and plan again with it. ' +
        'An integration of another provider than `data_source` also needs `"allow_provider_mismatch": true`.',
      '',
      ...table(['Campaign', 'Reasons', 'Candidates', 'Details'], ambiguous.map((item) => [campaignName(item), item.reasons.join(', '), candidates(item), item.message])),
    );
  }
  const resolved = report.items.filter((item) => item.resolution !== null);
  if (resolved.length > 0) {
    lines.push('', `## Resolutions (${resolved.length})`, '');
    lines.push(
      ...table(['Campaign', 'Resolution', 'Applied', 'Outcome'], resolved.map((item) => [
        campaignName(item),
        describeResolution(item),
        item.resolutionApplied ? 'yes' : 'no',
        item.outcome,
      ])),
    );
  }
  const invalid = report.items.filter((item) => item.outcome === 'invalid');
  if (invalid.length > 0) {
    lines.push('', `## Invalid rows (${invalid.length})`, '');
    lines.push(...table(['Campaign', 'Row', 'Field', 'Why'], invalid.map((item) => [campaignName(item), String(item.index), item.invalid?.field ?? '', item.invalid?.why ?? ''])));
  }
  if (report.resolutionErrors.length > 0) {
    lines.push('', `## Resolution errors (${report.resolutionErrors.length}): no resolution was applied`, '');
    lines.push(...table(['Code', 'Campaign', 'Integration', 'Message'], report.resolutionErrors.map((e) => [e.code, e.campaignId ?? '', e.integrationId ?? '', e.message])));
  }
  if (report.integrationIssues.length > 0) {
    lines.push('', `## Integration issues (${report.integrationIssues.length})`, '');
    lines.push(...table(['Integration', 'Row', 'Field', 'Why'], report.integrationIssues.map((i) => [i.integrationId ?? '', String(i.index), i.field, i.why])));
  }
  return `${lines.join('\n')}\n`;
}
