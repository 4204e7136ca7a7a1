import { FlagNameSchema, FlagValidationError, PLAN_METADATA_KEY, RolloutPlanSchema, safeParseFlag } from '@app/flags';
import type { FlagField, FlagPatch, FlagWrite, FlagWriteResult, NewFlag, StoredFlag } from './flag-store.js';

/** The fields a patch may change. */
export const FLAG_FIELDS: readonly FlagField[] = ['enabled', 'rollout_percentage', 'description', 'metadata'];

/** JSON text with object keys sorted: equal for equal JSON whatever the key order a database returns. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Whether two values of a flag field are the same (metadata compared as JSON). */
export function sameFlagValue(field: FlagField, a: unknown, b: unknown): boolean {
  return field === 'metadata' ? canonicalJson(a) === canonicalJson(b) : a === b;
}

/** Why `metadata` cannot be written, or `null`: it must be a JSON object (or `null`) and any rollout plan in it valid. */
function metadataFault(name: string, metadata: unknown): Invalid | null {
  if (metadata === null) return null;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return invalid(name, 'metadata', 'an object or null', metadata);
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(metadata));
  } catch {
    return invalid(name, 'metadata', 'JSON', metadata);
  }
  if (canonicalJson(json) !== canonicalJson(metadata)) return invalid(name, 'metadata', 'JSON (no undefined, functions, dates or non-finite numbers)', metadata);
  if (!Object.hasOwn(metadata, PLAN_METADATA_KEY)) return null;
  const plan = RolloutPlanSchema.safeParse((metadata as Record<string, unknown>)[PLAN_METADATA_KEY]);
  if (plan.success) return null;
  const issue = plan.error.issues[0]!;
  return invalid(name, ['metadata', PLAN_METADATA_KEY, ...issue.path.map(String)].join('.'), issue.message, (metadata as Record<string, unknown>)[PLAN_METADATA_KEY]);
}

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
  if (patch.metadata !== undefined) {
    const fault = metadataFault(name, patch.metadata);
    if (fault !== null) return fault;
  }
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
  return FLAG_FIELDS.filter((field) => expected[field] !== undefined && !sameFlagValue(field, expected[field], flag[field]));
}

/**
 * The fields of `patch` that differ from the flag's, in the order the patch lists them: a rollback
 * written as `{ rollout_percentage: 0, enabled: false }` is recorded as the seed's procedure reads,
 * 0 % first, then disabled.
 */
export function changedFields(flag: StoredFlag, patch: FlagPatch): FlagField[] {
  return (Object.keys(patch) as FlagField[]).filter((field) => FLAG_FIELDS.includes(field) && patch[field] !== undefined && !sameFlagValue(field, patch[field], flag[field]));
}
