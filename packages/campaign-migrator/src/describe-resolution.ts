import type { MigrationReportItem } from './migration-report-schema.js';

/** A report item's resolution as a reviewer reads it (`native`, `skip`, `integration int-7`), `''` when none. */
export function describeResolution(item: MigrationReportItem): string {
  if (item.resolution === null) return '';
  if (typeof item.resolution === 'string') return item.resolution;
  return `integration ${String(item.resolution.integration_id)}${item.resolution.allow_provider_mismatch === true ? ' (provider mismatch allowed)' : ''}`;
}
