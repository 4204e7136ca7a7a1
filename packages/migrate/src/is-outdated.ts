/**
 * Whether a stored canonical event was written by a normalizer version other than the current
 * one (`currentVersions`: `meta.normalizer` → `meta.normalizer_version`). Unknown normalizers
 * and unreadable events count as outdated. SQL adapters express the same test in their query.
 */
export function isOutdated(canonicalEvent: unknown, currentVersions: Readonly<Record<string, number>>): boolean {
  const normalized = (canonicalEvent as { normalized?: Record<string, unknown> } | null)?.normalized;
  const normalizer = normalized?.['meta.normalizer'];
  const version = normalized?.['meta.normalizer_version'];
  return typeof normalizer !== 'string' || !Object.hasOwn(currentVersions, normalizer) || currentVersions[normalizer] !== version;
}
