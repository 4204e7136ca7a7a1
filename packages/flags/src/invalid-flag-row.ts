/**
 * A row a flag client could not use, and why. `FlagValidationError` has these properties too;
 * `@app/flags/core` reports plain objects of this shape so the widget bundle carries no error class.
 */
export interface InvalidFlagRow {
  /** Always `INVALID_FLAG`. */
  readonly code: 'INVALID_FLAG';
  /** The flag's name when the row had a readable one, else `undefined`. */
  readonly flagName: string | undefined;
  /** The column that is wrong (`rollout_percentage`, `name`…), or `(row)` when the row is not an object. */
  readonly field: string;
  /** What the column must hold, in words. */
  readonly expected: string;
  /** The value found. */
  readonly received: unknown;
  /** Position of the row in the list given to `createFlagClient`, when there was one. */
  readonly rowIndex: number | undefined;
  /** One sentence naming the flag, the row, the field and the value. */
  readonly message: string;
}

function describeValue(value: unknown): string {
  return typeof value === 'object' && value
    ? Array.isArray(value)
      ? 'an array'
      : 'an object'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : String(value);
}

/** What {@link invalidFlagRow} needs: a row without a readable name or value may leave those out. */
export type InvalidFlagRowDetails = Omit<InvalidFlagRow, 'code' | 'message' | 'flagName' | 'received'> & Partial<Pick<InvalidFlagRow, 'flagName' | 'received'>>;

/**
 * Describes an invalid row, e.g.
 * `Feature flag "beta_checkout" (row 3): rollout_percentage must be an integer from 0 to 100, received 150`.
 */
export function invalidFlagRow(details: InvalidFlagRowDetails): InvalidFlagRow {
  const where = details.rowIndex === undefined ? '' : ` (row ${details.rowIndex})`;
  const who = details.flagName === undefined ? 'Feature flag row' : `Feature flag "${details.flagName}"`;
  // Left-out `flagName`/`received` read as `undefined`, as the interface says; not writing them
  // keeps the widget bundle small.
  return {
    code: 'INVALID_FLAG',
    ...(details as Omit<InvalidFlagRow, 'code' | 'message'>),
    message: `${who}${where}: ${details.field} must be ${details.expected}, received ${describeValue(details.received)}`,
  };
}
