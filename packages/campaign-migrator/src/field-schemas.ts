import { z } from 'zod';
import type { JsonObject } from './json-value.js';

/** A row id: a non-empty string (uuid, text) or a safe integer (serial, bigint read as number). */
export const RowIdSchema = z.union([z.string().min(1), z.number().int()], {
  error: 'must be a non-empty string or an integer',
});

/** An owner id (user, workspace or website): a string or a finite number. */
export const OwnerIdSchema = z.union([z.string(), z.number()], { error: 'must be a string or a number' });

/** A JSON object (`jsonb` object column): no arrays, dates, `NaN`, `undefined` or functions inside. */
export const JsonObjectSchema: z.ZodType<JsonObject> = z.record(
  z.string(),
  z.json({ error: 'must be a JSON value (string, finite number, boolean, null, array or object)' }),
  { error: 'must be a JSON object' },
) as unknown as z.ZodType<JsonObject>;
