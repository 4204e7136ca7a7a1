import { FlagNameSchema, FlagValidationError, safeParseFlag } from '@app/flags';
import type { FlagField, FlagPatch, FlagWrite, FlagWriteResult, NewFlag, StoredFlag } from './flag-store.js';

/** The fields a patch may change. */
export const FLAG_FIELDS: readonly FlagField[] = ['enabled', 'rollout_percentage', 'description'];

type Invalid = Extract<FlagWriteResult, { reason: 'invalid' }>;

const invalid = (flagName: string | undefined, field: string, expected: string, received: unknown): Invalid => ({
  ok: false,
  reason: 'invalid',
  error: new FlagValidationError({ flagName, field, expected, received, rowIndex: undefined }),
});

/**
 * Checks a write before a store runs it, the same way for every adapter: the actor is non-empty,
 * a new name passes `FlagNameSchema`, and the flag as it would be written passes `FlagSchema`
 * (a rollout of 150 or 12.5, a non-boolean `enabled`, a non-string description are refused).
 * `null` when the write is valid.
 */
export function validateFlagWrite(name: string, patch: FlagPatch, write: FlagWrite, isNew = false): Invalid | null {
  if (typeof write.actor !== 'string' || write.actor.trim() === '') return invalid(name, 'actor', 'a non-empty string naming who changes the flag', write.actor);
  if (isNew) {
    const named = FlagNameSchema.safeParse(name);
    if (!named.success) return invalid(typeof name === 'string' ? name : undefined, 'name', named.error.issues[0]!.message, name);
  }
  for (const key of Object.keys(patch)) if (!(FLAG_FIELDS as readonly string[]).includes(key)) return invalid(name, key, `one of ${FLAG_FIELDS.join(', ')}`, key);
  const row = { name, enabled: patch.enabled ?? false, rollout_percentage: patch.rollout_percentage ?? 0, description: patch.description ?? null };
  // `enabled` must be a real boolean here: 0/1 are how drivers read it, not what writers send.
  if (patch.enabled !== undefined && typeof patch.enabled !== 'boolean') return invalid(name, 'enabled', 'a boolean', patch.enabled);
  const parsed = safeParseFlag(row);
  return parsed.success ? null : { ok: false, reason: 'invalid', error: parsed.error };
}

/** Validates a creation. */
export const validateNewFlag = (flag: NewFlag, write: FlagWrite) => {
  const { name, ...patch } = flag;
  return validateFlagWrite(name, patch, write, true);
};

/** The fields whose current value is not the one the writer expected. */
export function unexpectedFields(flag: StoredFlag, expected: FlagPatch | undefined): FlagField[] {
  if (expected === undefined) return [];
  return FLAG_FIELDS.filter((field) => expected[field] !== undefined && expected[field] !== flag[field]);
}

/**
 * The fields of `patch` that differ from the flag's, in the order the patch lists them: a rollback
 * written as `{ rollout_percentage: 0, enabled: false }` is recorded as the seed's procedure reads,
 * 0 % first, then disabled.
 */
export function changedFields(flag: StoredFlag, patch: FlagPatch): FlagField[] {
  return (Object.keys(patch) as FlagField[]).filter((field) => FLAG_FIELDS.includes(field) && patch[field] !== undefined && patch[field] !== flag[field]);
}
