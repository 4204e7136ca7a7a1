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
 * The first column evaluation reads that is unusable, or `undefined` when the columns can be
 * evaluated. The same rules as `FlagSchema` for those columns (`enabled` may be 0/1). Takes the
 * values already read, so each column of a hostile row is read once.
 */
export function invalidEvaluationField(name: unknown, enabled: unknown, percentage: unknown): 'name' | 'enabled' | 'rollout_percentage' | undefined {
  return typeof name !== 'string' || !name
    ? 'name'
    : ![true, false, 0, 1].includes(enabled as number)
      ? 'enabled'
      : !Number.isInteger(percentage) || (percentage as number) < 0 || (percentage as number) > 100
        ? 'rollout_percentage'
        : undefined;
}
