import { type InvalidFlagRow, invalidFlagRow } from './invalid-flag-row.js';

/** Stable codes carried by every error of `@app/flags`. */
export type FlagsErrorCode = 'INVALID_FLAG';

/**
 * Base class of the errors this package creates. `code` is stable across versions; match on it
 * rather than on the message.
 */
export class FlagsError extends Error {
  readonly code: FlagsErrorCode;

  constructor(code: FlagsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlagsError';
    this.code = code;
  }
}

/**
 * A feature-flag row that does not have the shape of the `feature_flags` table. The message names
 * the flag, the field and the value, e.g.
 * `Feature flag "beta_checkout": rollout_percentage must be an integer from 0 to 100, received 150`.
 */
export class FlagValidationError extends FlagsError implements InvalidFlagRow {
  declare readonly code: 'INVALID_FLAG';
  readonly flagName: string | undefined;
  readonly field: string;
  readonly expected: string;
  readonly received: unknown;
  readonly rowIndex: number | undefined;

  constructor(details: Omit<InvalidFlagRow, 'code' | 'message'>, options?: { cause?: unknown }) {
    const row = invalidFlagRow(details);
    super('INVALID_FLAG', row.message, options);
    this.name = 'FlagValidationError';
    this.flagName = row.flagName;
    this.field = row.field;
    this.expected = row.expected;
    this.received = row.received;
    this.rowIndex = row.rowIndex;
  }
}
