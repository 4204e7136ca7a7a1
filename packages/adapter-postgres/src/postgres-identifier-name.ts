/** PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN − 1). */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The name PostgreSQL stores for `name`: cut to 63 bytes of UTF-8 at a character boundary, as the
 * server does. A name the store derives (`<table>_read_enabled`) must be compared with the
 * catalog in this form, or a long table name would make the policy look missing forever.
 */
export function postgresIdentifierName(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_IDENTIFIER_BYTES) return name;
  let kept = '';
  let bytes = 0;
  for (const character of name) {
    const size = encoder.encode(character).length;
    if (bytes + size > MAX_IDENTIFIER_BYTES) break;
    kept += character;
    bytes += size;
  }
  return kept;
}
