import type { FlagClient } from '../flag-client.js';

/** What a flag's evaluation depends on, as text: equal text, equal answers for every subject. */
function fingerprint(client: FlagClient, name: string): string {
  const flag = client.flags.find((candidate) => candidate.name === name);
  if (flag !== undefined) return JSON.stringify([flag.enabled, flag.rollout_percentage, flag.metadata ?? null]);
  return client.errors.some((error) => error.flagName === name) ? 'invalid' : 'absent';
}

/** Names of the flags whose answers may differ between two clients, in sorted order. */
export function changedFlags(before: FlagClient, after: FlagClient): string[] {
  const names = new Set<string>();
  for (const client of [before, after]) {
    for (const flag of client.flags) names.add(flag.name);
    for (const error of client.errors) if (error.flagName !== undefined) names.add(error.flagName);
  }
  return [...names].filter((name) => fingerprint(before, name) !== fingerprint(after, name)).sort();
}
