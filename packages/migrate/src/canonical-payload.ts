import { InvalidOptionError } from './errors.js';

/** What a written canonical event holds of the payload: a copy of `event_data` (`'copy'`), or nothing (`'omit'`). */
export type CanonicalPayload = 'copy' | 'omit';

/**
 * The {@link EventMigrationOptions.canonicalPayload} of a run, checked.
 *
 * @throws InvalidOptionError `INVALID_OPTION` for anything but `'copy'`, `'omit'` or `undefined`.
 */
export function canonicalPayloadOf(value: unknown): CanonicalPayload {
  if (value === undefined || value === 'copy') return 'copy';
  if (value === 'omit') return 'omit';
  throw new InvalidOptionError('canonicalPayload', `must be "copy" or "omit", got ${JSON.stringify(value)}`);
}
