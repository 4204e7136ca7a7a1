import { RowIdSchema } from './field-schemas.js';
import { readOwnProperty } from './own-property.js';

/**
 * A row id as text when it is a valid id (`RowIdSchema`: a non-blank string or an integer), else
 * `null`. Ids are compared as text: `7` and `"7"` are the same row.
 */
export function rowIdText(id: unknown): string | null {
  return RowIdSchema.safeParse(id).success ? String(id) : null;
}

/** The id of any row as text, `null` when it has none or reading it throws (a getter, a proxy). */
export function readRowId(row: unknown): string | null {
  try {
    return rowIdText(readOwnProperty(row, 'id'));
  } catch {
    return null;
  }
}
