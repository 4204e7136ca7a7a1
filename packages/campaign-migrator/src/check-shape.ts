import type { z } from 'zod';
import { unreadableWhy } from './unreadable.js';

/** Which field of a row is wrong and why. */
export interface FieldProblem {
  /** Dotted path of the field (`integration_settings.events`), or `(row)` for the row itself. */
  field: string;
  /** What is wrong, in words. */
  why: string;
}

/**
 * The first problem `schema` finds in `value`, or `undefined` when it fits. Only the verdict of
 * zod is used, never its parsed output: zod copies unknown keys by assignment, which would turn a
 * `__proto__` key into the copy's prototype. Never throws (a value nested deeper than the stack
 * allows is reported as a problem).
 */
export function checkShape(schema: z.ZodType, value: unknown, fieldPrefix?: string): FieldProblem | undefined {
  let result: ReturnType<z.ZodType['safeParse']>;
  try {
    result = schema.safeParse(value);
  } catch (error) {
    return { field: fieldPrefix ?? '(row)', why: unreadableWhy(error, 'nested too deeply or not plain data') };
  }
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (issue === undefined) return { field: fieldPrefix ?? '(row)', why: 'is not valid' };
  const path = issue.path.map(String);
  const field = [...(fieldPrefix === undefined ? [] : [fieldPrefix]), ...path].join('.') || '(row)';
  return { field, why: issue.message };
}
