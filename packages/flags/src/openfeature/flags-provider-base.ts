import type { ProviderMetadata } from '@openfeature/core';
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

  constructor(
    source: FlagSource,
    private readonly options: FlagClientOptions | undefined,
    private readonly create: (rows: readonly unknown[], options?: FlagClientOptions) => FlagClient,
  ) {
    this.client = toFlagClient(source, options, create);
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
