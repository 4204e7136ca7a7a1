import { z } from 'zod';
import { FlagValidationError } from './errors.js';
import { EVALUATION_FIELD_EXPECTATIONS, type FlagField } from './flag-fields.js';
import { toTimestamp } from './to-timestamp.js';

/** What each column of a feature-flag row must hold, in words. Validation errors quote it. */
const FLAG_FIELD_EXPECTATIONS: Record<FlagField, string> = {
  ...EVALUATION_FIELD_EXPECTATIONS,
  id: 'a non-empty string or null',
  description: 'a string or null',
  metadata: 'an object (or its JSON text) or null',
  created_at: 'a date or null',
  updated_at: 'a date or null',
};

/** JSON text parsed (when it is valid JSON), anything else as given, for the schema to judge. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function timestampColumn(field: 'created_at' | 'updated_at') {
  return z.union([z.date(), z.string()]).nullish().transform((value, ctx): Date | null => {
    const date = toTimestamp(value);
    if (date === undefined) {
      ctx.issues.push({ code: 'custom', input: value, message: FLAG_FIELD_EXPECTATIONS[field] });
      return z.NEVER;
    }
    return date;
  });
}

/**
 * The source of truth for a row of the `feature_flags` table:
 * `feature_flags(id uuid, name text unique, description text, enabled boolean default false,
 * rollout_percentage integer check 0..100, metadata jsonb, created_at, updated_at)`.
 *
 * Input is the database row as drivers return it (snake_case; timestamps as `Date` or ISO 8601
 * strings, PostgreSQL's `2025-01-15 10:30:00+00` included; `enabled` as a boolean, or 0/1 from
 * MySQL; `metadata` as an object or as JSON text, as MySQL and SQLite drivers return it). Output is a {@link Flag}: the same keys with timestamps as `Date` and absent optional
 * columns as `null`. Unknown columns are dropped.
 * A parsed flag is itself a valid input, so parsing is idempotent.
 */
export const FlagSchema = z.object({
  id: z.string().min(1).nullish().transform((v) => v ?? null),
  name: z.string().min(1),
  description: z.string().nullish().transform((v) => v ?? null),
  enabled: z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1),
  rollout_percentage: z.number().int().min(0).max(100),
  // MySQL and SQLite drivers return JSON columns as text: `'{"owner":"growth"}'` is metadata too.
  metadata: z
    .preprocess(parseJsonText, z.record(z.string(), z.unknown()).nullish())
    .transform((v) => v ?? null),
  created_at: timestampColumn('created_at'),
  updated_at: timestampColumn('updated_at'),
});

/** A validated feature flag (the output of {@link FlagSchema}). */
export type Flag = z.output<typeof FlagSchema>;

/** A feature-flag row as the database returns it (the input of {@link FlagSchema}). */
export type FlagRow = z.input<typeof FlagSchema>;

/** The result of {@link safeParseFlag}: a flag, or the error that names the bad field. */
export type SafeParseFlagResult =
  | { success: true; data: Flag }
  | { success: false; error: FlagValidationError };

function readableName(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const name = (row as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/**
 * Validates one database row without throwing.
 *
 * @param row - A `feature_flags` row (or an already parsed {@link Flag}).
 * @param rowIndex - Position of the row in its list, quoted in the error message.
 */
export function safeParseFlag(row: unknown, rowIndex?: number): SafeParseFlagResult {
  // Own columns only, each read once: a polluted Object.prototype adds none. May throw on a
  // hostile row (a getter or Proxy trap that throws); the client reports that row as unreadable.
  if (typeof row === 'object' && row !== null && !Array.isArray(row)) row = { __proto__: null, ...row };
  const result = FlagSchema.safeParse(row);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  const head = issue?.path[0];
  const field: FlagField = typeof head === 'string' && Object.hasOwn(FLAG_FIELD_EXPECTATIONS, head) ? (head as FlagField) : '(row)';
  const received = field === '(row)' ? row : (row as Record<string, unknown>)[field];
  return {
    success: false,
    error: new FlagValidationError(
      { flagName: readableName(row), field, expected: FLAG_FIELD_EXPECTATIONS[field], received, rowIndex },
      { cause: result.error },
    ),
  };
}

/**
 * Validates one database row and returns a typed {@link Flag}.
 *
 * @throws {@link FlagValidationError} naming the flag and the field, e.g. a rollout of 150,
 * -1, 12.5 or `"50"`, or a missing name.
 */
export function parseFlag(row: unknown): Flag {
  const result = safeParseFlag(row);
  if (!result.success) throw result.error;
  return result.data;
}
