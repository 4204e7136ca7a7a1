import { z } from 'zod';
import type { JsonObject } from './json-value.js';

/**
 * A row id: a string with a non-blank character (uuid, text) or an integer (serial, bigint read as
 * number). A blank id (`" "`) is a broken row, not an id: the runner could not address it.
 */
export const RowIdSchema = z.union([z.string().regex(/\S/), z.number().int()], {
  error: 'must be a non-blank string or an integer',
});

/** Why an owner read as a JS number past 2^53 is refused. */
export const INEXACT_OWNER_WHY =
  'is an integer past 2^53 read as a JS number, so its last digits may have been rounded and another owner could match; read the column as text or bigint';

/**
 * An owner id (user, workspace or website): a string, a bigint, or a finite number that is exact.
 * Owners are compared as exact text, so an integer number past 2^53 (a `bigint` column parsed by a
 * driver into a JS number: 9007199254740993 reads as 9007199254740992) is refused rather than
 * risk matching another tenant's rows. A blank string passes the shape check but counts as no
 * owner (see `ownerToken`).
 */
export const OwnerIdSchema = z
  .union([z.string(), z.number(), z.bigint()], { error: 'must be a string, a number or a bigint' })
  .refine((owner) => typeof owner !== 'number' || !Number.isInteger(owner) || Number.isSafeInteger(owner), { error: INEXACT_OWNER_WHY });

/** A JSON object (`jsonb` object column): no arrays, dates, `NaN`, `undefined` or functions inside. */
export const JsonObjectSchema: z.ZodType<JsonObject> = z.record(
  z.string(),
  z.json({ error: 'must be a JSON value (string, finite number, boolean, null, array or object)' }),
  { error: 'must be a JSON object' },
) as unknown as z.ZodType<JsonObject>;
