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
  // One read of each own column (a polluted Object.prototype adds none); may throw on a hostile
  // row, which the client reports as unreadable.
  const r = { __proto__: null, ...(row as object) } as Record<string, unknown>;
  const field = typeof row !== 'object' || !row || Array.isArray(row) ? '(row)' : invalidEvaluationField(r.name, r.enabled, r.rollout_percentage);
  if (field === undefined) {
    // `r` is this row's own copy: normalizing it in place costs no second copy. `enabled` is
    // one of true, false, 0 and 1 here, so `!!` maps MySQL's 0/1 to booleans.
    r.enabled = !!r.enabled;
    return { ok: true, flag: r as unknown as EvaluableFlag };
  }
  const flagName = (typeof r.name === 'string' && r.name) || undefined;
  return {
    ok: false,
    error: invalidFlagRow({ flagName, field, expected: EVALUATION_FIELD_EXPECTATIONS[field], received: field === '(row)' ? row : r[field], rowIndex }),
  };
}
