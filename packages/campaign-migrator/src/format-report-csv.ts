import { assertReport } from './invalid-report-error.js';
import type { MigrationReport, MigrationReportItem } from './migration-report-schema.js';
import { readOwnProperty } from './own-property.js';
import { describeResolution } from './describe-resolution.js';

/** Columns of {@link formatReportCsv}, in order. */
export const REPORT_CSV_COLUMNS = [
  'campaign_id',
  'outcome',
  'reasons',
  'candidates',
  'resolution',
  'data_source',
  'new_integration_ids',
  'new_providers',
  'new_filters',
  'invalid_field',
  'message',
] as const;

/**
 * One CSV cell. A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with
 * `'` so spreadsheets show it as text instead of running it as a formula (campaign names and
 * provider strings come from users). Then RFC 4180 quoting: cells with a comma, quote or line
 * break are quoted, quotes doubled.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(item: MigrationReportItem): string[] {
  const dataSource = readOwnProperty(item.before, 'data_source');
  const sources = item.patch?.data_sources_v2 ?? [];
  return [
    item.campaignId ?? `(row ${item.index})`,
    item.outcome,
    item.reasons.join(';'),
    [
      ...item.candidates.map((c) => (c.type === 'native' ? 'native' : `${String(c.integration_id)} (${c.provider})`)),
      ...(item.candidatesTotal > item.candidates.length ? [`${item.candidatesTotal - item.candidates.length} more`] : []),
    ].join(';'),
    describeResolution(item),
    typeof dataSource === 'string' ? dataSource : '',
    sources.map((source) => (source.integration_id === null ? 'native' : String(source.integration_id))).join(';'),
    sources.map((source) => source.provider).join(';'),
    sources.length === 0 ? '' : JSON.stringify(sources.map((source) => source.filters)),
    item.invalid?.field ?? '',
    item.message,
  ];
}

/**
 * The report as CSV for spreadsheet review: a header row ({@link REPORT_CSV_COLUMNS}) and one row
 * per item, in report order, CRLF line ends (RFC 4180).
 *
 * @throws InvalidReportError when `report` is not a report (`MigrationReportSchema`), naming the
 *   first wrong field: the result of `runCampaignMigration` instead of its `.report`, for instance.
 */
export function formatReportCsv(report: MigrationReport): string {
  assertReport('formatReportCsv', report);
  const lines = [[...REPORT_CSV_COLUMNS], ...report.items.map(row)];
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
