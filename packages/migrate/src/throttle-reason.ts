import type { DatabaseHealthReading } from './database-health.js';
import type { Throttle } from './throttle.js';

const seconds = (value: number) => `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
const bytes = (value: number) =>
  value >= 1_048_576 ? `${(value / 1_048_576).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB` : value === 1 ? '1 byte' : `${value.toLocaleString('en-US')} bytes`;

/**
 * Why the runner must pause on this reading, naming the first replica past a limit, or `null`
 * when it may write. A replica that has stopped replicating pauses whatever the limits; a lag
 * the database does not report (`null`) never does.
 */
export function throttleReason(reading: DatabaseHealthReading, limits: Pick<Throttle, 'maxReplicationLagSeconds' | 'maxReplicationLagBytes'>): string | null {
  for (const replica of reading.replicas) {
    if (replica.stopped === true) return `replica ${replica.name} has stopped replicating`;
    if (replica.lagSeconds !== null && replica.lagSeconds > limits.maxReplicationLagSeconds) {
      return `replica ${replica.name} is ${seconds(replica.lagSeconds)} behind (limit ${seconds(limits.maxReplicationLagSeconds)})`;
    }
    if (replica.lagBytes !== null && replica.lagBytes > limits.maxReplicationLagBytes) {
      return `replica ${replica.name} has ${bytes(replica.lagBytes)} of log to apply (limit ${bytes(limits.maxReplicationLagBytes)})`;
    }
  }
  return null;
}
