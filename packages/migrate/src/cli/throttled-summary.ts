import type { ThrottleReport } from '../throttle.js';
import { count } from './cli-io.js';

/** The line a throttled run's end prints: how often and how long it paused for lagging replicas. */
export function throttledSummary(throttle: ThrottleReport): string {
  return `Throttled: paused ${throttle.pauses === 1 ? 'once' : `${count(throttle.pauses)} times`} for lagging replicas, ${(throttle.pausedMs / 1000).toFixed(1)} s in all.`;
}
