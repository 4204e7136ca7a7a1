import type { LegacyEventRow } from './event-row-schema.js';

function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

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

/**
 * True when `row` certainly satisfies {@link LegacyEventRowSchema} and has an object or array as
 * `event_data`: the hot path of `normalizeEvent` uses this plain check and runs zod only to
 * explain a row that fails it. Never true for a row the schema rejects.
 */
export function isWellFormedEventRow(row: unknown): row is LegacyEventRow & { event_data: object } {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return false;
  const { id, integration_type, event_data, event_type, created_at } = ownRowFields(row);
  const idOk =
    typeof id === 'string' ? id.length <= 256 && id.trim().length > 0 && id.trim().length <= 256
    : typeof id === 'number' ? Number.isSafeInteger(id)
    : typeof id === 'bigint';
  return (
    idOk &&
    typeof event_data === 'object' &&
    event_data !== null &&
    isOptionalString(integration_type) &&
    isOptionalString(event_type) &&
    (created_at === undefined || created_at === null || typeof created_at === 'string' || typeof created_at === 'number' || created_at instanceof Date)
  );
}
