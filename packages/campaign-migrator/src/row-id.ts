import { RowIdSchema } from './field-schemas.js';

/**
 * A row id as text when it is a valid id (`RowIdSchema`: a non-blank string or an integer), else
 * `null`. Ids are compared as text: `7` and `"7"` are the same row.
 */
export function rowIdText(id: unknown): string | null {
  return RowIdSchema.safeParse(id).success ? String(id) : null;
}
