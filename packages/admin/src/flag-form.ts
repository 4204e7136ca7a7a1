import type { FlagPatch } from '@app/migrate';

/** What a flag form asked for, read from its fields; `error` names a field that is not a valid value. */
export type FlagFormRequest =
  | {
      ok: true;
      patch: FlagPatch;
      expected: FlagPatch;
      /** The fingerprint of the rollout plan the admin saw (`planFingerprint`); `undefined` when the form does not say. */
      expectedPlan: string | undefined;
      confirmed: boolean;
    }
  | { ok: false; error: string };

const booleanField = (value: string | null): boolean | undefined | null =>
  value === null ? undefined : value === 'true' ? true : value === 'false' ? false : null;

const percentageField = (value: string | null): number | undefined | null => {
  if (value === null || value === '') return undefined;
  return /^\d{1,3}$/.test(value) && Number(value) <= 100 ? Number(value) : null;
};

/**
 * Reads the fields of a flag form: what to change (`enabled`, `rollout_percentage` — or a stop
 * button's `stop` — and `description`), what the admin saw when the page was drawn
 * (`expected_enabled`, `expected_rollout`, `expected_description`, `expected_has_description`,
 * `expected_plan`), and
 * whether a warning was confirmed (`confirm=yes`). Bad values are an error naming the field; the
 * store validates again.
 */
export function readFlagForm(form: URLSearchParams): FlagFormRequest {
  const patch: FlagPatch = {};
  const expected: FlagPatch = {};
  const enabled = booleanField(form.get('enabled'));
  if (enabled === null) return { ok: false, error: 'enabled must be true or false.' };
  if (enabled !== undefined) patch.enabled = enabled;
  const rollout = percentageField(form.get('stop') ?? form.get('rollout_percentage'));
  if (rollout === null) return { ok: false, error: 'The rollout must be a whole number from 0 to 100.' };
  if (rollout !== undefined) patch.rollout_percentage = rollout;
  const description = form.get('description');
  if (description !== null) patch.description = description.trim() === '' ? null : description;

  const expectedEnabled = booleanField(form.get('expected_enabled'));
  if (expectedEnabled === null) return { ok: false, error: 'expected_enabled must be true or false.' };
  if (expectedEnabled !== undefined) expected.enabled = expectedEnabled;
  const expectedRollout = percentageField(form.get('expected_rollout'));
  if (expectedRollout === null) return { ok: false, error: 'expected_rollout must be a whole number from 0 to 100.' };
  if (expectedRollout !== undefined) expected.rollout_percentage = expectedRollout;
  if (form.get('expected_has_description') !== null) {
    expected.description = form.get('expected_has_description') === 'true' ? (form.get('expected_description') ?? '') : null;
  }
  return { ok: true, patch, expected, expectedPlan: form.get('expected_plan') ?? undefined, confirmed: form.get('confirm') === 'yes' };
}
