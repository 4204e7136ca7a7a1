/** The columns of a legacy event row the core reads, each read once. */
export interface RowFields {
  id: unknown;
  integration_type: unknown;
  event_data: unknown;
  event_type: unknown;
  created_at: unknown;
  /** Whether the row has an own `event_data` column at all (a row without it is reported there). */
  hasEventData: boolean;
}

/**
 * The row's own fields, read once each into one fixed-shape record (no copy of the row's other
 * columns): a column the row lacks stays missing even when `Object.prototype` is polluted, and a
 * getter that returns something else on every read cannot make the check and the use disagree.
 * May throw on a hostile row (a throwing getter, a Proxy); `normalizeEvent` turns that into
 * `INVALID_ROW`.
 */
export function ownRowFields(row: object): RowFields {
  const record = row as Record<string, unknown>;
  const id = Object.hasOwn(row, 'id') ? record.id : undefined;
  const integrationType = Object.hasOwn(row, 'integration_type') ? record.integration_type : undefined;
  const hasEventData = Object.hasOwn(row, 'event_data');
  const eventData = hasEventData ? record.event_data : undefined;
  const eventType = Object.hasOwn(row, 'event_type') ? record.event_type : undefined;
  const createdAt = Object.hasOwn(row, 'created_at') ? record.created_at : undefined;
  return { id, integration_type: integrationType, event_data: eventData, event_type: eventType, created_at: createdAt, hasEventData };
}
