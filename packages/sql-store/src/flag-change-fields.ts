import type { FlagChangeField } from '@app/migrate';

/**
 * Every value the history table's `field` column may hold, in the order the CHECK lists them.
 * Schemas built from it accept every field the flag store records; `ensureSchema` compares a
 * stored CHECK with it ({@link fieldsMissingFromCheck}) and replaces a CHECK of an older schema.
 */
export const FLAG_CHANGE_FIELDS: readonly FlagChangeField[] = Object.freeze(['flag', 'enabled', 'rollout_percentage', 'description', 'metadata']);

/** `field IN ('flag', …)`: the condition of the history table's CHECK, as every adapter writes it. */
export function flagChangeFieldCondition(column = 'field'): string {
  return `${column} IN (${FLAG_CHANGE_FIELDS.map((field) => `'${field}'`).join(', ')})`;
}

/**
 * The fields of {@link FLAG_CHANGE_FIELDS} that a CHECK's text (as the catalog returns it:
 * `field IN (…)`, `field = ANY (ARRAY['flag'::text, …])`) refuses, or `[]` when it is not a check
 * of the `field` column at all. A database created before a field was recorded (`metadata`, for
 * rollout plans) keeps a CHECK that refuses its rows until `ensureSchema` replaces it.
 */
export function fieldsMissingFromCheck(checkText: string): FlagChangeField[] {
  if (!/(^|[^a-z_])[`"]?field[`"]?([^a-z_]|$)/i.test(checkText)) return [];
  return FLAG_CHANGE_FIELDS.filter((field) => !checkText.includes(`'${field}'`));
}
