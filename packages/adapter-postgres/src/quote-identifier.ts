/**
 * Quotes a table, column, schema or role name for SQL: always double-quoted, inner quotes doubled,
 * so any configured name (mixed case, spaces, keywords) is used exactly and cannot inject SQL.
 *
 * @throws TypeError for an empty name or one containing a NUL character.
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw new TypeError(`Invalid SQL identifier ${JSON.stringify(name)}: expected a non-empty name without NUL characters`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a text literal. A text with a backslash becomes an escape string (`E'…'`, backslashes
 * doubled), which reads the same whatever `standard_conforming_strings` is set to.
 */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('Invalid SQL literal: NUL characters are not allowed');
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}
