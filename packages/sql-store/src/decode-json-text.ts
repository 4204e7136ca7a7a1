/**
 * Decodes a JSON column a driver returned as text (MariaDB, SQLite, or MySQL's JSON asked for as
 * text). A value that is not JSON after all — a legacy text column — is returned as it is: the
 * normalizer reports such a row, and decoding never throws.
 */
export function decodeJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
