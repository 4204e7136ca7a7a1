import type { EvaluableFlag } from './evaluable-flag.js';
import { EVALUATION_FIELD_EXPECTATIONS, invalidEvaluationField } from './flag-fields.js';
import { type InvalidFlagRow, invalidFlagRow } from './invalid-flag-row.js';

/** A row read for evaluation: the flag, or the error that names the bad field. */
export type ReadFlagResult<F> = { ok: true; flag: F } | { ok: false; error: InvalidFlagRow };

/**
 * Checks the columns evaluation reads with the same rules as `FlagSchema` (a property-based test
 * keeps them equal) and leaves the others as they are. The zod-free path of `@app/flags/core`.
 */
export function readEvaluableFlag(row: unknown, rowIndex?: number): ReadFlagResult<EvaluableFlag> {
  const r = row as Record<string, unknown>;
  const field = invalidEvaluationField(row);
  if (field === undefined) return { ok: true, flag: { ...r, enabled: r.enabled === true || r.enabled === 1 } as EvaluableFlag };
  const flagName = typeof r?.name === 'string' && r.name ? r.name : undefined;
  return {
    ok: false,
    error: invalidFlagRow({ flagName, field, expected: EVALUATION_FIELD_EXPECTATIONS[field], received: field === '(row)' ? row : r[field], rowIndex }),
  };
}
