import { assertReport } from './invalid-report-error.js';
import type { MigrationReport } from './migration-report-schema.js';
import type { ResolutionsFile } from './resolutions-file-schema.js';

/**
 * A resolutions file to start the review from: every campaign still `ambiguous` is set to
 * `"skip"` (the safe choice) and its candidates are listed under `candidates`, which the file
 * schema allows and ignores. Reviewers replace each `"skip"` they can decide with `"native"` or
 * `{ "integration_id": … }`.
 *
 * @throws InvalidReportError when `report` is not a report (`MigrationReportSchema`), naming the first wrong field.
 */
export function createResolutionsTemplate(report: MigrationReport): ResolutionsFile & { candidates: Record<string, unknown> } {
  assertReport('createResolutionsTemplate', report);
  const ambiguous = report.items.filter((item) => item.outcome === 'ambiguous' && item.campaignId !== null);
  return {
    schemaVersion: 1,
    resolutions: Object.fromEntries(ambiguous.map((item) => [item.campaignId, 'skip'])),
    candidates: Object.fromEntries(ambiguous.map((item) => [item.campaignId, { reasons: item.reasons, choices: item.candidates }])),
  };
}
