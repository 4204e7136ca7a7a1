/**
 * The store's placeholder on MySQL and MariaDB: `?` followed by a comment that says which value
 * it takes (`?/*p3*\/`), so a statement whose parts come in another order than their values were
 * added (MariaDB's one-statement batch) is still sent with its values in the order of its text
 * ({@link valuesInTextOrder}). The server and mysql2 see a plain `?`.
 */
export const numberedPlaceholder = (position: number) => `?/*p${position}*/`;

const NUMBERED = /\?\/\*p(\d+)\*\//g;

/** The values of a statement whose placeholders are numbered, in the order of the placeholders in its text; the values as they are otherwise. */
export function valuesInTextOrder(sql: string, values: readonly unknown[]): unknown[] {
  if (!sql.includes('/*p')) return [...values];
  return Array.from(sql.matchAll(NUMBERED), (match) => values[Number(match[1]) - 1]);
}
