import type { StoredFlag } from './flag-store.js';
import { canonicalJson } from './validate-flag-write.js';

/** FNV-1a, 32 bits, over UTF-16 code units: a short digest, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A flag's version, as `changeFlagPlan`'s `expectedVersion` compares it: its `updated_at`, which
 * every write moves, and a digest of its values (metadata compared as JSON, whatever the key
 * order), which also tells apart two writes within one millisecond of the database clock (or of
 * a test's frozen clock). `2026-03-02T09:00:00.000Z~1a2b3c4d`.
 */
export function flagVersion(flag: StoredFlag): string {
  return `${flag.updated_at}~${fnv1a(canonicalJson([flag.enabled, flag.rollout_percentage, flag.description, flag.metadata]))}`;
}
