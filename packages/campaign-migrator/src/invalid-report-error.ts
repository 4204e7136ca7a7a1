import { checkShape } from './check-shape.js';
import { MigrationReportSchema } from './migration-report-schema.js';
import { isPlainObject } from './own-property.js';

/**
 * A function that takes a campaign migration report was given something else. `field` is the
 * first field that does not fit `MigrationReportSchema`; the message names the function.
 */
export class InvalidReportError extends TypeError {
  /** `INVALID_REPORT`, stable, for matching. */
  readonly code = 'INVALID_REPORT';
  /** The first wrong field (`report.summary`), or `report` for a value that is not an object. */
  readonly field: string;

  constructor(functionName: string, field: string, why: string, hint = '') {
    super(`${functionName}: the argument is not a campaign migration report (MigrationReportSchema): ${field} ${why}${hint}`);
    this.name = 'InvalidReportError';
    this.field = field;
  }
}

/**
 * Throws an {@link InvalidReportError} unless `report` is a campaign migration report. The result
 * of `runCampaignMigration` of `@app/migrate` (`{ mode, status, report, … }`) is named as such,
 * since passing it instead of its `report` is the usual slip.
 */
export function assertReport(functionName: string, report: unknown): void {
  const problem = checkShape(MigrationReportSchema, report, 'report');
  if (problem === undefined) return;
  const isRun = isPlainObject(report) && 'report' in report && 'mode' in report;
  throw new InvalidReportError(functionName, problem.field, problem.why, isRun ? ' (this is a run result: pass its .report)' : '');
}
