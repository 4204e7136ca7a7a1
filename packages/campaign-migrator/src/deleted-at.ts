import { parseTimestamp } from '@app/canonical-events/core';
import { z } from 'zod';

// What legacy rows hold in deleted_at when the row is NOT deleted: MySQL zero dates, a null that
// went through a text cast, a 0/false default. Counting these as deleted hid live integrations.
const NOT_DELETED_TEXT = new Set(['', 'null', 'false', '0', '0000-00-00', '0000-00-00 00:00:00']);

function isNotDeletedText(text: string): boolean {
  return NOT_DELETED_TEXT.has(text.trim().toLowerCase());
}

// The canonical-events parser, not Date.parse: each engine's Date.parse takes other strings.
function isTimestampText(text: string): boolean {
  return parseTimestamp(text.trim()) !== undefined;
}

/**
 * `deleted_at` of an integration: a timestamp (`Date`, ISO text, epoch milliseconds > 0) or
 * `true` means deleted; `null`, `false`, `0`, `""`, `"null"`, `"0"`, `"false"` and MySQL zero
 * dates mean not deleted. Any other text is rejected, so the row is listed as an integration issue
 * and never used, rather than guessed either way.
 */
export const DeletedAtSchema = z
  .union([z.boolean(), z.number().nonnegative(), z.string(), z.date()], { error: 'must be a timestamp, true, or null' })
  .nullish()
  .refine((value) => typeof value !== 'string' || isNotDeletedText(value) || isTimestampText(value), {
    error: 'must be a timestamp, true, or a not-deleted value (null, false, 0, "", "null")',
  });

/** Whether a `deleted_at` that {@link DeletedAtSchema} accepts marks the row deleted. */
export function isDeletedAt(value: unknown): boolean {
  if (value === true || value instanceof Date) return true;
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'string') return !isNotDeletedText(value);
  return false;
}
