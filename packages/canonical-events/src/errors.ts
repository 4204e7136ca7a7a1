/** Stable codes carried by every error of `@app/canonical-events`. */
export type CanonicalEventsErrorCode =
  | 'INVALID_ROW'
  | 'MISSING_ROW_ID'
  | 'INVALID_EVENT_DATA'
  | 'MISSING_TIMESTAMP'
  | 'NORMALIZER_FAILED'
  | 'UNKNOWN_PROVIDER';

/**
 * Base class of the errors this package creates. `code` is stable across versions; match on it
 * rather than on the message.
 */
export class CanonicalEventsError extends Error {
  declare readonly code: CanonicalEventsErrorCode;

  constructor(code: CanonicalEventsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CanonicalEventsError';
    this.code = code;
  }
}

/**
 * A row that could not become a canonical event. The message names the row id and the field,
 * e.g. `Event row "evt-9": event_data must be a JSON object or array, received a string`.
 */
export class EventNormalizationError extends CanonicalEventsError {
  /** The row's id as a string, or `undefined` when the row has none. */
  declare readonly rowId: string | undefined;
  /** The row field at fault (`id`, `event_data`, `created_at`…), or `(row)`. */
  declare readonly field: string;

  constructor(
    code: CanonicalEventsErrorCode,
    details: { rowId: string | undefined; field: string; reason: string },
    options?: { cause?: unknown },
  ) {
    const who = details.rowId === undefined ? 'Event row without id' : `Event row "${details.rowId}"`;
    super(code, `${who}: ${details.field} ${details.reason}`, options);
    this.name = 'EventNormalizationError';
    this.rowId = details.rowId;
    this.field = details.field;
  }
}
