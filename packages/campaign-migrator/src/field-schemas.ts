import { z } from 'zod';
import type { JsonObject } from './json-value.js';

/**
 * A row id: a string with a non-blank character (uuid, text) or an integer (serial, bigint read as
 * number). A blank id (`" "`) is a broken row, not an id: the runner could not address it.
 */
export const RowIdSchema = z.union([z.string().regex(/\S/), z.number().int()], {
  error: 'must be a non-blank string or an integer',
});

/**
 * An owner id (user, workspace or website): a string or a finite number. A blank string passes the
 * shape check but counts as no owner (see `ownerToken`).
 */
export const OwnerIdSchema = z.union([z.string(), z.number()], { error: 'must be a string or a number' });

/** A JSON object (`jsonb` object column): no arrays, dates, `NaN`, `undefined` or functions inside. */
export const JsonObjectSchema: z.ZodType<JsonObject> = z.record(
  z.string(),
  z.json({ error: 'must be a JSON value (string, finite number, boolean, null, array or object)' }),
  { error: 'must be a JSON object' },
) as unknown as z.ZodType<JsonObject>;
