import { type FlagState, exposureOf } from './flag-state.js';

/** The badge of a flag: `off`, `disabled` (at N %), `rolling-out` (N %) or `on` (fully). */
export interface RolloutStatus {
  kind: 'off' | 'disabled' | 'rolling-out' | 'on';
  /** Who gets the feature now, 0–100. */
  exposure: number;
  /** `Off`, `Disabled at 50 %`, `Rolling out 10 %`, `Fully on`. */
  label: string;
}

/**
 * The status badge of a flag. A disabled flag that keeps a percentage is `disabled` (re-enabling
 * it exposes that percentage at once); an enabled flag at 0 % reaches nobody and is `off`.
 */
export function rolloutStatus(flag: FlagState): RolloutStatus {
  const exposure = exposureOf(flag);
  const enabled = flag.enabled === true || flag.enabled === 1;
  if (!enabled && flag.rollout_percentage > 0) return { kind: 'disabled', exposure, label: `Disabled at ${flag.rollout_percentage} %` };
  if (exposure === 0) return { kind: 'off', exposure, label: enabled ? 'Off (enabled at 0 %)' : 'Off' };
  if (exposure === 100) return { kind: 'on', exposure, label: 'Fully on' };
  return { kind: 'rolling-out', exposure, label: `Rolling out ${exposure} %` };
}
