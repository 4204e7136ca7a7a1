import { rolloutStatus } from '@app/flags';
import { FlagConflictError, InvalidOptionError } from '../errors.js';
import type { FlagWriteResult } from '../flag-store.js';

/** A failed flag write as the CLI's error: bad input and unknown names are usage errors (2), a conflict exits 6. */
export function unwrapFlagWrite(result: FlagWriteResult): Extract<FlagWriteResult, { ok: true }> {
  if (result.ok) return result;
  switch (result.reason) {
    case 'not_found':
      throw new InvalidOptionError('flag name', `no feature flag is named "${result.name}"`);
    case 'exists':
      throw new InvalidOptionError('flag name', `a feature flag named "${result.name}" exists already`);
    case 'invalid':
      throw new InvalidOptionError(result.error.field, result.error.message);
    case 'conflict':
      throw new FlagConflictError(result.flag?.name ?? '(deleted)', result.fields, result.flag === null ? 'deleted' : rolloutStatus(result.flag).label);
  }
}
