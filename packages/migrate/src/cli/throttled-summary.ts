import type { PauseReason, ThrottleReport } from '../throttle.js';
import { count } from './cli-io.js';

/** How the summary names the pauses of each reason, one pause or several. */
const REASON_WORDS: Record<PauseReason, [string, string]> = {
  'replication-lag': ['for lagging replicas', 'for lagging replicas'],
  'lock-timeouts': ['for a lock timeout', 'for lock timeouts'],
  'statement-timeouts': ['for a statement timeout', 'for statement timeouts'],
};

/** The line a throttled run's end prints: how often it paused, why, and how long in all. */
export function throttledSummary(throttle: ThrottleReport): string {
  const times = throttle.pauses === 1 ? 'once' : `${count(throttle.pauses)} times`;
  const reasons = Object.entries(throttle.reasons ?? {}).filter(([, n]) => n > 0) as [PauseReason, number][];
  // One reason reads as before ("paused 3 times for lagging replicas"); several are counted each.
  const why =
    reasons.length <= 1
      ? ` ${REASON_WORDS[reasons[0]?.[0] ?? 'replication-lag'][throttle.pauses === 1 ? 0 : 1]}`
      : ` (${reasons.map(([reason, n]) => `${count(n)} ${REASON_WORDS[reason][n === 1 ? 0 : 1]}`).join(', ')})`;
  return `Throttled: paused ${times}${why}, ${(throttle.pausedMs / 1000).toFixed(1)} s in all.`;
}
