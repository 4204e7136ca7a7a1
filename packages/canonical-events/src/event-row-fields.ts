const ROW_FIELDS = ['id', 'integration_type', 'event_data', 'event_type', 'created_at'] as const;

/**
 * The row's own fields, read once each into a null-prototype record: a column the row lacks stays
 * missing even when `Object.prototype` is polluted, and a getter that returns something else on
 * every read cannot make the check and the use disagree. May throw on a hostile row (a throwing
 * getter, a Proxy); `normalizeEvent` turns that into `INVALID_ROW`.
 */
export function ownRowFields(row: object): Partial<Record<(typeof ROW_FIELDS)[number], unknown>> {
  const fields: Partial<Record<(typeof ROW_FIELDS)[number], unknown>> = Object.create(null) as Partial<Record<(typeof ROW_FIELDS)[number], unknown>>;
  for (const key of ROW_FIELDS) if (Object.hasOwn(row, key)) fields[key] = (row as Record<string, unknown>)[key];
  return fields;
}
