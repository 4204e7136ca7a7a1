import { getOwn } from './helpers/json-access.js';

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
  // getOwn confirms ownership before it reads: a column the row lacks is never looked up on its
  // prototype chain.
  const hasEventData = Object.hasOwn(row, 'event_data');
  return {
    id: getOwn(row, 'id'),
    integration_type: getOwn(row, 'integration_type'),
    event_data: hasEventData ? (row as Record<string, unknown>).event_data : undefined,
    event_type: getOwn(row, 'event_type'),
    created_at: getOwn(row, 'created_at'),
    hasEventData,
  };
}
