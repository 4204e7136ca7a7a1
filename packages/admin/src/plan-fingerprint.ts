import { storedPlanOf } from '@app/migrate';
import type { StoredFlag } from '@app/migrate';

/**
 * The rollout plan of a flag as the page showed it, in one string a form sends back: the plan as
 * `RolloutPlanSchema` reads it (its keys in the schema's order, so the JSON is the same whatever
 * order the database returned them in), `invalid: …` for a plan that does not pass, `''` for none.
 * A different fingerprint at submission means the plan changed meanwhile (the CLI, a guardrail
 * check, another admin).
 */
export function planFingerprint(flag: StoredFlag): string {
  const stored = storedPlanOf(flag);
  if (stored.plan !== null) return JSON.stringify(stored.plan);
  return 'invalid' in stored && stored.invalid !== undefined ? `invalid: ${stored.invalid}` : '';
}
