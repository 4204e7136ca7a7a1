import type { EvaluationContext, ProviderMetadata, TrackingEventDetails } from '@openfeature/core';
import type { FlagTelemetry } from '../flag-telemetry.js';
import type { FlagClient, FlagClientOptions } from '../flag-client.js';
import { changedFlags } from './changed-flags.js';
import { type FlagSource, toFlagClient } from './flag-source.js';
import { CONFIGURATION_CHANGED, ProviderEvents } from './provider-events.js';

/** What the web and server providers share: the current client, `setFlags` and the change event. */
export abstract class FlagsProviderBase {
  readonly metadata: ProviderMetadata = { name: '@app/flags' };
  /** The provider's events; OpenFeature SDKs subscribe to them (`PROVIDER_CONFIGURATION_CHANGED`). */
  readonly events = new ProviderEvents();
  protected client: FlagClient;
  /**
   * Where OpenFeature's tracking API (`client.track('error', { targetingKey })`) counts: each
   * tracked event is counted under the variant the subject has of every flag it can be decided
   * for, so "error rate with the feature on against off" is a number. Unset: tracking is ignored.
   */
  telemetry: Pick<FlagTelemetry, 'track'> | undefined;

  constructor(
    source: FlagSource,
    private readonly options: FlagClientOptions | undefined,
    private readonly create: (rows: readonly unknown[], options?: FlagClientOptions) => FlagClient,
  ) {
    this.client = toFlagClient(source, options, create);
  }

  /**
   * OpenFeature's tracking API: counts `trackingEventName` (its `value` when a positive integer,
   * else 1) in {@link telemetry} under the subject's variant of each flag. Names starting with `$`
   * are reserved and ignored.
   */
  track(trackingEventName: string, context?: EvaluationContext, details?: TrackingEventDetails): void {
    const telemetry = this.telemetry;
    if (telemetry === undefined || !trackingEventName || trackingEventName.startsWith('$')) return;
    const count = Number.isSafeInteger(details?.value) && (details!.value as number) > 0 ? (details!.value as number) : 1;
    for (const flag of this.client.flags) {
      const evaluation = this.client.evaluate(flag.name, context?.targetingKey);
      if (evaluation.errorCode === undefined) telemetry.track(flag.name, evaluation.value ? 'on' : 'off', trackingEventName, count);
    }
  }

  /**
   * Replaces the flags; the next evaluation uses them (e.g. after a rollback). When any flag's
   * answers may change, emits `PROVIDER_CONFIGURATION_CHANGED` with `flagsChanged`, so bound
   * UIs (React's `useFlag` and others) re-render. Returns the names of the changed flags.
   */
  setFlags(source: FlagSource): string[] {
    const before = this.client;
    this.client = toFlagClient(source, this.options, this.create);
    const flagsChanged = changedFlags(before, this.client);
    if (flagsChanged.length > 0) this.events.emit(CONFIGURATION_CHANGED, { flagsChanged });
    return flagsChanged;
  }
}
