/** What the columns evaluation reads must hold, in words (the zod-free reader quotes them). */
export const EVALUATION_FIELD_EXPECTATIONS = {
  '(row)': 'an object',
  name: 'a non-empty string',
  enabled: 'a boolean',
  rollout_percentage: 'an integer from 0 to 100',
} as const;

/** A column of the `feature_flags` table that validation can name, or `(row)` for the row itself. */
export type FlagField =
  | '(row)'
  | 'id'
  | 'name'
  | 'description'
  | 'enabled'
  | 'rollout_percentage'
  | 'metadata'
  | 'created_at'
  | 'updated_at';

/**
 * The first column evaluation reads that is unusable, or `undefined` when the row can be
 * evaluated. The same rules as `FlagSchema` for those columns (`enabled` may be 0/1). The
 * columns are read from `own` (the row's own properties, copied once) when it is given.
 */
export function invalidEvaluationField(row: unknown, own: unknown = row): keyof typeof EVALUATION_FIELD_EXPECTATIONS | undefined {
  const r = own as Record<string, unknown>;
  const p = r?.rollout_percentage as number;
  return typeof row !== 'object' || !row || Array.isArray(row)
    ? '(row)'
    : typeof r.name !== 'string' || !r.name
      ? 'name'
      : ![true, false, 0, 1].includes(r.enabled as number)
        ? 'enabled'
        : !Number.isInteger(p) || p < 0 || p > 100
          ? 'rollout_percentage'
          : undefined;
}
