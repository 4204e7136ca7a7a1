import type { EvaluationContext, JsonValue, ResolutionDetails } from '@openfeature/core';
import { createFlagClient } from '../create-evaluable-flag-client.js';
import type { FlagClientOptions } from '../flag-client.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import type { FlagSource } from './flag-source.js';
import { FlagsProviderBase } from './flags-provider-base.js';
import { resolveBoolean, typeMismatch } from './resolve-boolean.js';

/** Options of {@link FlagsWebProvider}: the client's, and where the widget's telemetry goes. */
export interface FlagsWebProviderOptions extends FlagClientOptions {
  /**
   * Where the provider reports (a `BeaconReporter` of `@app/flags/beacon`, or any
   * `createFlagTelemetry`): each boolean evaluation it resolves is counted there (the exposure:
   * flag, value, reason; an error as `off`), and OpenFeature's tracking API counts there too
   * (it becomes the provider's `telemetry`). Set it instead of adding a `FlagTelemetryHook` for
   * the same reporter, not beside it: both would count each evaluation.
   */
  reporter?: Pick<FlagTelemetry, 'recordEvaluation' | 'track'>;
}

/**
 * An OpenFeature provider for `@openfeature/web-sdk` (synchronous evaluation in the browser).
 * Boolean flags resolve from `context.targetingKey`; pair it with `getAnonymousId()` from
 * `@app/flags/browser` for visitors who are not signed in, and with a `reporter`
 * (`createBeaconReporter` of `@app/flags/beacon`) to send what the widget showed and what it
 * tracked to the server's telemetry.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/web-sdk';
 * import { FlagsWebProvider } from '@app/flags/openfeature';
 * import { getAnonymousId } from '@app/flags/browser';
 * import { createBeaconReporter } from '@app/flags/beacon';
 * await OpenFeature.setContext({ targetingKey: getAnonymousId() });
 * const reporter = createBeaconReporter({ url: 'https://api.example.com/flag-metrics' });
 * await OpenFeature.setProviderAndWait(new FlagsWebProvider(rows, { reporter }));
 * OpenFeature.getClient().getBooleanValue('testimonial_system', false); // counted, sent by beacon
 * OpenFeature.getClient().track('error'); // counted under the visitor's variant of each flag
 * ```
 */
export class FlagsWebProvider extends FlagsProviderBase {
  readonly runsOn = 'client' as const;
  /** Where each boolean evaluation is counted (`options.reporter`); unset: none is. */
  exposures: Pick<FlagTelemetry, 'recordEvaluation'> | undefined;

  constructor(source: FlagSource, options?: FlagsWebProviderOptions) {
    super(source, options, createFlagClient);
    this.exposures = this.telemetry = options?.reporter;
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context?: EvaluationContext): ResolutionDetails<boolean> {
    return resolveBoolean(this.client, flagKey, defaultValue, context, this.exposures);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return typeMismatch(flagKey, defaultValue);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return typeMismatch(flagKey, defaultValue);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return typeMismatch(flagKey, defaultValue);
  }
}
